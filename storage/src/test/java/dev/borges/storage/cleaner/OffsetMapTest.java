package dev.borges.storage.cleaner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OffsetMapTest {
    private static ByteBuffer key(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keepsTheLatestOffsetOfEachKey() {
        OffsetMap map = new OffsetMap(OffsetMap.BYTES_PER_ENTRY * 100L, 0.9);
        map.put(key("a"), 1);
        map.put(key("b"), 2);
        map.put(key("a"), 7);

        assertThat(map.get(key("a"))).isEqualTo(7);
        assertThat(map.get(key("b"))).isEqualTo(2);
        assertThat(map.size()).isEqualTo(2);
        assertThat(map.latestOffset()).isEqualTo(7);
    }

    @Test
    void answersMinusOneForAKeyItNeverSaw() {
        OffsetMap map = new OffsetMap(OffsetMap.BYTES_PER_ENTRY * 100L, 0.9);
        map.put(key("a"), 0);

        assertThat(map.get(key("b"))).isEqualTo(-1);
        assertThat(map.get(key("a"))).isZero();
    }

    @Test
    void holdsManyKeysThroughCollidingProbesUpToItsLoadFactor() {
        OffsetMap map = new OffsetMap(OffsetMap.BYTES_PER_ENTRY * 64L, 0.9);
        assertThat(map.maxEntries()).isEqualTo(57);
        for (int i = 0; i < 57; i++) {
            map.put(key("key-" + i), i * 10L);
        }
        for (int i = 0; i < 57; i++) {
            assertThat(map.get(key("key-" + i))).isEqualTo(i * 10L);
        }
        assertThat(map.remaining()).isZero();
        assertThatThrownBy(() -> map.put(key("one-too-many"), 1)).isInstanceOf(IllegalStateException.class);
        map.put(key("key-3"), 999); // an existing key still updates when full
        assertThat(map.get(key("key-3"))).isEqualTo(999);
    }

    @Test
    void clearForgetsEveryKey() {
        OffsetMap map = new OffsetMap(OffsetMap.BYTES_PER_ENTRY * 16L, 0.5);
        map.put(key("a"), 3);
        map.clear();

        assertThat(map.get(key("a"))).isEqualTo(-1);
        assertThat(map.size()).isZero();
        assertThat(map.latestOffset()).isEqualTo(-1);
    }

    @Test
    void readsTheKeyFromItsPositionWithoutMovingIt() {
        OffsetMap map = new OffsetMap(OffsetMap.BYTES_PER_ENTRY * 16L, 0.5);
        ByteBuffer buffer = ByteBuffer.wrap("xxkeyxx".getBytes(StandardCharsets.UTF_8), 2, 3);
        map.put(buffer, 5);

        assertThat(buffer.position()).isEqualTo(2);
        assertThat(map.get(key("key"))).isEqualTo(5);
    }
}
