package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.header;
import static dev.borges.broker.handler.HandlerTestContext.records;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.borges.broker.txn.TransactionCoordinator;
import dev.borges.broker.txn.TxnConfig;
import dev.borges.protocol.ApiKey;
import dev.borges.storage.Time;
import dev.borges.protocol.message.ApiVersionsRequestData;
import dev.borges.protocol.message.FetchRequestData;
import dev.borges.protocol.message.InitProducerIdRequestData;
import dev.borges.protocol.message.ListOffsetsRequestData;
import dev.borges.protocol.types.ApiMessage;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every version a handler may be asked for produces a response that version can carry: a field
 * set to a non-default value in a version that lacks it (and is not ignorable) would make the
 * network layer close the client's connection. Clients use very different versions (librdkafka
 * 2.0 asks ListOffsets v2, kafka-clients 4.4 v10), so each version is exercised.
 */
class ResponseVersionsTest {
    private static final long NOW = System.currentTimeMillis();

    @TempDir
    Path logDir;

    private HandlerTestContext ctx;

    @BeforeEach
    void start() {
        ctx = new HandlerTestContext(logDir, 1);
        ctx.produce(9, "orders", 0, records(NOW, "a", "b"));
    }

    @AfterEach
    void stop() {
        ctx.close();
    }

    private static void assertEveryVersionWritable(ApiKey key, Function<Short, CompletableFuture<? extends ApiMessage>> handle) {
        for (short v = key.lowestVersion; v <= key.highestVersion; v++) {
            short version = v;
            assertThatCode(() -> {
                ApiMessage response = handle.apply(version).join();
                if (response != null) {
                    response.toByteBuffer(version);
                }
            }).as("%s v%d", key, version).doesNotThrowAnyException();
        }
    }

    @Test
    void listOffsetsResponsesFitEveryVersion() {
        assertEveryVersionWritable(ApiKey.LIST_OFFSETS, version -> {
            ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1);
            request.topics().add(new ListOffsetsRequestData.ListOffsetsTopic().setName("orders"));
            request.topics().get(0).partitions().add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                .setTimestamp(-1));
            request.topics().get(0).partitions().add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                .setTimestamp(NOW - 10));
            return ctx.listOffsets.handle(header(ApiKey.LIST_OFFSETS, version), request);
        });
    }

    @Test
    void produceResponsesFitEveryVersion() {
        assertEveryVersionWritable(ApiKey.PRODUCE, version -> CompletableFuture.completedFuture(
            ctx.produce(version, "orders", 0, records(NOW, "v" + version))));
    }

    @Test
    void fetchResponsesFitEveryVersion() {
        assertEveryVersionWritable(ApiKey.FETCH, version -> {
            FetchRequestData request = HandlerTestContext.fetchRequest("orders", 0, 0, 0, 1);
            if (version >= 13) {
                request.topics().get(0).setTopic("").setTopicId(HandlerTestContext.ORDERS_ID);
            }
            return ctx.fetch.handle(header(ApiKey.FETCH, version), request);
        });
    }

    @Test
    void apiVersionsResponsesFitEveryVersion() {
        ApiVersionsHandler handler = new ApiVersionsHandler(HandlerTestContext::handledApis);
        assertEveryVersionWritable(ApiKey.API_VERSIONS, version -> handler.handle(header(ApiKey.API_VERSIONS, version),
            new ApiVersionsRequestData().setClientSoftwareName("kcat").setClientSoftwareVersion("1.7.1")));
    }

    @Test
    void initProducerIdRefusalsFitEveryVersion() {
        try (TransactionCoordinator transactions = new TransactionCoordinator(TxnConfig.defaults(), Time.SYSTEM, 1, () -> null, null,
            null, null, null, null, null)) {
            InitProducerIdHandler handler = new InitProducerIdHandler(null, transactions);
            assertEveryVersionWritable(ApiKey.INIT_PRODUCER_ID, version -> handler.handle(header(ApiKey.INIT_PRODUCER_ID, version),
                new InitProducerIdRequestData().setTransactionalId("txn").setTransactionTimeoutMs(Integer.MAX_VALUE)));
        }
    }
}
