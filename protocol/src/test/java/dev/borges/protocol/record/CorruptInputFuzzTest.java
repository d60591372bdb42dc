package dev.borges.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.borges.protocol.ProtocolException;
import dev.borges.protocol.compress.CompressionType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Invariant: whatever bytes arrive, batch iteration and record decoding either succeed or throw a
 * {@link ProtocolException} subtype, promptly: never a buffer underflow, index error, negative
 * array size, out-of-memory, codec-specific exception or hang.
 */
class CorruptInputFuzzTest {
    private static final Duration HANG_LIMIT = Duration.ofSeconds(30);

    enum MutationKind { FLIP_BIT, SET_BYTE, TRUNCATE, INSERT_BYTE, DUPLICATE_RANGE }

    record Mutation(MutationKind kind, double where, byte value) {
        byte[] applyTo(byte[] bytes) {
            int index = (int) (where * bytes.length);
            int inside = Math.min(index, Math.max(bytes.length - 1, 0));
            return switch (kind) {
                case FLIP_BIT -> {
                    byte[] copy = bytes.clone();
                    if (copy.length > 0) {
                        copy[inside] ^= (byte) (1 << (value & 7));
                    }
                    yield copy;
                }
                case SET_BYTE -> {
                    byte[] copy = bytes.clone();
                    if (copy.length > 0) {
                        copy[inside] = value;
                    }
                    yield copy;
                }
                case TRUNCATE -> Arrays.copyOf(bytes, index);
                case INSERT_BYTE -> {
                    byte[] copy = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, copy, 0, index);
                    copy[index] = value;
                    System.arraycopy(bytes, index, copy, index + 1, bytes.length - index);
                    yield copy;
                }
                case DUPLICATE_RANGE -> {
                    int length = Math.min(Byte.toUnsignedInt(value), bytes.length - index);
                    byte[] copy = new byte[bytes.length + length];
                    System.arraycopy(bytes, 0, copy, 0, index + length);
                    System.arraycopy(bytes, index, copy, index + length, bytes.length - index);
                    yield copy;
                }
            };
        }
    }

    @Provide
    Arbitrary<List<RecordArbitraries.Draft>> smallRecordSets() {
        return RecordArbitraries.drafts(6, 300);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Combinators.combine(
                Arbitraries.of(MutationKind.class),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.bytes())
                .as(Mutation::new)
                .list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 1_500)
    void randomBytesOnlyEverFailWithProtocolExceptions(@ForAll @Size(max = 400) byte[] bytes) {
        decodeEverythingPromptly(bytes);
    }

    @Property(tries = 1_500)
    void randomRecordsBehindAValidHeaderOnlyEverFailWithProtocolExceptions(
            @ForAll @IntRange(min = 0, max = 127) int attributes,
            @ForAll @IntRange(min = -2, max = 40) int recordCount,
            @ForAll @Size(max = 400) byte[] records) {
        decodeEverythingPromptly(TestBatches.withRecordsRegion(attributes, recordCount, records).array());
    }

    @Property(tries = 3_000)
    void mutatedValidBatchesOnlyEverFailWithProtocolExceptions(
            @ForAll CompressionType compression,
            @ForAll("smallRecordSets") List<RecordArbitraries.Draft> drafts,
            @ForAll("mutations") List<Mutation> mutations,
            @ForAll boolean fixCrcAfterMutating) {
        RecordBatchBuilder builder = new RecordBatchBuilder(0).compression(compression);
        RecordArbitraries.place(drafts, 0).forEach(record -> record.appendTo(builder));
        byte[] bytes = SampleRecord.toArray(builder.build().buffer());
        for (Mutation mutation : mutations) {
            bytes = mutation.applyTo(bytes);
        }
        if (fixCrcAfterMutating) {
            fixCrcIfStillABatch(bytes);
        }
        decodeEverythingPromptly(bytes);
    }

    private static void fixCrcIfStillABatch(byte[] bytes) {
        try {
            TestBatches.fixCrc(ByteBuffer.wrap(bytes));
        } catch (ProtocolException notABatchAnyMore) {
            // The mutation broke the header; decoding must reject it on its own.
        }
    }

    private static void decodeEverythingPromptly(byte[] bytes) {
        assertTimeoutPreemptively(HANG_LIMIT, () -> {
            decodeEverything(RecordBatchIterator.strict(ByteBuffer.wrap(bytes)));
            decodeEverything(RecordBatchIterator.allowingPartialTail(ByteBuffer.wrap(bytes)));
        });
    }

    /** Walks every batch and decodes every record, swallowing only protocol errors. */
    private static void decodeEverything(RecordBatchIterator batches) {
        while (true) {
            RecordBatch batch;
            try {
                if (!batches.hasNext()) {
                    return;
                }
                batch = batches.next();
            } catch (ProtocolException expected) {
                return;
            }
            touchHeader(batch);
            List<List<Long>> decoded = new ArrayList<>();
            boolean decodeFailed = false;
            try (RecordIterator records = batch.recordIterator()) {
                while (records.hasNext()) {
                    Record record = records.next();
                    touchRecord(record);
                    decoded.add(List.of(record.offset(), record.timestamp(), record.hasKey() ? 1L : 0L));
                }
            } catch (ProtocolException expected) {
                decodeFailed = true;
            }
            scanAgreesWithDecoding(batch, decodeFailed, decoded);
        }
    }

    /** {@link RecordBatch#scanRecords} accepts exactly what decoding accepts, and reads the same fields. */
    private static void scanAgreesWithDecoding(RecordBatch batch, boolean decodeFailed, List<List<Long>> decoded) {
        List<List<Long>> scanned = new ArrayList<>();
        boolean scanFailed = false;
        try {
            batch.scanRecords((index, offset, timestamp, hasKey) -> {
                assertThat(index).isEqualTo(scanned.size());
                scanned.add(List.of(offset, timestamp, hasKey ? 1L : 0L));
            });
        } catch (ProtocolException expected) {
            scanFailed = true;
        }
        assertThat(scanFailed).as("scan failed where decoding %s", decodeFailed ? "failed" : "succeeded").isEqualTo(decodeFailed);
        if (!decodeFailed) {
            assertThat(scanned).isEqualTo(decoded);
        }
    }

    private static void touchHeader(RecordBatch batch) {
        batch.isValid();
        batch.lastOffset();
        batch.lastSequence();
        batch.timestampType();
        batch.deleteHorizonMs();
        batch.toString();
        try {
            batch.compressionType();
            batch.ensureValid();
        } catch (ProtocolException expected) {
            // reported, as it should be
        }
    }

    private static void touchRecord(Record record) {
        record.keyBytes();
        record.valueBytes();
        record.headers().forEach(header -> header.key().length());
        record.toString();
    }
}
