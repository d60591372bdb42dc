package dev.borges.bench.storage;

import dev.borges.protocol.compress.CompressionType;
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
 * The leader's append of the batches the side-by-side harness's {@code produce tuned} producer
 * sends (linger 5 ms, 256 KiB batches, lz4): 256 records of 1 KiB, each the same random upper-case
 * letters (as Kafka's {@code ProducerPerformance} makes its payload), compressed, through
 * {@code appendAsLeader}: validation, offset stamping, the segment write and index entries. The
 * batch sits in a direct buffer, as the network layer hands it over.
 *
 * <p>Single-shot: one op appends 1 GiB of record values (4,096 batches) to a fresh log, created and
 * deleted outside the timing; what lands on disk is the compressed size. Broker CPU-seconds per
 * GiB of values for this path = seconds per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@Fork(1)
public class CompressedAppendBenchmark {
    private static final int RECORDS_PER_BATCH = 256;
    private static final int VALUE_BYTES = 1024;
    private static final int BATCHES_PER_OP = (int) ((1L << 30) / (RECORDS_PER_BATCH * VALUE_BYTES));

    @Param({"lz4", "none"}) // lz4: the tuned producer's batches; none: the same records uncompressed
    String compression;

    private MemoryRecords batch;
    private Path root;
    private PartitionLog log;

    @Setup(Level.Trial)
    public void buildBatch() {
        byte[] value = new byte[VALUE_BYTES];
        Random random = new Random(42);
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) ('A' + random.nextInt(26));
        }
        RecordBatchBuilder builder = new RecordBatchBuilder(0L).compression(compression.equals("lz4") ? CompressionType.LZ4 : CompressionType.NONE);
        long now = System.currentTimeMillis();
        for (int i = 0; i < RECORDS_PER_BATCH; i++) {
            builder.append(now, null, value);
        }
        MemoryRecords built = builder.build();
        ByteBuffer direct = ByteBuffer.allocateDirect(built.sizeInBytes());
        built.copyTo(direct);
        batch = MemoryRecords.readableView(direct.flip());
        System.out.printf("%nBatch: %d records of %d bytes, %s: %d bytes%n", RECORDS_PER_BATCH, VALUE_BYTES, compression,
            batch.sizeInBytes());
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

    /** Appends 1 GiB of record values; returns the log end offset. */
    @Benchmark
    public long append1GiBOfValues() {
        for (int i = 0; i < BATCHES_PER_OP; i++) {
            log.appendAsLeader(batch, 0);
        }
        return log.logEndOffset();
    }
}
