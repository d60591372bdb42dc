package dev.borges.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.CorruptRecordException;
import dev.borges.protocol.compress.CompressionType;
import dev.borges.protocol.types.Varints;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Records are decoded from untrusted bytes: every impossible field is a CorruptRecordException. */
class RecordDecodingTest {

    /** Bytes written field by field, for records a builder would refuse to make. */
    private static final class RecordBytes {
        private final ByteBuffer buffer = ByteBuffer.allocate(256);

        RecordBytes varint(int value) {
            Varints.writeVarint(value, buffer);
            return this;
        }

        RecordBytes varlong(long value) {
            Varints.writeVarlong(value, buffer);
            return this;
        }

        RecordBytes raw(int... bytes) {
            for (int b : bytes) {
                buffer.put((byte) b);
            }
            return this;
        }

        byte[] toArray() {
            return Arrays.copyOf(buffer.array(), buffer.position());
        }

        /** This body, preceded by a length varint that says exactly its size. */
        byte[] asRecord() {
            byte[] body = toArray();
            return new RecordBytes().varint(body.length).raw(toInts(body)).toArray();
        }

        private static int[] toInts(byte[] bytes) {
            int[] ints = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                ints[i] = bytes[i];
            }
            return ints;
        }
    }

    private static RecordBatch uncompressedBatchOf(int recordCount, byte[] records) {
        return RecordBatch.wrap(TestBatches.withRecordsRegion(0, recordCount, records));
    }

    @Test
    void encodesARecordFieldByFieldAsDocumented() {
        RecordBatch batch = RecordBatch.wrap(new RecordBatchBuilder(0)
                .append(1_000L, SampleRecord.bytes("k"), SampleRecord.bytes("v"), List.of(Header.of("h", "x")))
                .build().buffer());

        byte[] expected = new RecordBytes()
                .raw(0).varlong(0).varint(0)
                .varint(1).raw('k')
                .varint(1).raw('v')
                .varint(1)
                .varint(1).raw('h').varint(1).raw('x')
                .asRecord();
        assertThat(TestBatches.recordsRegion(batch.buffer())).containsExactly(expected);
    }

    @Test
    void decodesAHandWrittenRecordWithNullKeyAndNullHeaderValue() {
        byte[] record = new RecordBytes().raw(0).varlong(5).varint(2).varint(-1).varint(2).raw(1, 2)
                .varint(1).varint(1).raw('h').varint(-1).asRecord();

        Record decoded = uncompressedBatchOf(1, record).records().get(0);

        assertThat(decoded.offset()).isEqualTo(2);
        assertThat(decoded.timestamp()).isEqualTo(1_005L);
        assertThat(decoded.hasKey()).isFalse();
        assertThat(decoded.valueBytes()).containsExactly(1, 2);
        assertThat(decoded.headers()).containsExactly(new Header("h", null));
    }

    @Test
    void rejectsRecordCountLargerThanTheBytesCanHold() {
        RecordBatch batch = uncompressedBatchOf(1_000_000, TestBatches.recordsRegion(TestBatches.small()));

        assertThatThrownBy(batch::recordIterator)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("record count 1000000");
    }

    @Test
    void rejectsNegativeRecordCount() {
        RecordBatch batch = uncompressedBatchOf(-1, TestBatches.recordsRegion(TestBatches.small()));

        assertThatThrownBy(batch::records)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("negative record count -1");
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void rejectsBatchDeclaringMoreRecordsThanItHolds(CompressionType compression) {
        RecordBatch batch = withRecordCount(threeRecordBatch(compression), 4);

        assertThatThrownBy(batch::records)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("base offset 0");
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void rejectsBatchWithBytesAfterItsDeclaredRecords(CompressionType compression) {
        RecordBatch batch = withRecordCount(threeRecordBatch(compression), 2);
        RecordIterator records = batch.recordIterator();
        records.next();

        assertThatThrownBy(records::next)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("the last of its 2 records");
        assertThat(records.hasNext()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void rejectsTruncatedCompressedRecords(CompressionType compression) {
        ByteBuffer complete = new RecordBatchBuilder(0).compression(compression)
                .append(1L, null, SampleRecord.patterned(100_000))
                .append(2L, null, SampleRecord.patterned(100_000))
                .build().buffer();
        byte[] region = TestBatches.recordsRegion(complete);
        RecordBatch truncated = RecordBatch.wrap(TestBatches.withRecordsRegion(
                compression.id(), 2, Arrays.copyOf(region, region.length / 2)));

        assertThatThrownBy(truncated::records).isInstanceOf(CorruptRecordException.class);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void rejectsGarbageWhereCompressedRecordsShouldBe(CompressionType compression) {
        byte[] garbage = new byte[500];
        new Random(7).nextBytes(garbage);
        RecordBatch batch = RecordBatch.wrap(TestBatches.withRecordsRegion(compression.id(), 3, garbage));

        assertThatThrownBy(batch::records)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("base offset 0");
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 6, 7})
    void rejectsUnknownCompressionId(int id) {
        RecordBatch batch = RecordBatch.wrap(TestBatches.withRecordsRegion(id, 3, TestBatches.recordsRegion(TestBatches.small())));

        assertThat(batch.isValid()).isTrue();
        assertThatThrownBy(batch::compressionType)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("compression type id " + id);
        assertThatThrownBy(batch::recordIterator)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("compression type id " + id);
    }

    @Test
    void rejectsOverLongRecordLengthVarint() {
        RecordBatch batch = uncompressedBatchOf(1, new RecordBytes().raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0).toArray());

        assertThatThrownBy(batch::records)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("record 0 length");
    }

    @Test
    void rejectsOverLongVarlongInsideARecord() {
        byte[] record = new RecordBytes().raw(0).raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
                .varint(0).varint(-1).varint(-1).varint(0).asRecord();

        assertThatThrownBy(uncompressedBatchOf(1, record)::records)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("Record 0")
                .hasMessageContaining("Varlong");
    }

    @Test
    void rejectsRecordLongerThanTheBatch() {
        byte[] record = new RecordBytes().varint(100).raw(0, 0, 0, 1, 1, 0, 0, 0, 0, 0).toArray();

        assertThatThrownBy(uncompressedBatchOf(1, record)::records)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("declares 100 bytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, -1_000_000, 0, 5})
    void rejectsImpossibleRecordLength(int length) {
        byte[] record = new RecordBytes().varint(length).raw(0, 0, 0, 1, 1, 0, 0, 0, 0).toArray();

        assertThatThrownBy(uncompressedBatchOf(1, record)::records)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("impossible length " + length);
    }

    @ParameterizedTest
    @ValueSource(ints = {-2, -1_000, 50, Integer.MAX_VALUE})
    void rejectsKeyLengthThatIsNegativeOrBeyondTheRecord(int keyLength) {
        byte[] record = new RecordBytes().raw(0).varlong(0).varint(0).varint(keyLength).raw(1, 2, 3).varint(-1).varint(0).asRecord();

        assertThatThrownBy(uncompressedBatchOf(1, record)::records)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("key length " + keyLength);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 1_000_000, Integer.MAX_VALUE})
    void rejectsImpossibleHeaderCount(int headerCount) {
        byte[] record = new RecordBytes().raw(0).varlong(0).varint(0).varint(-1).varint(-1).varint(headerCount).raw(0, 0).asRecord();

        assertThatThrownBy(uncompressedBatchOf(1, record)::records)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("header count " + headerCount);
    }

    @Test
    void rejectsNegativeHeaderKeyLength() {
        byte[] record = new RecordBytes().raw(0).varlong(0).varint(0).varint(-1).varint(-1).varint(1).varint(-1).varint(-1).asRecord();

        assertThatThrownBy(uncompressedBatchOf(1, record)::records)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("header 0 key length -1");
    }

    @Test
    void rejectsBytesLeftOverInsideARecord() {
        byte[] record = new RecordBytes().raw(0).varlong(0).varint(0).varint(-1).varint(-1).varint(0).raw(9, 9).asRecord();

        assertThatThrownBy(uncompressedBatchOf(1, record)::records)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("2 bytes left over");
    }

    @Test
    void aBatchWithNoRecordsDecodesToNone() {
        RecordBatch batch = RecordBatch.wrap(new RecordBatchBuilder(5).compression(CompressionType.ZSTD).build().buffer());

        assertThat(batch.recordCount()).isZero();
        assertThat(batch.records()).isEmpty();
        assertThat(batch.isValid()).isTrue();
    }

    private static RecordBatch threeRecordBatch(CompressionType compression) {
        return RecordBatch.wrap(TestBatches.copy(new RecordBatchBuilder(0).compression(compression)
                .append(1L, SampleRecord.bytes("a"), SampleRecord.bytes("1"))
                .append(2L, SampleRecord.bytes("b"), SampleRecord.bytes("2"))
                .append(3L, SampleRecord.bytes("c"), SampleRecord.bytes("3"))
                .build().buffer()));
    }

    private static RecordBatch withRecordCount(RecordBatch batch, int recordCount) {
        ByteBuffer bytes = TestBatches.copy(batch.buffer());
        bytes.putInt(RecordBatch.RECORD_COUNT_OFFSET, recordCount);
        return RecordBatch.wrap(TestBatches.fixCrc(bytes));
    }
}
