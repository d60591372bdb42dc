package dev.borges.storage.log;

import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Record;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.protocol.record.Records;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds producer batches and reads back what the log returns, as (offset, key, value) triples. */
final class TestBatches {
    private TestBatches() {
    }

    /** A batch of {@code count} records "key-i"/"value-i" starting at {@code first}, all with {@code timestamp}. */
    static MemoryRecords batch(int first, int count, long timestamp) {
        RecordBatchBuilder builder = new RecordBatchBuilder(0L);
        for (int i = first; i < first + count; i++) {
            builder.append(timestamp, ("key-" + i).getBytes(StandardCharsets.UTF_8), ("value-" + i).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    static MemoryRecords batchOfSize(int valueBytes, long timestamp) {
        return new RecordBatchBuilder(0L).append(timestamp, "k".getBytes(StandardCharsets.UTF_8), new byte[valueBytes]).build();
    }

    /** Every record in {@code records}, in order, as "offset:key=value". */
    static List<String> contents(Records records) {
        ByteBuffer buffer = ByteBuffer.allocate(records.sizeInBytes());
        records.copyTo(buffer);
        List<String> result = new ArrayList<>();
        for (RecordBatch batch : MemoryRecords.readableView(buffer.flip()).completeBatches()) {
            for (Record record : batch.records()) {
                result.add(record.offset() + ":" + text(record.key()) + "=" + text(record.value()));
            }
        }
        return result;
    }

    /** Reads the whole log from {@code from} to its end, batch by batch as a consumer would. */
    static List<String> readAll(PartitionLog log, long from) {
        List<String> result = new ArrayList<>();
        long next = from;
        while (next < log.logEndOffset()) {
            FetchDataInfo info = log.read(next, 1024, FetchIsolation.LOG_END, true);
            List<String> chunk = contents(info.records());
            if (chunk.isEmpty()) {
                throw new AssertionError("Read at " + next + " returned nothing before the log end " + log.logEndOffset());
            }
            result.addAll(chunk);
            String last = chunk.get(chunk.size() - 1);
            next = Long.parseLong(last.substring(0, last.indexOf(':'))) + 1;
        }
        return result;
    }

    static List<String> expected(long firstOffset, int firstKey, int count) {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            result.add((firstOffset + i) + ":key-" + (firstKey + i) + "=value-" + (firstKey + i));
        }
        return result;
    }

    private static String text(ByteBuffer bytes) {
        if (bytes == null) {
            return "null";
        }
        ByteBuffer copy = bytes.duplicate();
        byte[] array = new byte[copy.remaining()];
        copy.get(array);
        return new String(array, StandardCharsets.UTF_8);
    }

    static void delete(java.nio.file.Path dir) {
        try (var files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
