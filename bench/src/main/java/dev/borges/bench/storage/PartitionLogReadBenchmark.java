package dev.borges.bench.storage;

import dev.borges.protocol.record.MemoryRecords;
import dev.borges.storage.log.FetchDataInfo;
import dev.borges.storage.log.FetchIsolation;
import dev.borges.storage.log.FileRecords;
import dev.borges.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a partition log sequentially from the page cache, as the broker serves a consumer: one
 * {@code read()} per fetch (at most {@code fetchBytes}, whole first batch at least, up to the high
 * watermark), then the bytes out. Two ways out:
 * <ul>
 *   <li>{@code zeroCopy}: {@link FileRecords#transferTo} into a {@code FileChannel} on
 *       {@code /dev/null}, which the JDK does with {@code sendfile(2)} straight from the page cache,
 *       as it would to a socket, minus the network stack;</li>
 *   <li>{@code copy}: {@link FileRecords#readInto} a direct buffer (one copy into user space), what
 *       a path that must see the bytes (TLS) pays.</li>
 * </ul>
 * The log (512 MiB of 16 KiB or 1 MiB batches of 1 KiB records, one segment) is written and
 * flushed at setup, so it sits in the page cache and no writeback runs meanwhile; reads wrap
 * around at its end. The {@code bytes} counter is bytes sent per second (whole fetches, including
 * the partial last batch a fetch may end with); MB/s = bytes/s / 10^6.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PartitionLogReadBenchmark {
    private static final long LOG_BYTES = 512L << 20;

    @Param({"16384", "1048576"})
    int batchBytes;

    /** Max bytes per read: a consumer's max.partition.fetch.bytes (default 1 MiB). */
    @Param({"1048576"})
    int fetchBytes;

    private Path root;
    private PartitionLog log;
    private FileChannel devNull;
    private ByteBuffer buffer;
    private int batchSize;
    private int recordsPerBatch;
    private long next;

    /** Bytes sent, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Sent {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void writeLog() throws IOException {
        MemoryRecords batch = LogFixtures.batch(batchBytes);
        batchSize = batch.sizeInBytes();
        recordsPerBatch = batch.batches().iterator().next().recordCount();
        root = LogFixtures.newRoot();
        log = LogFixtures.open(root, LogFixtures.NO_ROLL);
        while (log.size() + batchSize <= LOG_BYTES) {
            log.appendAsLeader(batch, 0);
        }
        log.flush(log.logEndOffset());
        log.updateHighWatermark(log.logEndOffset());
        devNull = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE);
        buffer = ByteBuffer.allocateDirect(Math.max(fetchBytes, batchSize));
        System.out.printf("%nLog: %d bytes in %d batches of %d bytes; reads of at most %d bytes%n", log.size(),
            log.size() / batchSize, batchSize, fetchBytes);
    }

    @TearDown(Level.Trial)
    public void deleteLog() throws IOException {
        devNull.close();
        LogFixtures.discard(log, root);
    }

    @Benchmark
    public long zeroCopy(Sent sent) throws IOException {
        FileRecords records = fetch();
        long size = records.sizeInBytes();
        long done = 0;
        while (done < size) {
            done += records.transferTo(devNull, done, size - done);
        }
        sent.bytes += size;
        return done;
    }

    @Benchmark
    public long copy(Sent sent) throws IOException {
        FileRecords records = fetch();
        int size = records.sizeInBytes();
        buffer.clear();
        records.readInto(buffer, 0, size);
        sent.bytes += size;
        return buffer.get(0);
    }

    /** The next fetch; the one after starts after its last whole batch (all batches are alike). */
    private FileRecords fetch() {
        FetchDataInfo info = log.read(next, fetchBytes, FetchIsolation.HIGH_WATERMARK, true);
        FileRecords records = (FileRecords) info.records();
        next += (long) (records.sizeInBytes() / batchSize) * recordsPerBatch;
        if (next >= log.highWatermark()) {
            next = 0;
        }
        return records;
    }
}
