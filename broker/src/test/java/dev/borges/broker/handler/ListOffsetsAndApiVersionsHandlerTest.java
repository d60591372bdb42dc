package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.header;
import static dev.borges.broker.handler.HandlerTestContext.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.ApiVersionsRequestData;
import dev.borges.protocol.message.ApiVersionsResponseData;
import dev.borges.protocol.message.ListOffsetsRequestData;
import dev.borges.protocol.message.ListOffsetsResponseData;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListOffsetsAndApiVersionsHandlerTest {
    private static final long NOW = System.currentTimeMillis();

    @TempDir
    Path logDir;

    private HandlerTestContext ctx;

    @BeforeEach
    void start() {
        ctx = new HandlerTestContext(logDir, 1);
        ctx.produce(9, "orders", 0, records(NOW - 3000, "a", "b"));
        ctx.produce(9, "orders", 0, records(NOW - 1000, "c"));
        ctx.produce(9, "orders", 0, records(NOW - 2000, "d"));
    }

    @AfterEach
    void stop() {
        ctx.close();
    }

    private ListOffsetsResponseData.ListOffsetsPartitionResponse lookUp(long timestamp) {
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1);
        request.topics().add(new ListOffsetsRequestData.ListOffsetsTopic().setName("orders"));
        request.topics().get(0).partitions().add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
            .setTimestamp(timestamp).setCurrentLeaderEpoch(-1));
        return ctx.listOffsets.handle(header(ApiKey.LIST_OFFSETS, 8), request).join().topics().get(0).partitions().get(0);
    }

    @Test
    void answersEarliestLatestMaxAndByTimestamp() {
        assertThat(lookUp(-2).offset()).isZero();
        assertThat(lookUp(-1).offset()).isEqualTo(4);
        assertThat(lookUp(-3).offset()).as("the record with the largest timestamp").isEqualTo(2);
        assertThat(lookUp(-3).timestamp()).isEqualTo(NOW - 1000);
        assertThat(lookUp(NOW - 2500).offset()).isEqualTo(2);
        assertThat(lookUp(NOW).offset()).as("nothing that late").isEqualTo(-1);
        assertThat(lookUp(NOW - 2500).leaderEpoch()).isZero();
        assertThat(lookUp(-1).errorCode()).isEqualTo(Errors.NONE.code);
    }

    @Test
    void advertisesHandledApisWithProduceFromVersionZero() {
        ApiVersionsHandler handler = new ApiVersionsHandler(HandlerTestContext::handledApis);
        ApiVersionsResponseData response = handler.handle(header(ApiKey.API_VERSIONS, 3),
            new ApiVersionsRequestData().setClientSoftwareName("apache-kafka-java").setClientSoftwareVersion("4.4.0")).join();
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(response.apiKeys()).extracting(v -> v.apiKey() + ":" + v.minVersion() + "-" + v.maxVersion())
            .containsExactly("0:0-13", "1:4-17", "18:0-4");
    }

    @Test
    void refusesMalformedClientSoftwareNames() {
        ApiVersionsHandler handler = new ApiVersionsHandler(HandlerTestContext::handledApis);
        ApiVersionsResponseData response = handler.handle(header(ApiKey.API_VERSIONS, 3),
            new ApiVersionsRequestData().setClientSoftwareName("bad name!").setClientSoftwareVersion("1")).join();
        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code);
    }
}
