package dev.borges.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.CorruptRecordException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordBatchIteratorTest {

    private static ByteBuffer threeBatches() {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        for (long offset = 0; offset < 3; offset++) {
            new RecordBatchBuilder(offset * 10).append(1_000L + offset, null, SampleRecord.bytes("v" + offset)).build().copyTo(buffer);
        }
        return buffer.flip();
    }

    private static List<RecordBatch> all(RecordBatchIterator iterator) {
        List<RecordBatch> batches = new ArrayList<>();
        iterator.forEachRemaining(batches::add);
        return batches;
    }

    @Test
    void iteratesConsecutiveBatchesWithoutMovingTheCallersPosition() {
        ByteBuffer buffer = threeBatches();

        List<RecordBatch> batches = all(RecordBatchIterator.strict(buffer));

        assertThat(batches).map(RecordBatch::baseOffset).containsExactly(0L, 10L, 20L);
        assertThat(batches).allMatch(RecordBatch::isValid);
        assertThat(buffer.position()).isZero();
    }

    @Test
    void emptyBufferHoldsNoBatches() {
        assertThat(all(RecordBatchIterator.strict(ByteBuffer.allocate(0)))).isEmpty();
        assertThat(MemoryRecords.EMPTY.batches()).isEmpty();
        assertThat(MemoryRecords.EMPTY.sizeOfCompleteBatches()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 11, 12, 16, 17, 60, 61, 69})
    void strictIterationRejectsATrailingPartialBatch(int partialBytes) {
        ByteBuffer buffer = threeBatches();
        int firstTwo = sizeOfFirstBatches(buffer, 2);
        buffer.limit(firstTwo + partialBytes);
        RecordBatchIterator iterator = RecordBatchIterator.strict(buffer);
        iterator.next();
        iterator.next();

        assertThatThrownBy(iterator::hasNext)
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("at byte " + firstTwo)
                .hasMessageContaining("truncated");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 11, 12, 16, 17, 60, 61, 69})
    void partialTailIsSkippedAndWhereItStartsIsReported(int partialBytes) {
        ByteBuffer buffer = threeBatches();
        int firstTwo = sizeOfFirstBatches(buffer, 2);
        buffer.limit(firstTwo + partialBytes);

        RecordBatchIterator iterator = RecordBatchIterator.allowingPartialTail(buffer);
        List<RecordBatch> batches = all(iterator);

        assertThat(batches).map(RecordBatch::baseOffset).containsExactly(0L, 10L);
        assertThat(iterator.position()).isEqualTo(firstTwo);
        assertThat(MemoryRecords.readableView(buffer).sizeOfCompleteBatches()).isEqualTo(firstTwo);
        assertThat(MemoryRecords.readableView(buffer).completeBatches()).hasSize(2);
    }

    @Test
    void sizeOfCompleteBatchesIsTheWholeBufferWhenItEndsOnABatchBoundary() {
        ByteBuffer buffer = threeBatches();

        assertThat(MemoryRecords.readableView(buffer).sizeOfCompleteBatches()).isEqualTo(buffer.remaining());
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 14, 48})
    void rejectsBatchLengthShorterThanTheHeaderEvenWhenPartialTailsAreAllowed(int batchLength) {
        ByteBuffer buffer = TestBatches.copy(threeBatches());
        int second = sizeOfFirstBatches(buffer, 1);
        buffer.putInt(second + RecordBatch.BATCH_LENGTH_OFFSET, batchLength);

        for (RecordBatchIterator iterator : List.of(RecordBatchIterator.strict(buffer), RecordBatchIterator.allowingPartialTail(buffer))) {
            iterator.next();
            assertThatThrownBy(iterator::next)
                    .isInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("at byte " + second)
                    .hasMessageContaining("batchLength " + batchLength);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MAX_VALUE, 1_000_000})
    void rejectsBatchLengthBeyondTheBytesThatRemain(int batchLength) {
        ByteBuffer buffer = TestBatches.copy(threeBatches());
        buffer.putInt(RecordBatch.BATCH_LENGTH_OFFSET, batchLength);

        assertThatThrownBy(() -> RecordBatchIterator.strict(buffer).next())
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining(String.valueOf(12L + batchLength));
    }

    @ParameterizedTest
    @ValueSource(bytes = {0, 1, 3, -1})
    void rejectsMagicOtherThanTwoNamingTheMagicSeen(byte magic) {
        ByteBuffer buffer = TestBatches.copy(threeBatches());
        buffer.put(RecordBatch.MAGIC_OFFSET, magic);

        assertThatThrownBy(() -> RecordBatchIterator.allowingPartialTail(buffer).next())
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("magic " + magic);
    }

    @Test
    void batchesShareTheBufferTheyWereFoundIn() {
        ByteBuffer buffer = TestBatches.copy(threeBatches());
        MemoryRecords records = MemoryRecords.readableView(buffer);

        for (RecordBatch batch : records.batches()) {
            batch.setBaseOffset(batch.baseOffset() + 100);
        }

        assertThat(records.batches()).map(RecordBatch::baseOffset).containsExactly(100L, 110L, 120L);
    }

    private static int sizeOfFirstBatches(ByteBuffer buffer, int count) {
        RecordBatchIterator iterator = RecordBatchIterator.strict(buffer);
        int size = 0;
        for (int i = 0; i < count; i++) {
            size += iterator.next().sizeInBytes();
        }
        return size;
    }
}
