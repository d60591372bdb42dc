package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.fetchRequest;
import static dev.borges.broker.handler.HandlerTestContext.header;
import static dev.borges.broker.handler.HandlerTestContext.only;
import static dev.borges.broker.handler.HandlerTestContext.records;
import static dev.borges.broker.handler.HandlerTestContext.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.FetchRequestData;
import dev.borges.protocol.message.FetchResponseData;
import dev.borges.protocol.message.ProduceRequestData;
import dev.borges.protocol.message.ProduceResponseData;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProduceFetchHandlerTest {
    private static final long NOW = System.currentTimeMillis();

    @TempDir
    Path logDir;

    private HandlerTestContext ctx;

    @BeforeEach
    void start() {
        ctx = new HandlerTestContext(logDir, 2);
    }

    @AfterEach
    void stop() {
        ctx.close();
    }

    @Test
    void producedRecordsAreFetchedBackInOrder() {
        ProduceResponseData first = ctx.produce(9, "orders", 0, records(NOW, "a", "b"));
        ProduceResponseData second = ctx.produce(9, "orders", 0, records(NOW, "c"));
        assertThat(first.responses().get(0).partitionResponses().get(0).baseOffset()).isZero();
        assertThat(second.responses().get(0).partitionResponses().get(0).baseOffset()).isEqualTo(2);

        FetchResponseData fetched = ctx.fetch.handle(header(ApiKey.FETCH, 12), fetchRequest("orders", 0, 0, 0, 1)).join();
        FetchResponseData.PartitionData partition = only(fetched);
        assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(partition.highWatermark()).isEqualTo(3);
        assertThat(values(partition.records())).containsExactly("0:a", "1:b", "2:c");
        assertThat(fetched.sessionId()).as("sessions declined").isZero();
    }

    @Test
    void topicsAreNamedByIdFromVersion13() {
        ProduceResponseData produced = ctx.produce(13, "orders", 1, records(NOW, "x"));
        assertThat(produced.responses().get(0).topicId()).isEqualTo(HandlerTestContext.ORDERS_ID);
        assertThat(produced.responses().get(0).partitionResponses().get(0).errorCode()).isEqualTo(Errors.NONE.code);

        FetchRequestData request = fetchRequest("ignored", 1, 0, 0, 1);
        request.topics().get(0).setTopic("").setTopicId(HandlerTestContext.ORDERS_ID);
        FetchResponseData fetched = ctx.fetch.handle(header(ApiKey.FETCH, 13), request).join();
        assertThat(fetched.responses().get(0).topicId()).isEqualTo(HandlerTestContext.ORDERS_ID);
        assertThat(values(only(fetched).records())).containsExactly("0:x");

        assertThat(ctx.produce(13, "unknown", 0, records(NOW, "y")).responses().get(0).partitionResponses().get(0).errorCode())
            .isEqualTo(Errors.UNKNOWN_TOPIC_ID.code);
    }

    @Test
    void unknownTopicsAndPartitionsGetErrorsNotExceptions() {
        assertThat(ctx.produce(9, "nope", 0, records(NOW, "a")).responses().get(0).partitionResponses().get(0).errorCode())
            .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
        assertThat(ctx.produce(9, "orders", 7, records(NOW, "a")).responses().get(0).partitionResponses().get(0).errorCode())
            .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
        assertThat(only(ctx.fetch.handle(header(ApiKey.FETCH, 12), fetchRequest("nope", 0, 0, 0, 1)).join()).errorCode())
            .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
        assertThat(only(ctx.fetch.handle(header(ApiKey.FETCH, 12), fetchRequest("orders", 0, 99, 0, 1)).join()).errorCode())
            .isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code);
    }

    @Test
    void acksZeroGetsNoResponseButIsWritten() {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 0).setTimeoutMs(1000);
        request.topicData().add(new ProduceRequestData.TopicProduceData().setName("orders"));
        request.topicData().get(0).partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
            .setRecords(records(NOW, "quiet")));
        assertThat(ctx.produce.handle(header(ApiKey.PRODUCE, 9), request).join()).isNull();
        assertThat(values(only(ctx.fetch.handle(header(ApiKey.FETCH, 12), fetchRequest("orders", 0, 0, 0, 1)).join()).records()))
            .containsExactly("0:quiet");
    }

    @Test
    void invalidAcksAreRefused() {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 2).setTimeoutMs(1000);
        request.topicData().add(new ProduceRequestData.TopicProduceData().setName("orders"));
        request.topicData().get(0).partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
            .setRecords(records(NOW, "a")));
        assertThat(ctx.produce.handle(header(ApiKey.PRODUCE, 9), request).join().responses().get(0).partitionResponses().get(0)
            .errorCode()).isEqualTo(Errors.INVALID_REQUIRED_ACKS.code);
    }

    @Test
    void aLongPollingFetchIsAnsweredByTheNextProduce() throws Exception {
        CompletableFuture<FetchResponseData> waiting = ctx.fetch.handle(header(ApiKey.FETCH, 12), fetchRequest("orders", 0, 0, 30_000, 1));
        Thread.sleep(50);
        assertThat(waiting).as("nothing to read yet: the fetch waits").isNotDone();
        ctx.produce(9, "orders", 0, records(NOW, "wake"));
        FetchResponseData response = waiting.get(5, TimeUnit.SECONDS);
        assertThat(values(only(response).records())).containsExactly("0:wake");
    }

    @Test
    void aLongPollingFetchAnswersEmptyAfterMaxWait() throws Exception {
        long start = System.nanoTime();
        FetchResponseData response = ctx.fetch.handle(header(ApiKey.FETCH, 12), fetchRequest("orders", 0, 0, 200, 1))
            .get(5, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(150);
        assertThat(only(response).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(only(response).records().sizeInBytes()).isZero();
    }

    @Test
    void aStaleLeaderEpochIsFenced() {
        ctx.partitions.becomeLeader(new dev.borges.storage.TopicPartition("orders", 0), HandlerTestContext.ORDERS_ID, 3,
            java.util.Set.of(1), dev.borges.storage.config.LogConfig.defaults());
        FetchRequestData stale = fetchRequest("orders", 0, 0, 0, 1);
        stale.topics().get(0).partitions().get(0).setCurrentLeaderEpoch(2);
        assertThat(only(ctx.fetch.handle(header(ApiKey.FETCH, 12), stale).join()).errorCode()).isEqualTo(Errors.FENCED_LEADER_EPOCH.code);
        stale.topics().get(0).partitions().get(0).setCurrentLeaderEpoch(4);
        assertThat(only(ctx.fetch.handle(header(ApiKey.FETCH, 12), stale).join()).errorCode()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code);
    }
}
