package dev.borges.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.Errors;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.protocol.types.Uuid;
import dev.borges.storage.StorageException;
import dev.borges.storage.Time;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.log.FetchIsolation;
import dev.borges.storage.manager.LogManager;
import dev.borges.storage.manager.LogManagerConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionManagerTest {
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final Uuid ORDERS_ID = new Uuid(11L, 22L);

    @TempDir
    Path logDir;

    private LogManager logManager;
    private PartitionManager partitions;

    @BeforeEach
    void start() {
        logManager = LogManager.open(logDir, LogManagerConfig.DEFAULTS, tp -> LogConfig.defaults(), Time.SYSTEM);
        partitions = new PartitionManager(1, logManager);
    }

    @AfterEach
    void stop() {
        logManager.close();
    }

    private static dev.borges.protocol.record.MemoryRecords records(int count) {
        RecordBatchBuilder builder = new RecordBatchBuilder(0L);
        for (int i = 0; i < count; i++) {
            builder.append(System.currentTimeMillis(), ("k" + i).getBytes(), ("v" + i).getBytes());
        }
        return builder.build();
    }

    @Test
    void aSingleReplicaLeaderMovesTheHighWatermarkWithEveryAppend() {
        Partition partition = partitions.becomeLeader(ORDERS_0, ORDERS_ID, 0, Set.of(1), LogConfig.defaults());
        partition.appendAsLeader(records(3), (short) -1);
        assertThat(partition.highWatermark()).isEqualTo(3);
        assertThat(partition.read(0, 10_000, FetchIsolation.HIGH_WATERMARK, true).records().sizeInBytes()).isPositive();
    }

    @Test
    void appendsCarryTheCurrentLeaderEpoch() {
        Partition partition = partitions.becomeLeader(ORDERS_0, ORDERS_ID, 0, Set.of(1), LogConfig.defaults());
        partition.appendAsLeader(records(2), (short) 1);
        partitions.becomeLeader(ORDERS_0, ORDERS_ID, 5, Set.of(1), LogConfig.defaults());
        partition.appendAsLeader(records(2), (short) 1);
        assertThat(partition.log().leaderEpochForOffset(1)).hasValue(0);
        assertThat(partition.log().leaderEpochForOffset(2)).hasValue(5);
    }

    @Test
    void acksAllNeedsMinInSyncReplicas() {
        Partition partition = partitions.becomeLeader(ORDERS_0, ORDERS_ID, 0, Set.of(1),
            LogConfig.of(Map.of(LogConfig.MIN_IN_SYNC_REPLICAS, "2")));
        assertThatThrownBy(() -> partition.appendAsLeader(records(1), (short) -1))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.NOT_ENOUGH_REPLICAS));
        assertThat(partition.appendAsLeader(records(1), (short) 1).firstOffset()).as("acks=1 does not wait for replicas").isZero();
    }

    @Test
    void unknownPartitionsAreUnknownTopicOrPartition() {
        assertThatThrownBy(() -> partitions.leader(new TopicPartition("nope", 0)))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION));
    }

    @Test
    void deletingAPartitionRemovesItsLog() {
        partitions.becomeLeader(ORDERS_0, ORDERS_ID, 0, Set.of(1), LogConfig.defaults()).appendAsLeader(records(1), (short) 1);
        partitions.delete(ORDERS_0);
        assertThat(partitions.partition(ORDERS_0)).isEmpty();
        assertThat(logManager.log(ORDERS_0)).isEmpty();
    }
}
