package dev.borges.bench.codec;

import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Validating the CRC of a 1 MiB record batch, as the broker does on every produce, against
 * {@code java.util.zip.CRC32C} over the same bytes with nothing else around it. The two should
 * be within 10%: validation must add nothing but the checksum itself.
 * MB/s = ops/s × the batch size printed at setup (just under 1 MiB).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Crc32cBenchmark {
    private static final int BATCH_BYTES = 1 << 20;

    @Param({"heap", "direct"})
    String memory;

    private RecordBatch batch;
    private ByteBuffer checkedBytes;

    @Setup
    public void setUp() {
        Random random = new Random(7);
        RecordBatchBuilder builder = new RecordBatchBuilder(0L);
        while (builder.recordCount() * 1040 < BATCH_BYTES - 2048) {
            byte[] value = new byte[1024];
            random.nextBytes(value);
            builder.append(1_700_000_000_000L, null, value);
        }
        ByteBuffer built = builder.build().buffer();
        ByteBuffer buffer = memory.equals("direct") ? ByteBuffer.allocateDirect(built.remaining()) : ByteBuffer.allocate(built.remaining());
        buffer.put(built).flip();
        batch = RecordBatch.wrap(buffer);
        // The CRC covers everything from the attributes field to the end of the batch.
        checkedBytes = buffer.duplicate().position(21).slice();
        if (!batch.isValid()) {
            throw new IllegalStateException("benchmark batch is invalid");
        }
        System.out.printf("%nBatch: %d bytes, %d records, %d bytes under the CRC (%s)%n",
            batch.sizeInBytes(), batch.recordCount(), checkedBytes.remaining(), memory);
    }

    @Benchmark
    public boolean recordBatchIsValid() {
        return batch.isValid();
    }

    @Benchmark
    public long rawCrc32c() {
        CRC32C crc = new CRC32C();
        crc.update(checkedBytes.duplicate());
        return crc.getValue();
    }
}
