package dev.borges.bench.storage;

import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.log.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
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
 * Many small appends spread over many partition logs, as the side-by-side harness's
 * {@code partitions} workload makes them: {@code partitions} fresh logs (default configuration, so
 * each has a 10 MiB offset index and a 10 MiB time index), then {@code recordsPerPartition} rounds
 * in which every log in turn takes one batch of a single 1 KiB record. What this stresses is not
 * the bytes (100 MB by default) but the per-append work spread over thousands of files: the segment
 * writes and, every {@code index.interval.bytes}, an entry in each of two indexes.
 *
 * <p>Single-shot: one op appends every batch into fresh logs, created and deleted outside the
 * timing. Appends/s = partitions × recordsPerPartition / seconds per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(1)
public class ManyPartitionsAppendBenchmark {

    @Param({"1000"})
    int partitions;

    @Param({"100"})
    int recordsPerPartition;

    private MemoryRecords batch;
    private Path root;
    private PartitionLog[] logs;

    @Setup(Level.Trial)
    public void buildBatch() {
        byte[] value = new byte[1024];
        new Random(42).nextBytes(value);
        MemoryRecords built = new RecordBatchBuilder(0L).append(System.currentTimeMillis(), null, value).build();
        ByteBuffer direct = ByteBuffer.allocateDirect(built.sizeInBytes());
        built.copyTo(direct);
        batch = MemoryRecords.readableView(direct.flip());
    }

    @Setup(Level.Invocation)
    public void openLogs() {
        root = LogFixtures.newRoot();
        logs = new PartitionLog[partitions];
        for (int p = 0; p < partitions; p++) {
            logs[p] = LogFixtures.open(root.resolve("p-" + p), LogFixtures.NO_ROLL);
        }
    }

    @TearDown(Level.Invocation)
    public void deleteLogs() {
        for (PartitionLog log : logs) {
            log.truncateFullyAndStartAt(0);
            log.close();
        }
        LogFixtures.discard(null, root);
        logs = null;
    }

    /** One batch per partition per round, round-robin; returns the sum of log end offsets. */
    @Benchmark
    public long appendRoundRobin() {
        for (int round = 0; round < recordsPerPartition; round++) {
            for (PartitionLog log : logs) {
                log.appendAsLeader(batch, 0);
            }
        }
        long sum = 0;
        for (PartitionLog log : logs) {
            sum += log.logEndOffset();
        }
        return sum;
    }
}
