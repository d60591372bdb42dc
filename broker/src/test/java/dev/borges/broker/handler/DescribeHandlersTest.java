package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.header;
import static dev.borges.broker.handler.HandlerTestContext.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.DescribeClusterRequestData;
import dev.borges.protocol.message.DescribeClusterResponseData;
import dev.borges.protocol.message.DescribeLogDirsRequestData;
import dev.borges.protocol.message.DescribeLogDirsResponseData;
import dev.borges.protocol.message.DescribeProducersRequestData;
import dev.borges.protocol.message.DescribeProducersResponseData;
import dev.borges.protocol.record.RecordBatchBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** DescribeCluster, DescribeLogDirs and DescribeProducers over a broker without a network. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DescribeHandlersTest {
    private static final long NOW = System.currentTimeMillis();

    private AdminTestContext ctx;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        ctx = new AdminTestContext(dir);
        ctx.createTopic("orders", 2);
        ctx.createTopic("empty", 1);
        ctx.append("orders", 0, records(NOW, "a", "b"));
        RecordBatchBuilder idempotent = new RecordBatchBuilder(0L).producer(4000L, (short) 2, 0);
        for (int i = 0; i < 3; i++) {
            idempotent.append(NOW - 10 + i, null, ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        ctx.append("orders", 1, idempotent.build());
    }

    @AfterAll
    void stop() {
        ctx.close();
    }

    private DescribeClusterResponseData describeCluster(int version, byte endpointType) {
        DescribeClusterHandler handler = new DescribeClusterHandler(1, AdminTestContext.CLUSTER_ID, ctx.publisher::image, "PLAINTEXT");
        return handler.handle(header(ApiKey.DESCRIBE_CLUSTER, version), new DescribeClusterRequestData().setEndpointType(endpointType)).join();
    }

    @Test
    void describesTheClusterWithThisNodeAsController() {
        DescribeClusterResponseData response = describeCluster(2, (byte) 1);
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(response.clusterId()).isEqualTo(AdminTestContext.CLUSTER_ID);
        assertThat(response.controllerId()).isEqualTo(1);
        assertThat(response.clusterAuthorizedOperations()).as("not asked for").isEqualTo(Integer.MIN_VALUE);
        assertThat(response.brokers()).singleElement().satisfies(broker -> {
            assertThat(broker.brokerId()).isEqualTo(1);
            assertThat(broker.host()).isEqualTo("localhost");
            assertThat(broker.port()).isEqualTo(9092);
            assertThat(broker.rack()).isEqualTo("rack-a");
            assertThat(broker.isFenced()).isFalse();
        });
    }

    @Test
    void refusesControllerAndUnknownEndpointTypes() {
        assertThat(describeCluster(1, (byte) 2).errorCode()).isEqualTo(Errors.MISMATCHED_ENDPOINT_TYPE.code);
        assertThat(describeCluster(1, (byte) 9).errorCode()).isEqualTo(Errors.UNSUPPORTED_ENDPOINT_TYPE.code);
    }

    @Test
    void listsEveryPartitionOfTheLogDirWithItsSize() {
        DescribeLogDirsResponseData response = new DescribeLogDirsHandler(ctx.logManager)
            .handle(header(ApiKey.DESCRIBE_LOG_DIRS, 4), new DescribeLogDirsRequestData().setTopics(null)).join();
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code);
        DescribeLogDirsResponseData.DescribeLogDirsResult dir = response.results().get(0);
        assertThat(dir.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(dir.logDir()).isEqualTo(ctx.logManager.logDir().toAbsolutePath().toString());
        assertThat(dir.totalBytes()).isPositive();
        assertThat(dir.usableBytes()).isPositive().isLessThanOrEqualTo(dir.totalBytes());
        assertThat(dir.topics()).extracting(DescribeLogDirsResponseData.DescribeLogDirsTopic::name).containsExactly("empty", "orders");
        DescribeLogDirsResponseData.DescribeLogDirsTopic orders = dir.topics().get(1);
        assertThat(orders.partitions()).extracting(DescribeLogDirsResponseData.DescribeLogDirsPartition::partitionIndex).containsExactly(0, 1);
        assertThat(orders.partitions().get(0).partitionSize()).isEqualTo(ctx.partition("orders", 0).log().size()).isPositive();
        assertThat(orders.partitions()).allSatisfy(p -> {
            assertThat(p.offsetLag()).isZero();
            assertThat(p.isFutureKey()).isFalse();
        });
        assertThat(dir.topics().get(0).partitions().get(0).partitionSize()).isZero();
    }

    @Test
    void listsOnlyTheAskedPartitionsAndLeavesByteCountsOutBeforeVersionFour() {
        List<DescribeLogDirsRequestData.DescribableLogDirTopic> topics = new ArrayList<>();
        topics.add(new DescribeLogDirsRequestData.DescribableLogDirTopic().setTopic("orders").setPartitions(new ArrayList<>(List.of(1, 5))));
        topics.add(new DescribeLogDirsRequestData.DescribableLogDirTopic().setTopic("nope").setPartitions(new ArrayList<>(List.of(0))));
        DescribeLogDirsResponseData response = new DescribeLogDirsHandler(ctx.logManager)
            .handle(header(ApiKey.DESCRIBE_LOG_DIRS, 3), new DescribeLogDirsRequestData().setTopics(topics)).join();
        DescribeLogDirsResponseData.DescribeLogDirsResult dir = response.results().get(0);
        assertThat(dir.topics()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("orders");
            assertThat(t.partitions()).extracting(DescribeLogDirsResponseData.DescribeLogDirsPartition::partitionIndex).containsExactly(1);
        });
        assertThat(dir.totalBytes()).isEqualTo(-1);
    }

    @Test
    void describesIdempotentProducersPerPartition() {
        DescribeProducersRequestData request = new DescribeProducersRequestData();
        request.topics().add(new DescribeProducersRequestData.TopicRequest().setName("orders").setPartitionIndexes(new ArrayList<>(List.of(0, 1, 9))));
        DescribeProducersResponseData response = new DescribeProducersHandler(ctx.partitions)
            .handle(header(ApiKey.DESCRIBE_PRODUCERS, 0), request).join();
        List<DescribeProducersResponseData.PartitionResponse> partitions = response.topics().get(0).partitions();
        assertThat(partitions.get(0).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(partitions.get(0).activeProducers()).as("no producer id on these records").isEmpty();
        assertThat(partitions.get(1).activeProducers()).singleElement().satisfies(p -> {
            assertThat(p.producerId()).isEqualTo(4000L);
            assertThat(p.producerEpoch()).isEqualTo(2);
            assertThat(p.lastSequence()).isEqualTo(2);
            assertThat(p.lastTimestamp()).isEqualTo(NOW - 8);
            assertThat(p.coordinatorEpoch()).isEqualTo(-1);
            assertThat(p.currentTxnStartOffset()).isEqualTo(-1);
        });
        assertThat(partitions.get(2).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
    }
}
