package dev.borges.protocol.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeader;

/** A record as a test writes it: what every reader must give back. */
record SampleRecord(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {

    /** A fixed set covering null and empty keys and values, null header values and non-ASCII keys. */
    static List<SampleRecord> variety(long baseOffset, long baseTimestamp) {
        List<SampleRecord> records = new ArrayList<>();
        records.add(new SampleRecord(baseOffset, baseTimestamp, bytes("key-0"), bytes("value-0"), List.of()));
        records.add(new SampleRecord(baseOffset + 1, baseTimestamp + 5, null, bytes("no key"),
                List.of(Header.of("trace", "abc"), new Header("null-value", null))));
        records.add(new SampleRecord(baseOffset + 2, baseTimestamp - 3, bytes("tombstone"), null, List.of()));
        records.add(new SampleRecord(baseOffset + 3, baseTimestamp + 1000, new byte[0], new byte[0],
                List.of(new Header("", new byte[0]), Header.of("ключ-日本", "värde"))));
        records.add(new SampleRecord(baseOffset + 4, baseTimestamp + 7, bytes("big"), patterned(150_000), List.of()));
        records.add(new SampleRecord(baseOffset + 5, baseTimestamp + 8, null, null, List.of(Header.of("h", "1"), Header.of("h", "2"))));
        return records;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Compressible but not trivial content, large enough to span several 64 KiB LZ4 blocks. */
    static byte[] patterned(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ((i * 31) ^ (i >>> 7));
        }
        return bytes;
    }

    static byte[] toArray(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    org.apache.kafka.common.header.Header[] kafkaHeaders() {
        return headers.stream()
                .map(header -> new RecordHeader(header.key(), header.value()))
                .toArray(org.apache.kafka.common.header.Header[]::new);
    }

    static List<Header> fromKafka(org.apache.kafka.common.header.Header[] headers) {
        return Arrays.stream(headers).map(header -> new Header(header.key(), header.value())).toList();
    }

    /** What our reader decoded, in the same shape. */
    static SampleRecord of(Record record) {
        return new SampleRecord(record.offset(), record.timestamp(), record.keyBytes(), record.valueBytes(), record.headers());
    }

    /** What Kafka's reader decoded, in the same shape. */
    static SampleRecord of(org.apache.kafka.common.record.internal.Record record) {
        return new SampleRecord(record.offset(), record.timestamp(), toArray(record.key()), toArray(record.value()),
                fromKafka(record.headers()));
    }

    RecordBatchBuilder appendTo(RecordBatchBuilder builder) {
        return builder.appendWithOffset(offset, timestamp, key, value, headers);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SampleRecord that && offset == that.offset && timestamp == that.timestamp
                && Arrays.equals(key, that.key) && Arrays.equals(value, that.value) && headers.equals(that.headers);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "SampleRecord(offset=" + offset + ", timestamp=" + timestamp + ", key=" + Arrays.toString(key)
                + ", value=" + (value == null ? "null" : value.length + " bytes") + ", headers=" + headers + ")";
    }
}
