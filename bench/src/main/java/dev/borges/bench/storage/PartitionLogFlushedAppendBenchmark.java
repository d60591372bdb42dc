package dev.borges.bench.storage;

import dev.borges.protocol.record.MemoryRecords;
import dev.borges.storage.log.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
 * {@link PartitionLogAppendBenchmark} with the data on the device at the end: one operation appends
 * 1 GiB of 1 MiB batches (direct buffers) to a fresh log, then {@code flush()}es it (fsync), like
 * {@code dd bs=1M count=1024 conv=fdatasync}. This is the figure bounded by the disk; the
 * unflushed one is bounded by the page cache. Only 1 MiB batches: each operation writes 1 GiB to
 * the device. MB/s = bytes per op (printed at setup) / seconds per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(1)
public class PartitionLogFlushedAppendBenchmark {
    private static final long BYTES_PER_OP = 1L << 30;

    @Param({"1048576"})
    int batchBytes;

    private MemoryRecords batch;
    private int appendsPerOp;
    private Path root;
    private PartitionLog log;

    @Setup(Level.Trial)
    public void buildBatch() {
        MemoryRecords built = LogFixtures.batch(batchBytes);
        ByteBuffer direct = ByteBuffer.allocateDirect(built.sizeInBytes());
        built.copyTo(direct);
        batch = MemoryRecords.readableView(direct.flip());
        appendsPerOp = (int) (BYTES_PER_OP / batch.sizeInBytes());
        System.out.printf("%nBatch: %d bytes; %d appends per op = %d bytes per op, then fsync%n", batch.sizeInBytes(), appendsPerOp,
            (long) appendsPerOp * batch.sizeInBytes());
    }

    @Setup(Level.Invocation)
    public void openLog() {
        root = LogFixtures.newRoot();
        log = LogFixtures.open(root, LogFixtures.NO_ROLL);
    }

    @TearDown(Level.Invocation)
    public void deleteLog() {
        LogFixtures.discard(log, root);
        log = null;
    }

    /** Appends 1 GiB batch by batch and forces it to the device; returns the recovery point. */
    @Benchmark
    public long append1GiBAndFlush() {
        for (int i = 0; i < appendsPerOp; i++) {
            log.appendAsLeader(batch, 0);
        }
        log.flush(log.logEndOffset());
        return log.recoveryPoint();
    }
}
