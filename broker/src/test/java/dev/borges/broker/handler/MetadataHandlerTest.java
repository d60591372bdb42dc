package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.MetadataRequestData;
import dev.borges.protocol.message.MetadataResponseData;
import dev.borges.protocol.types.Uuid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Metadata lookups by name and by topic id, over a broker without a network. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetadataHandlerTest {
    private AdminTestContext ctx;
    private MetadataHandler handler;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        ctx = new AdminTestContext(dir, Map.of("auto.create.topics.enable", "false"));
        ctx.createTopic("orders", 2);
        handler = new MetadataHandler(ctx.config, AdminTestContext.CLUSTER_ID, ctx.publisher, ctx.partitions, ctx.controller, "PLAINTEXT");
    }

    @AfterAll
    void stop() {
        ctx.close();
    }

    private MetadataResponseData.MetadataResponseTopic lookUp(int version, MetadataRequestData.MetadataRequestTopic topic) {
        MetadataRequestData request = new MetadataRequestData().setTopics(new ArrayList<>(List.of(topic)));
        return handler.handle(header(ApiKey.METADATA, version), request).join().topics().get(0);
    }

    @Test
    void aTopicIdIsLookedUpByIdWhetherTheNameIsNullOrEmpty() {
        // A consumer with a broker-side regex only knows its assigned topics by id, and sends "" as their name.
        Uuid ordersId = ctx.publisher.image().topics().topic("orders").id();
        for (String name : new String[] {null, ""}) {
            MetadataResponseData.MetadataResponseTopic found = lookUp(12, new MetadataRequestData.MetadataRequestTopic()
                .setTopicId(ordersId).setName(name));
            assertThat(found.errorCode()).isEqualTo(Errors.NONE.code);
            assertThat(found.name()).isEqualTo("orders");
            assertThat(found.partitions()).hasSize(2);
        }
        MetadataResponseData.MetadataResponseTopic unknown = lookUp(12, new MetadataRequestData.MetadataRequestTopic()
            .setTopicId(new Uuid(3, 3)).setName(""));
        assertThat(unknown.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code);
        assertThat(unknown.name()).isNull();
        assertThat(lookUp(11, new MetadataRequestData.MetadataRequestTopic().setTopicId(new Uuid(3, 3)).setName(null)).name())
            .as("before version 12 a response name is never null").isEmpty();
    }

    @Test
    void namesAreLookedUpByName() {
        assertThat(lookUp(12, new MetadataRequestData.MetadataRequestTopic().setName("orders")).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(lookUp(12, new MetadataRequestData.MetadataRequestTopic().setName("missing")).errorCode())
            .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
        assertThat(lookUp(12, new MetadataRequestData.MetadataRequestTopic().setName("")).errorCode())
            .isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code);
    }
}
