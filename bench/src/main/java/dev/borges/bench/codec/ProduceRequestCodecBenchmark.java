package dev.borges.bench.codec;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Request;
import dev.borges.protocol.RequestCodec;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.ProduceRequestData;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.protocol.types.Uuid;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * The broker's first step on every produce: decode a ProduceRequest frame carrying 16 KiB of
 * records (sixteen 1 KiB records in one batch), and the reverse, encoding it. Records stay a view
 * over the frame, so decoding costs the same whatever the payload size.
 * MB/s = ops/s × frame bytes (printed at setup).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProduceRequestCodecBenchmark {
    @Param({"9", "13"})
    short version;

    private ByteBuffer frame;
    private RequestHeader header;
    private ProduceRequestData body;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        RecordBatchBuilder batch = new RecordBatchBuilder(0L);
        for (int i = 0; i < 16; i++) {
            byte[] value = new byte[1024];
            random.nextBytes(value);
            batch.append(1_700_000_000_000L + i, ("key-" + i).getBytes(), value);
        }
        MemoryRecords records = batch.build();

        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData();
        if (version >= 13) {
            topic.setTopicId(new Uuid(1L, 2L));
        } else {
            topic.setName("benchmark-topic");
        }
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        body = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        body.topicData().add(topic);
        header = new RequestHeader(ApiKey.PRODUCE, version, 1, "producer-1");
        frame = RequestCodec.encode(header, body).position(4).slice();
        System.out.printf("%nProduceRequest v%d frame: %d bytes (%d bytes of records)%n", version, frame.remaining(), records.sizeInBytes());
    }

    @Benchmark
    public Request decode() {
        return RequestCodec.decode(frame.duplicate());
    }

    @Benchmark
    public ByteBuffer encode() {
        return RequestCodec.encode(header, body);
    }

    @Benchmark
    public ByteBuffer decodeAndEncode() {
        Request request = RequestCodec.decode(frame.duplicate());
        return RequestCodec.encode(request.header(), request.body());
    }
}
