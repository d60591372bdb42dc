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
 * Appending producer batches of 1 KiB records to a partition log, as the leader does on produce:
 * validation (structure and CRC), offset stamping in place, the write to the active segment and
 * its index entries. No flush ({@code flush.messages} and {@code flush.ms} at their defaults), and
 * by default one segment large enough that nothing rolls, so this is the append path into the page cache:
 * compare with {@code dd bs=1M} without fsync on the same file system.
 *
 * <p>One operation appends 1 GiB (65,536 batches of 16 KiB, or 1,031 of 1 MiB) to a fresh log,
 * which is deleted after it, outside the timing: a time-bounded iteration would write as much as
 * the disk takes (GiBs per second), and wrapping the log inside the timing would measure file
 * truncation. Hence single-shot mode; {@code -w}/{@code -r} do not apply.
 * MB/s = bytes per op (printed at setup) / seconds per op; appends/s = appends per op / seconds per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class PartitionLogAppendBenchmark {
    private static final long BYTES_PER_OP = 1L << 30;

    @Param({"16384", "1048576"})
    int batchBytes;

    /**
     * Where the produced batch lives: {@code direct} as a network layer hands it over (one copy, into
     * the page cache), {@code heap} as a test builds it (the JDK first copies a heap buffer into a
     * temporary direct one).
     */
    @Param({"direct", "heap"})
    String memory;

    /**
     * {@code segment.bytes}; by default nothing rolls. A smaller value (e.g. {@code -p
     * segmentBytes=268435456}) shows what rolling costs: the append that rolls flushes the closed
     * segment before returning.
     */
    @Param({"2147483647"})
    int segmentBytes;

    private MemoryRecords batch;
    private int appendsPerOp;
    private Path root;
    private PartitionLog log;

    @Setup(Level.Trial)
    public void buildBatch() {
        MemoryRecords built = LogFixtures.batch(batchBytes);
        if (memory.equals("direct")) {
            ByteBuffer direct = ByteBuffer.allocateDirect(built.sizeInBytes());
            built.copyTo(direct);
            batch = MemoryRecords.readableView(direct.flip());
        } else {
            batch = built;
        }
        appendsPerOp = (int) (BYTES_PER_OP / batch.sizeInBytes());
        System.out.printf("%nBatch: %d bytes; %d appends per op = %d bytes per op%n", batch.sizeInBytes(), appendsPerOp,
            (long) appendsPerOp * batch.sizeInBytes());
    }

    @Setup(Level.Invocation)
    public void openLog() {
        root = LogFixtures.newRoot();
        log = LogFixtures.open(root, segmentBytes);
    }

    @TearDown(Level.Invocation)
    public void deleteLog() {
        LogFixtures.discard(log, root);
        log = null;
    }

    /** Appends 1 GiB, batch by batch; returns the log end offset. */
    @Benchmark
    public long append1GiB() {
        for (int i = 0; i < appendsPerOp; i++) {
            log.appendAsLeader(batch, 0);
        }
        return log.logEndOffset();
    }
}
