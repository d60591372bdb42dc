package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.header;
import static dev.borges.broker.handler.HandlerTestContext.txnRecords;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.purgatory.Purgatory;
import dev.borges.broker.txn.TransactionCoordinator;
import dev.borges.broker.txn.TxnConfig;
import dev.borges.broker.txn.TxnMarkerRouter;
import dev.borges.broker.txn.TxnMarkerWriter;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.AddOffsetsToTxnRequestData;
import dev.borges.protocol.message.AddPartitionsToTxnRequestData;
import dev.borges.protocol.message.AddPartitionsToTxnResponseData;
import dev.borges.protocol.message.DescribeTransactionsRequestData;
import dev.borges.protocol.message.DescribeTransactionsResponseData;
import dev.borges.protocol.message.EndTxnRequestData;
import dev.borges.protocol.message.InitProducerIdRequestData;
import dev.borges.protocol.message.InitProducerIdResponseData;
import dev.borges.protocol.message.ListTransactionsRequestData;
import dev.borges.protocol.message.ListTransactionsResponseData;
import dev.borges.protocol.message.ProduceRequestData;
import dev.borges.protocol.message.ProduceResponseData;
import dev.borges.protocol.message.WriteTxnMarkersRequestData;
import dev.borges.protocol.types.ApiMessage;
import dev.borges.storage.Time;
import dev.borges.storage.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transactional APIs' handlers on a real transaction coordinator (its shards on
 * {@code __transaction_state} partitions of a one-broker controller): Kafka's errors for bad
 * input, the Produce-side verification, and every registered version readable by kafka-clients.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TxnHandlersTest {
    private AdminTestContext ctx;
    private TransactionCoordinator transactions;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong producerIds = new AtomicLong(5000);
    private InitProducerIdHandler init;
    private AddPartitionsToTxnHandler addPartitions;
    private AddOffsetsToTxnHandler addOffsets;
    private EndTxnHandler endTxn;
    private DescribeTransactionsHandler describe;
    private ListTransactionsHandler list;
    private WriteTxnMarkersHandler writeMarkers;
    private ProduceHandler produce;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        ctx = new AdminTestContext(dir, Map.of("transaction.state.log.num.partitions", "2", "offsets.topic.num.partitions", "2"));
        ctx.createTopic("orders", 2);
        Purgatory<dev.borges.storage.TopicPartition> fetchPurgatory = new Purgatory<>("fetch", timer);
        TxnMarkerRouter router = TxnMarkerRouter.of(new TxnMarkerWriter(ctx.partitions, fetchPurgatory),
            (tp, producerId, epoch, coordinatorEpoch, commit) -> CompletableFuture.completedFuture(Errors.NONE), GroupCoordinator.OFFSETS_TOPIC);
        transactions = new TransactionCoordinator(TxnConfig.from(ctx.config), Time.SYSTEM, 1, ctx.publisher::image,
            topic -> ctx.controller.createTopics(List.of(topic), false), () -> CompletableFuture.completedFuture(producerIds.getAndIncrement()),
            groupId -> new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, 0), router, fetchPurgatory, timer);
        ctx.publisher.addLeadershipListener(transactions);
        transactions.ensureStateTopic().join();
        init = new InitProducerIdHandler(null, transactions);
        addPartitions = new AddPartitionsToTxnHandler(transactions, ctx.publisher::image);
        addOffsets = new AddOffsetsToTxnHandler(transactions);
        endTxn = new EndTxnHandler(transactions);
        describe = new DescribeTransactionsHandler(transactions);
        list = new ListTransactionsHandler(transactions);
        writeMarkers = new WriteTxnMarkersHandler(router);
        produce = new ProduceHandler(ctx.partitions, ctx.publisher, fetchPurgatory, (transactionalId, producerId, epoch, tp) ->
            transactions.verify(transactionalId, producerId, epoch, List.of(tp)).thenApply(errors -> errors.get(tp)));
    }

    @AfterAll
    void stop() {
        transactions.close();
        timer.shutdownNow();
        ctx.close();
    }

    /** InitProducerId for {@code transactionalId}, retried while its partition loads. */
    private InitProducerIdResponseData initProducer(String transactionalId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            InitProducerIdResponseData response = init.handle(header(ApiKey.INIT_PRODUCER_ID, 4), new InitProducerIdRequestData()
                .setTransactionalId(transactionalId).setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1)).join();
            Errors error = Errors.forCode(response.errorCode());
            if (error != Errors.COORDINATOR_LOAD_IN_PROGRESS && error != Errors.NOT_COORDINATOR) {
                assertThat(error).isEqualTo(Errors.NONE);
                return response;
            }
            assertThat(System.currentTimeMillis()).as("coordinator loaded").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static AddPartitionsToTxnRequestData v3Add(String transactionalId, long producerId, String topic, int... partitions) {
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic added = new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName(topic);
        for (int partition : partitions) {
            added.partitions().add(partition);
        }
        AddPartitionsToTxnRequestData request = new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId(transactionalId)
            .setV3AndBelowProducerId(producerId).setV3AndBelowProducerEpoch((short) 0);
        request.v3AndBelowTopics().add(added);
        return request;
    }

    private static Map<String, Short> errors(List<AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult> topics) {
        Map<String, Short> errors = new LinkedHashMap<>();
        for (AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult topic : topics) {
            for (AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult partition : topic.resultsByPartition()) {
                errors.put(topic.name() + "-" + partition.partitionIndex(), partition.partitionErrorCode());
            }
        }
        return errors;
    }

    private ProduceResponseData.PartitionProduceResponse produceTransactional(String transactionalId, long producerId, int partition,
                                                                             int sequence) {
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName("orders");
        data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(partition)
            .setRecords(txnRecords(producerId, sequence, System.currentTimeMillis(), "v" + sequence)));
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000).setTransactionalId(transactionalId);
        request.topicData().add(data);
        return produce.handle(header(ApiKey.PRODUCE, 9), request).join().responses().get(0).partitionResponses().get(0);
    }

    @Test
    void badRequestsGetKafkasErrors() throws Exception {
        assertThat(errors(addPartitions.handle(header(ApiKey.ADD_PARTITIONS_TO_TXN, 3), v3Add("never-initialised", 1L, "orders", 0))
            .join().resultsByTopicV3AndBelow())).containsEntry("orders-0", Errors.INVALID_PRODUCER_ID_MAPPING.code);

        long producerId = initProducer("bad-input").producerId();
        AddPartitionsToTxnRequestData unknownTopic = v3Add("bad-input", producerId, "orders", 0);
        unknownTopic.v3AndBelowTopics().add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("missing")
            .setPartitions(new ArrayList<>(List.of(0))));
        assertThat(errors(addPartitions.handle(header(ApiKey.ADD_PARTITIONS_TO_TXN, 3), unknownTopic).join().resultsByTopicV3AndBelow()))
            .containsEntry("orders-0", Errors.OPERATION_NOT_ATTEMPTED.code)
            .containsEntry("missing-0", Errors.UNKNOWN_TOPIC_OR_PARTITION.code);

        assertThat(endTxn.handle(header(ApiKey.END_TXN, 4), new EndTxnRequestData().setTransactionalId("bad-input")
            .setProducerId(producerId).setProducerEpoch((short) 0).setCommitted(true)).join().errorCode())
            .as("EndTxn without a transaction").isEqualTo(Errors.INVALID_TXN_STATE.code);
        assertThat(endTxn.handle(header(ApiKey.END_TXN, 4), new EndTxnRequestData().setTransactionalId("bad-input")
            .setProducerId(producerId).setProducerEpoch((short) 3).setCommitted(true)).join().errorCode())
            .as("EndTxn from a fenced epoch").isEqualTo(Errors.PRODUCER_FENCED.code);
        assertThat(endTxn.handle(header(ApiKey.END_TXN, 4), new EndTxnRequestData().setTransactionalId("nobody")
            .setProducerId(producerId).setProducerEpoch((short) 0).setCommitted(false)).join().errorCode())
            .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING.code);

        assertThat(init.handle(header(ApiKey.INIT_PRODUCER_ID, 4), new InitProducerIdRequestData().setTransactionalId("slow")
            .setTransactionTimeoutMs(900_001)).join().errorCode()).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT.code);
        assertThat(init.handle(header(ApiKey.INIT_PRODUCER_ID, 4), new InitProducerIdRequestData().setTransactionalId("slow")
            .setTransactionTimeoutMs(0)).join().errorCode()).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT.code);

        DescribeTransactionsResponseData described = describe.handle(header(ApiKey.DESCRIBE_TRANSACTIONS, 0),
            new DescribeTransactionsRequestData().setTransactionalIds(new ArrayList<>(List.of("nobody", "bad-input")))).join();
        assertThat(described.transactionStates().get(0).errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND.code);
        assertThat(described.transactionStates().get(1).transactionState()).isEqualTo("Empty");

        ListTransactionsResponseData listed = list.handle(header(ApiKey.LIST_TRANSACTIONS, 1), new ListTransactionsRequestData()
            .setStateFilters(new ArrayList<>(List.of("Empty", "Sleeping")))).join();
        assertThat(listed.unknownStateFilters()).containsExactly("Sleeping");
        assertThat(listed.transactionStates()).extracting(ListTransactionsResponseData.TransactionState::transactionalId)
            .contains("bad-input");
        assertThat(list.handle(header(ApiKey.LIST_TRANSACTIONS, 2), new ListTransactionsRequestData().setTransactionalIdPattern("(["))
            .join().errorCode()).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code);
        assertThat(addOffsets.handle(header(ApiKey.ADD_OFFSETS_TO_TXN, 3), new AddOffsetsToTxnRequestData().setTransactionalId("nobody")
            .setProducerId(1L).setGroupId("g")).join().errorCode()).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING.code);
    }

    @Test
    void aTransactionalBatchForAPartitionNotInTheTransactionIsRefused() throws Exception {
        long producerId = initProducer("verified").producerId();
        assertThat(produceTransactional("verified", producerId, 0, 0).errorCode()).isEqualTo(Errors.INVALID_TXN_STATE.code);

        assertThat(errors(addPartitions.handle(header(ApiKey.ADD_PARTITIONS_TO_TXN, 3), v3Add("verified", producerId, "orders", 0))
            .join().resultsByTopicV3AndBelow())).containsEntry("orders-0", Errors.NONE.code);
        assertThat(produceTransactional("verified", producerId, 0, 0).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(produceTransactional("verified", producerId, 1, 0).errorCode()).isEqualTo(Errors.INVALID_TXN_STATE.code);

        AddPartitionsToTxnRequestData verifyOnly = new AddPartitionsToTxnRequestData();
        verifyOnly.transactions().add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction().setTransactionalId("verified")
            .setProducerId(producerId).setProducerEpoch((short) 0).setVerifyOnly(true)
            .setTopics(new ArrayList<>(List.of(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("orders")
                .setPartitions(new ArrayList<>(List.of(0, 1)))))));
        AddPartitionsToTxnResponseData verified = addPartitions.handle(header(ApiKey.ADD_PARTITIONS_TO_TXN, 5), verifyOnly).join();
        assertThat(errors(verified.resultsByTransaction().get(0).topicResults()))
            .containsEntry("orders-0", Errors.NONE.code).containsEntry("orders-1", Errors.INVALID_TXN_STATE.code);

        assertThat(endTxn.handle(header(ApiKey.END_TXN, 4), new EndTxnRequestData().setTransactionalId("verified")
            .setProducerId(producerId).setProducerEpoch((short) 0).setCommitted(true)).join().errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(produceTransactional("verified", producerId, 0, 1).errorCode()).as("after EndTxn")
            .isEqualTo(Errors.INVALID_TXN_STATE.code);
    }

    @Test
    void everyVersionOfEveryTransactionalApiIsReadableByKafkaClients() throws Exception {
        long producerId = initProducer("versions").producerId();
        Map<ApiKey, IntFunction<CompletableFuture<? extends ApiMessage>>> calls = new LinkedHashMap<>();
        calls.put(ApiKey.INIT_PRODUCER_ID, v -> init.handle(header(ApiKey.INIT_PRODUCER_ID, v), new InitProducerIdRequestData()
            .setTransactionalId("versions-" + v).setTransactionTimeoutMs(60_000)));
        calls.put(ApiKey.ADD_PARTITIONS_TO_TXN, v -> {
            if (v < 4) {
                return addPartitions.handle(header(ApiKey.ADD_PARTITIONS_TO_TXN, v), v3Add("versions", producerId, "orders", 1));
            }
            AddPartitionsToTxnRequestData request = new AddPartitionsToTxnRequestData();
            request.transactions().add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction().setTransactionalId("versions")
                .setProducerId(producerId).setVerifyOnly(true).setTopics(new ArrayList<>(List.of(
                    new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("orders").setPartitions(new ArrayList<>(List.of(1)))))));
            return addPartitions.handle(header(ApiKey.ADD_PARTITIONS_TO_TXN, v), request);
        });
        calls.put(ApiKey.ADD_OFFSETS_TO_TXN, v -> addOffsets.handle(header(ApiKey.ADD_OFFSETS_TO_TXN, v), new AddOffsetsToTxnRequestData()
            .setTransactionalId("versions").setProducerId(producerId).setGroupId("g")));
        calls.put(ApiKey.END_TXN, v -> endTxn.handle(header(ApiKey.END_TXN, v), new EndTxnRequestData().setTransactionalId("nobody")
            .setProducerId(producerId).setCommitted(true)));
        calls.put(ApiKey.DESCRIBE_TRANSACTIONS, v -> describe.handle(header(ApiKey.DESCRIBE_TRANSACTIONS, v),
            new DescribeTransactionsRequestData().setTransactionalIds(new ArrayList<>(List.of("versions", "nobody")))));
        calls.put(ApiKey.LIST_TRANSACTIONS, v -> list.handle(header(ApiKey.LIST_TRANSACTIONS, v), new ListTransactionsRequestData()));
        calls.put(ApiKey.WRITE_TXN_MARKERS, v -> {
            WriteTxnMarkersRequestData request = new WriteTxnMarkersRequestData();
            request.markers().add(new WriteTxnMarkersRequestData.WritableTxnMarker().setProducerId(777L).setTransactionResult(false)
                .setTopics(new ArrayList<>(List.of(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName("orders")
                    .setPartitionIndexes(new ArrayList<>(List.of(0)))))));
            return writeMarkers.handle(header(ApiKey.WRITE_TXN_MARKERS, v), request);
        });
        List<String> checked = new ArrayList<>();
        calls.forEach((apiKey, call) -> {
            for (short version = apiKey.lowestVersion; version <= apiKey.highestVersion; version++) {
                ApiMessage response = call.apply(version).join();
                ByteBuffer bytes = response.toByteBuffer(version);
                AbstractResponse parsed = AbstractResponse.parseResponse(ApiKeys.forId(apiKey.id), new ByteBufferAccessor(bytes), version);
                assertThat(parsed.apiKey().id).isEqualTo(apiKey.id);
                assertThat(bytes.remaining()).as("%s v%d read whole", apiKey.title, version).isZero();
                checked.add(apiKey.title + " v" + version);
            }
        });
        assertThat(checked).contains("InitProducerId v0", "InitProducerId v5", "AddPartitionsToTxn v3", "AddPartitionsToTxn v5",
            "AddOffsetsToTxn v4", "EndTxn v4", "DescribeTransactions v0", "ListTransactions v2", "WriteTxnMarkers v1");
    }
}
