package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.header;
import static dev.borges.broker.handler.HandlerTestContext.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.message.AlterConfigsRequestData;
import dev.borges.protocol.message.CreatePartitionsRequestData;
import dev.borges.protocol.message.DeleteRecordsRequestData;
import dev.borges.protocol.message.DescribeClusterRequestData;
import dev.borges.protocol.message.DescribeConfigsRequestData;
import dev.borges.protocol.message.DescribeLogDirsRequestData;
import dev.borges.protocol.message.DescribeProducersRequestData;
import dev.borges.protocol.message.IncrementalAlterConfigsRequestData;
import dev.borges.protocol.message.OffsetForLeaderEpochRequestData;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.protocol.types.ApiMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every version the broker registers for the admin APIs can be answered: for each handler and each
 * version in its registered range, a representative request is handled at that version, the
 * response is written at that version ({@code toByteBuffer}), and kafka-clients reads it back whole.
 * A non-ignorable field a version lacks must stay at its default, or writing throws.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminResponseVersionsTest {
    private AdminTestContext ctx;
    private final Map<ApiKey, IntFunction<CompletableFuture<? extends ApiMessage>>> calls = new LinkedHashMap<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        ctx = new AdminTestContext(dir, Map.of("log.retention.hours", "48"));
        ctx.createTopic("orders", 1, Map.of("retention.ms", "1000"));
        RecordBatchBuilder batch = new RecordBatchBuilder(0L).producer(77L, (short) 0, 0);
        batch.append(System.currentTimeMillis(), null, "v".getBytes(StandardCharsets.UTF_8));
        ctx.append("orders", 0, batch.build());
        ctx.append("orders", 0, records(System.currentTimeMillis(), "a", "b"));

        CreatePartitionsHandler createPartitions = new CreatePartitionsHandler(ctx.controller);
        calls.put(ApiKey.CREATE_PARTITIONS, v -> {
            CreatePartitionsRequestData request = new CreatePartitionsRequestData().setValidateOnly(true);
            request.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("orders").setCount(2).setAssignments(null));
            request.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("missing").setCount(2).setAssignments(null));
            return createPartitions.handle(header(ApiKey.CREATE_PARTITIONS, v), request);
        });
        DeleteRecordsHandler deleteRecords = new DeleteRecordsHandler(ctx.partitions);
        calls.put(ApiKey.DELETE_RECORDS, v -> {
            DeleteRecordsRequestData request = new DeleteRecordsRequestData();
            DeleteRecordsRequestData.DeleteRecordsTopic topic = new DeleteRecordsRequestData.DeleteRecordsTopic().setName("orders");
            topic.partitions().add(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(0));
            topic.partitions().add(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(3).setOffset(0));
            request.topics().add(topic);
            return deleteRecords.handle(header(ApiKey.DELETE_RECORDS, v), request);
        });
        DescribeClusterHandler describeCluster = new DescribeClusterHandler(1, AdminTestContext.CLUSTER_ID, ctx.publisher::image, "PLAINTEXT");
        calls.put(ApiKey.DESCRIBE_CLUSTER, v -> describeCluster.handle(header(ApiKey.DESCRIBE_CLUSTER, v),
            new DescribeClusterRequestData().setIncludeClusterAuthorizedOperations(true)));
        DescribeLogDirsHandler describeLogDirs = new DescribeLogDirsHandler(ctx.logManager);
        calls.put(ApiKey.DESCRIBE_LOG_DIRS, v -> describeLogDirs.handle(header(ApiKey.DESCRIBE_LOG_DIRS, v),
            new DescribeLogDirsRequestData().setTopics(null)));
        DescribeProducersHandler describeProducers = new DescribeProducersHandler(ctx.partitions);
        calls.put(ApiKey.DESCRIBE_PRODUCERS, v -> {
            DescribeProducersRequestData request = new DescribeProducersRequestData();
            request.topics().add(new DescribeProducersRequestData.TopicRequest().setName("orders").setPartitionIndexes(new ArrayList<>(List.of(0, 4))));
            return describeProducers.handle(header(ApiKey.DESCRIBE_PRODUCERS, v), request);
        });
        OffsetForLeaderEpochHandler offsetForLeaderEpoch = new OffsetForLeaderEpochHandler(ctx.partitions);
        calls.put(ApiKey.OFFSET_FOR_LEADER_EPOCH, v -> {
            OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData();
            OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic = new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic("orders");
            topic.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0).setLeaderEpoch(0));
            topic.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0).setLeaderEpoch(0)
                .setCurrentLeaderEpoch(5));
            request.topics().add(topic);
            return offsetForLeaderEpoch.handle(header(ApiKey.OFFSET_FOR_LEADER_EPOCH, v), request);
        });
        DescribeConfigsHandler describeConfigs = new DescribeConfigsHandler(ctx.config, ctx.publisher::image);
        calls.put(ApiKey.DESCRIBE_CONFIGS, v -> {
            DescribeConfigsRequestData request = new DescribeConfigsRequestData().setIncludeSynonyms(true).setIncludeDocumentation(v >= 3);
            request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType((byte) 2)
                .setResourceName("orders").setConfigurationKeys(null));
            request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType((byte) 4)
                .setResourceName("1").setConfigurationKeys(null));
            request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType((byte) 2)
                .setResourceName("missing").setConfigurationKeys(null));
            return describeConfigs.handle(header(ApiKey.DESCRIBE_CONFIGS, v), request);
        });
        AlterConfigsHandler alterConfigs = new AlterConfigsHandler(ctx.controller);
        calls.put(ApiKey.ALTER_CONFIGS, v -> {
            AlterConfigsRequestData request = new AlterConfigsRequestData().setValidateOnly(true);
            AlterConfigsRequestData.AlterConfigsResource topic = new AlterConfigsRequestData.AlterConfigsResource()
                .setResourceType((byte) 2).setResourceName("orders");
            topic.configs().add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("5"));
            request.resources().add(topic);
            request.resources().add(new AlterConfigsRequestData.AlterConfigsResource().setResourceType((byte) 4).setResourceName("1"));
            return alterConfigs.handle(header(ApiKey.ALTER_CONFIGS, v), request);
        });
        IncrementalAlterConfigsHandler incrementalAlterConfigs = new IncrementalAlterConfigsHandler(ctx.config, ctx.publisher::image,
            ctx.controller);
        calls.put(ApiKey.INCREMENTAL_ALTER_CONFIGS, v -> {
            IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData().setValidateOnly(true);
            IncrementalAlterConfigsRequestData.AlterConfigsResource topic = new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                .setResourceType((byte) 2).setResourceName("orders");
            topic.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("x"));
            request.resources().add(topic);
            return incrementalAlterConfigs.handle(header(ApiKey.INCREMENTAL_ALTER_CONFIGS, v), request);
        });
    }

    @AfterAll
    void stop() {
        ctx.close();
    }

    @Test
    void everyRegisteredVersionOfEveryAdminApiIsAnsweredAndReadableByKafkaClients() {
        assertThat(calls.keySet()).hasSize(9);
        List<String> checked = RegisteredVersions.answerAndReadWithKafkaClients(calls);
        assertThat(checked).contains("DescribeLogDirs v1", "DescribeLogDirs v5", "DescribeCluster v0", "DescribeCluster v2",
            "OffsetForLeaderEpoch v2", "CreatePartitions v0", "DeleteRecords v0", "DescribeProducers v0",
            "DescribeConfigs v1", "DescribeConfigs v4", "AlterConfigs v0", "AlterConfigs v2", "IncrementalAlterConfigs v0",
            "IncrementalAlterConfigs v1");
    }
}
