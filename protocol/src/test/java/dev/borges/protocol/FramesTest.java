package dev.borges.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FramesTest {
    private static final int MAX = 1024;

    @Test
    void waitsForTheWholeFrame() {
        ByteBuffer input = ByteBuffer.allocate(7).putInt(5).put(new byte[] {1, 2, 3}).flip();
        assertThat(Frames.nextFrame(input, MAX)).isNull();
        assertThat(input.position()).as("nothing consumed").isZero();
    }

    @Test
    void waitsForTheSizePrefix() {
        ByteBuffer input = ByteBuffer.wrap(new byte[] {0, 0, 0});
        assertThat(Frames.nextFrame(input, MAX)).isNull();
    }

    @Test
    void takesBackToBackFramesInOrder() {
        ByteBuffer input = ByteBuffer.allocate(4 + 2 + 4 + 0 + 4 + 1)
            .putInt(2).put((byte) 7).put((byte) 8)
            .putInt(0)
            .putInt(1).put((byte) 9)
            .flip();
        assertThat(Frames.nextFrame(input, MAX)).isEqualTo(ByteBuffer.wrap(new byte[] {7, 8}));
        assertThat(Frames.nextFrame(input, MAX).remaining()).isZero();
        assertThat(Frames.nextFrame(input, MAX)).isEqualTo(ByteBuffer.wrap(new byte[] {9}));
        assertThat(input.hasRemaining()).isFalse();
        assertThat(Frames.nextFrame(input, MAX)).isNull();
    }

    @Test
    void acceptsAFrameOfExactlyTheMaximumSize() {
        ByteBuffer input = ByteBuffer.allocate(4 + MAX).putInt(MAX).position(4 + MAX).flip();
        assertThat(Frames.nextFrame(input, MAX).remaining()).isEqualTo(MAX);
    }

    @Test
    void aSizeNearTwoGigabytesWaitsInsteadOfOverflowing() {
        ByteBuffer input = ByteBuffer.allocate(16).putInt(Integer.MAX_VALUE).put(new byte[12]).flip();
        assertThat(Frames.nextFrame(input, Integer.MAX_VALUE)).isNull();
        assertThat(input.position()).isZero();
    }

    @Test
    void rejectsNegativeSize() {
        ByteBuffer input = ByteBuffer.allocate(4).putInt(-3).flip();
        assertThatThrownBy(() -> Frames.nextFrame(input, MAX))
            .isInstanceOf(InvalidFrameException.class).hasMessageContaining("-3").hasMessageContaining("negative");
    }

    @Test
    void rejectsOversizedFrameBeforeItArrives() {
        ByteBuffer input = ByteBuffer.allocate(4).putInt(MAX + 1).flip();
        assertThatThrownBy(() -> Frames.nextFrame(input, MAX))
            .isInstanceOf(InvalidFrameException.class).hasMessageContaining("1025").hasMessageContaining("1024");
    }
}
