package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.partition.Partition;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.OffsetFetchRequestData;
import dev.borges.protocol.message.OffsetFetchResponseData;
import dev.borges.protocol.message.TxnOffsetCommitRequestData;
import dev.borges.protocol.message.TxnOffsetCommitResponseData;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.log.FetchDataInfo;
import dev.borges.storage.log.FetchIsolation;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.coordinator.group.generated.OffsetCommitKey;
import org.apache.kafka.coordinator.group.generated.OffsetCommitValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TxnOffsetCommit and the end of a transaction on {@code __consumer_offsets}, through the handlers
 * and a real partition, with Kafka's own record classes reading what the coordinator wrote.
 */
class TxnOffsetCommitHandlerTest {
    private static final TopicPartition OFFSETS = new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, 0);
    private static final long PRODUCER = 1000L;

    @TempDir
    Path dir;

    private GroupCoordinatorFixture fixture;
    private AdminTestContext ctx;
    private GroupCoordinator groups;
    private TxnOffsetCommitHandler handler;

    @BeforeEach
    void start() throws Exception {
        fixture = new GroupCoordinatorFixture(dir, Map.of("offsets.topic.num.partitions", "1"));
        ctx = fixture.ctx;
        groups = fixture.groups;
        ctx.createTopic("orders", 2);
        groups.ensureOffsetsTopic().join();
        fixture.loop.runAll();
        handler = new TxnOffsetCommitHandler(groups, ctx.publisher::image);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private <T> T run(CompletableFuture<T> future) {
        return fixture.run(future);
    }

    private static TxnOffsetCommitRequestData txnCommit(short producerEpoch, String topic, int partition, long offset) {
        TxnOffsetCommitRequestData request = new TxnOffsetCommitRequestData().setTransactionalId("app-1").setGroupId("g")
            .setProducerId(PRODUCER).setProducerEpoch(producerEpoch).setGenerationIdOrMemberEpoch(-1);
        request.topics().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(topic).setPartitions(new ArrayList<>(
            List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(partition).setCommittedOffset(offset)
                .setCommittedLeaderEpoch(2).setCommittedMetadata("m")))));
        return request;
    }

    private short commit(short producerEpoch, String topic, int partition, long offset) {
        TxnOffsetCommitResponseData response = run(handler.handle(header(ApiKey.TXN_OFFSET_COMMIT, 3),
            txnCommit(producerEpoch, topic, partition, offset)));
        return response.topics().get(0).partitions().get(0).errorCode();
    }

    private OffsetFetchResponseData.OffsetFetchResponsePartitions fetch(boolean requireStable) {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setRequireStable(requireStable);
        request.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g").setTopics(List.of(
            new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("orders").setPartitionIndexes(List.of(0)))));
        OffsetFetchResponseData response = run(new OffsetFetchHandler(groups, ctx.publisher::image)
            .handle(header(ApiKey.OFFSET_FETCH, 8), request));
        return response.groups().get(0).topics().get(0).partitions().get(0);
    }

    /** The batches of {@code __consumer_offsets-0}, read with Kafka's classes. */
    private List<RecordBatch> offsetsBatches() {
        Partition partition = ctx.partitions.leader(OFFSETS);
        List<RecordBatch> batches = new ArrayList<>();
        long offset = 0;
        while (offset < partition.log().logEndOffset()) {
            FetchDataInfo data = partition.read(offset, 1 << 20, FetchIsolation.LOG_END, true);
            ByteBuffer buffer = ByteBuffer.allocate(data.records().sizeInBytes());
            data.records().copyTo(buffer);
            buffer.flip();
            for (RecordBatch batch : MemoryRecords.readableRecords(buffer).batches()) {
                batches.add(batch);
                offset = batch.nextOffset();
            }
        }
        return batches;
    }

    @Test
    void offsetsAreWrittenAsATransactionalBatchAndCommittedByTheMarker() {
        TxnOffsetCommitRequestData request = txnCommit((short) 0, "orders", 0, 7);
        request.topics().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName("nope").setPartitions(new ArrayList<>(
            List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(0)))));
        TxnOffsetCommitResponseData response = run(handler.handle(header(ApiKey.TXN_OFFSET_COMMIT, 3), request));
        assertThat(response.topics()).extracting(t -> t.name() + "=" + t.partitions().get(0).errorCode())
            .containsExactlyInAnyOrder("orders=0", "nope=" + Errors.UNKNOWN_TOPIC_OR_PARTITION.code);

        assertThat(fetch(true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code);
        assertThat(fetch(false).committedOffset()).isEqualTo(-1);
        Partition offsets = ctx.partitions.leader(OFFSETS);
        assertThat(offsets.lastStableOffset()).as("the open transaction holds the LSO").isZero();

        RecordBatch data = offsetsBatches().get(0);
        assertThat(data.isTransactional()).isTrue();
        assertThat(data.isControlBatch()).isFalse();
        assertThat(data.producerId()).isEqualTo(PRODUCER);
        assertThat(data.producerEpoch()).isZero();
        Record record = data.iterator().next();
        ByteBuffer key = record.key();
        assertThat(key.getShort()).isEqualTo((short) 1);
        OffsetCommitKey kafkaKey = new OffsetCommitKey(new ByteBufferAccessor(key), (short) 0);
        assertThat(kafkaKey.group() + "/" + kafkaKey.topic() + "-" + kafkaKey.partition()).isEqualTo("g/orders-0");
        ByteBuffer value = record.value();
        OffsetCommitValue kafkaValue = new OffsetCommitValue(new ByteBufferAccessor(value), value.getShort());
        assertThat(kafkaValue.offset()).isEqualTo(7);
        assertThat(kafkaValue.leaderEpoch()).isEqualTo(2);
        assertThat(kafkaValue.metadata()).isEqualTo("m");

        assertThat(run(groups.completeTransaction(OFFSETS, PRODUCER, (short) 0, 5, true))).isEqualTo(Errors.NONE);

        RecordBatch marker = offsetsBatches().get(1);
        assertThat(marker.isControlBatch()).isTrue();
        assertThat(marker.producerId()).isEqualTo(PRODUCER);
        Record markerRecord = marker.iterator().next();
        assertThat(ControlRecordType.parse(markerRecord.key())).isEqualTo(ControlRecordType.COMMIT);
        assertThat(EndTransactionMarker.deserialize(markerRecord).coordinatorEpoch()).isEqualTo(5);
        assertThat(offsets.lastStableOffset()).isEqualTo(offsets.log().logEndOffset());
        assertThat(fetch(true).committedOffset()).isEqualTo(7);
    }

    @Test
    void anAbortedTransactionLeavesTheOffsetAsItWas() {
        commit((short) 0, "orders", 0, 7);
        assertThat(run(groups.completeTransaction(OFFSETS, PRODUCER, (short) 0, 5, true))).isEqualTo(Errors.NONE);
        commit((short) 0, "orders", 0, 9);
        assertThat(run(groups.completeTransaction(OFFSETS, PRODUCER, (short) 0, 5, false))).isEqualTo(Errors.NONE);
        assertThat(fetch(true).committedOffset()).isEqualTo(7);
        assertThat(offsetsBatches()).as("a second transaction of the same epoch is written, not taken for a retry").hasSize(4);
    }

    @Test
    void fencedProducersAndCoordinatorsAreRefused() {
        assertThat(commit((short) 2, "orders", 0, 7)).isEqualTo(Errors.NONE.code);
        assertThat(commit((short) 1, "orders", 0, 8)).as("a zombie producer").isEqualTo(Errors.INVALID_PRODUCER_EPOCH.code);
        assertThat(run(groups.completeTransaction(OFFSETS, PRODUCER, (short) 1, 5, true))).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(run(groups.completeTransaction(OFFSETS, PRODUCER, (short) 2, 5, true))).isEqualTo(Errors.NONE);
        commit((short) 2, "orders", 0, 9);
        assertThat(run(groups.completeTransaction(OFFSETS, PRODUCER, (short) 2, 4, true)))
            .as("a coordinator older than the last marker's").isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
        assertThat(fetch(false).committedOffset()).isEqualTo(7);
    }

    @Test
    void aMarkerForAPartitionThisBrokerDoesNotCoordinateIsRetriedLikeANotLeaderError() {
        assertThat(run(groups.completeTransaction(new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, 3), PRODUCER, (short) 0, 5, true)))
            .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThatThrownBy(() -> groups.completeTransaction(new TopicPartition("orders", 0), PRODUCER, (short) 0, 5, true))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReloadedPartitionKeepsAnOpenTransactionPendingUntilItsMarker() {
        commit((short) 0, "orders", 0, 7);
        assertThat(run(groups.completeTransaction(OFFSETS, PRODUCER, (short) 0, 5, true))).isEqualTo(Errors.NONE);
        commit((short) 0, "orders", 0, 11);

        Partition offsets = ctx.partitions.leader(OFFSETS);
        offsets.becomeLeader(offsets.leaderEpoch() + 1, offsets.isr());
        groups.onBecomeLeader(offsets); // a newer epoch: the shard is loaded again from the log
        fixture.loop.runAll();

        assertThat(fetch(true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code);
        assertThat(fetch(false).committedOffset()).isEqualTo(7);
        assertThat(run(groups.completeTransaction(OFFSETS, PRODUCER, (short) 0, 5, true))).isEqualTo(Errors.NONE);
        assertThat(fetch(true).committedOffset()).isEqualTo(11);
    }
}
