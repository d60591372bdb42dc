package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.header;
import static dev.borges.broker.handler.HandlerTestContext.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.DeleteRecordsRequestData;
import dev.borges.protocol.message.DeleteRecordsResponseData;
import dev.borges.storage.log.FetchIsolation;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeleteRecordsHandlerTest {
    private AdminTestContext ctx;
    private DeleteRecordsHandler handler;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        ctx = new AdminTestContext(dir);
        handler = new DeleteRecordsHandler(ctx.partitions);
        ctx.createTopic("orders", 2);
        ctx.createTopic("compacted", 1, Map.of("cleanup.policy", "compact"));
        ctx.append("orders", 0, records(System.currentTimeMillis(), "a", "b", "c"));
        ctx.append("orders", 0, records(System.currentTimeMillis(), "d", "e"));
    }

    @AfterAll
    void stop() {
        ctx.close();
    }

    private DeleteRecordsResponseData.DeleteRecordsPartitionResult delete(String topic, int partition, long offset) {
        DeleteRecordsRequestData request = new DeleteRecordsRequestData().setTimeoutMs(30_000);
        DeleteRecordsRequestData.DeleteRecordsTopic t = new DeleteRecordsRequestData.DeleteRecordsTopic().setName(topic);
        t.partitions().add(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(partition).setOffset(offset));
        request.topics().add(t);
        DeleteRecordsResponseData response = handler.handle(header(ApiKey.DELETE_RECORDS, 2), request).join();
        assertThat(response.topics()).singleElement().extracting(DeleteRecordsResponseData.DeleteRecordsTopicResult::name)
            .isEqualTo(topic);
        return response.topics().get(0).partitions().get(0);
    }

    @Test
    void movesTheLowWatermarkAndHidesRecordsBelowIt() {
        DeleteRecordsResponseData.DeleteRecordsPartitionResult result = delete("orders", 0, 2);
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(result.lowWatermark()).isEqualTo(2);
        assertThat(ctx.partition("orders", 0).log().logStartOffset()).isEqualTo(2);

        assertThat(delete("orders", 0, 1).lowWatermark()).as("an offset below the log start changes nothing").isEqualTo(2);
        assertThat(ctx.partition("orders", 0).read(2, 1 << 20, FetchIsolation.HIGH_WATERMARK, true).records().sizeInBytes())
            .isPositive();
    }

    @Test
    void offsetMinusOneMeansTheHighWatermark() {
        ctx.append("orders", 1, records(System.currentTimeMillis(), "x", "y"));
        DeleteRecordsResponseData.DeleteRecordsPartitionResult result = delete("orders", 1, -1);
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(result.lowWatermark()).isEqualTo(2).isEqualTo(ctx.partition("orders", 1).highWatermark());
    }

    @Test
    void refusesOffsetsBeyondTheHighWatermarkOrBelowMinusOne() {
        long before = ctx.partition("orders", 0).log().logStartOffset();
        assertThat(delete("orders", 0, 99).errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code);
        assertThat(delete("orders", 0, -2).errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code);
        assertThat(ctx.partition("orders", 0).log().logStartOffset()).isEqualTo(before);
    }

    @Test
    void answersUnknownPartitionsAndCompactedTopics() {
        assertThat(delete("orders", 7, 0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
        assertThat(delete("nope", 0, 0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
        assertThat(delete("compacted", 0, 0).errorCode()).isEqualTo(Errors.POLICY_VIOLATION.code);
    }
}
