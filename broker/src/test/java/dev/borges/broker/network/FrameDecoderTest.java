package dev.borges.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static final int MAX_FRAME_BYTES = 1024;

    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES));

    private static ByteBuf frame(String payload) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return Unpooled.buffer().writeInt(bytes.length).writeBytes(bytes);
    }

    private String readFrame() {
        ByteBuffer frame = channel.readInbound();
        if (frame == null) {
            return null;
        }
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void decodesFrameArrivingOneByteAtATime() {
        ByteBuf whole = frame("hello, broker");
        while (whole.isReadable()) {
            assertThat(channel.<Object>readInbound()).isNull();
            channel.writeInbound(whole.readRetainedSlice(1));
        }
        whole.release();

        assertThat(readFrame()).isEqualTo("hello, broker");
        assertThat(readFrame()).isNull();
    }

    @Test
    void decodesSeveralFramesFromOneRead() {
        channel.writeInbound(Unpooled.wrappedBuffer(frame("one"), frame("two"), frame("three")));

        assertThat(readFrame()).isEqualTo("one");
        assertThat(readFrame()).isEqualTo("two");
        assertThat(readFrame()).isEqualTo("three");
        assertThat(readFrame()).isNull();
    }

    @Test
    void decodesFramesSplitAcrossReadBoundaries() {
        ByteBuf joined = Unpooled.wrappedBuffer(frame("first"), frame("second"));
        channel.writeInbound(joined.readRetainedSlice(11)); // first frame and 2 bytes of the next size prefix
        assertThat(readFrame()).isEqualTo("first");
        assertThat(readFrame()).isNull();

        channel.writeInbound(joined.readRetainedSlice(joined.readableBytes()));
        joined.release();
        assertThat(readFrame()).isEqualTo("second");
    }

    @Test
    void emitsFrameOfExactlyTheMaximumSize() {
        channel.writeInbound(Unpooled.buffer().writeInt(MAX_FRAME_BYTES).writeZero(MAX_FRAME_BYTES));

        ByteBuffer frame = channel.readInbound();
        assertThat(frame.remaining()).isEqualTo(MAX_FRAME_BYTES);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void emitsEmptyFrameForSizeZero() {
        channel.writeInbound(Unpooled.buffer().writeInt(0));

        ByteBuffer frame = channel.readInbound();
        assertThat(frame.remaining()).isZero();
    }

    @Test
    void waitsForTheRestOfAnIncompleteFrame() {
        channel.writeInbound(Unpooled.buffer().writeInt(MAX_FRAME_BYTES).writeZero(MAX_FRAME_BYTES - 1));

        assertThat(readFrame()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void closesConnectionOnFrameLargerThanTheMaximum() {
        channel.writeInbound(Unpooled.buffer().writeInt(MAX_FRAME_BYTES + 1).writeZero(16));

        assertThat(channel.isOpen()).isFalse();
        assertThat(readFrame()).isNull();
    }

    @Test
    void closesConnectionOnNegativeFrameSize() {
        channel.writeInbound(Unpooled.buffer().writeInt(-1).writeZero(16));

        assertThat(channel.isOpen()).isFalse();
        assertThat(readFrame()).isNull();
    }

    @Test
    void closesOnAnOversizedSizeBeforeItsBytesArrive() {
        channel.writeInbound(Unpooled.buffer().writeInt(Integer.MAX_VALUE));

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void emitsNoFrameAfterAnOversizedOneInTheSameRead() {
        ByteBuf bytes = Unpooled.buffer().writeInt(MAX_FRAME_BYTES + 1);
        bytes.writeBytes(frame("smuggled"));
        channel.writeInbound(bytes);

        assertThat(readFrame()).isNull();
    }
}
