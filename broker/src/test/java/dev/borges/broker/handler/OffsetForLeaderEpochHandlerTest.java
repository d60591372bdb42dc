package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.header;
import static dev.borges.broker.handler.HandlerTestContext.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.OffsetForLeaderEpochRequestData;
import dev.borges.protocol.message.OffsetForLeaderEpochResponseData;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.config.LogConfig;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetForLeaderEpochHandlerTest {
    @TempDir
    Path logDir;

    private HandlerTestContext ctx;
    private OffsetForLeaderEpochHandler handler;

    @BeforeEach
    void start() {
        ctx = new HandlerTestContext(logDir, 1);
        handler = new OffsetForLeaderEpochHandler(ctx.partitions);
        ctx.produce(9, "orders", 0, records(System.currentTimeMillis(), "a", "b", "c"));   // epoch 0: offsets 0-2
        ctx.partitions.becomeLeader(new TopicPartition("orders", 0), HandlerTestContext.ORDERS_ID, 3, Set.of(1), LogConfig.defaults());
        ctx.produce(9, "orders", 0, records(System.currentTimeMillis(), "d", "e"));        // epoch 3: offsets 3-4
    }

    @AfterEach
    void stop() {
        ctx.close();
    }

    private OffsetForLeaderEpochResponseData.EpochEndOffset lookUp(String topic, int partition, int currentEpoch, int epoch) {
        OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData().setReplicaId(-1);
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopic t = new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(topic);
        t.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(partition)
            .setCurrentLeaderEpoch(currentEpoch).setLeaderEpoch(epoch));
        request.topics().add(t);
        OffsetForLeaderEpochResponseData response = handler.handle(header(ApiKey.OFFSET_FOR_LEADER_EPOCH, 4), request).join();
        assertThat(response.topics().get(0).topic()).isEqualTo(topic);
        return response.topics().get(0).partitions().get(0);
    }

    @Test
    void answersWhereEachEpochEnded() {
        OffsetForLeaderEpochResponseData.EpochEndOffset old = lookUp("orders", 0, 3, 0);
        assertThat(old.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(old.leaderEpoch()).isZero();
        assertThat(old.endOffset()).as("epoch 0 ended where epoch 3 began").isEqualTo(3);

        OffsetForLeaderEpochResponseData.EpochEndOffset between = lookUp("orders", 0, -1, 2);
        assertThat(between.leaderEpoch()).as("the largest epoch at most 2").isZero();
        assertThat(between.endOffset()).isEqualTo(3);

        OffsetForLeaderEpochResponseData.EpochEndOffset latest = lookUp("orders", 0, 3, 3);
        assertThat(latest.leaderEpoch()).isEqualTo(3);
        assertThat(latest.endOffset()).as("the current epoch ends at the log end").isEqualTo(5);
    }

    @Test
    void fencesStaleAndFutureCurrentLeaderEpochs() {
        assertThat(lookUp("orders", 0, 2, 0).errorCode()).isEqualTo(Errors.FENCED_LEADER_EPOCH.code);
        assertThat(lookUp("orders", 0, 4, 0).errorCode()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code);
        assertThat(lookUp("orders", 0, 2, 0).endOffset()).isEqualTo(-1);
    }

    @Test
    void answersUndefinedForAnEpochAboveTheLatestAndErrorsForUnknownPartitions() {
        OffsetForLeaderEpochResponseData.EpochEndOffset future = lookUp("orders", 0, -1, 9);
        assertThat(future.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(future.leaderEpoch()).isEqualTo(-1);
        assertThat(future.endOffset()).isEqualTo(-1);
        assertThat(lookUp("orders", 1, -1, 0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
    }
}
