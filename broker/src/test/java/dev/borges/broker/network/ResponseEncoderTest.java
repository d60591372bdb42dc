package dev.borges.broker.network;

import static dev.borges.broker.network.TestFrames.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.Response;
import dev.borges.protocol.ResponseCodec;
import dev.borges.protocol.message.ApiVersionsResponseData;
import dev.borges.protocol.message.FetchResponseData;
import dev.borges.protocol.message.MetadataResponseData;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.protocol.types.ApiMessage;
import dev.borges.storage.log.FileRecords;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResponseEncoderTest {
    @TempDir
    Path dir;

    private final EmbeddedChannel channel = new EmbeddedChannel(new ResponseEncoder());
    private FileRecords log;

    @AfterEach
    void closeLog() throws IOException {
        if (log != null) {
            log.close();
        }
        channel.finishAndReleaseAll();
    }

    private static MemoryRecords batch(long baseOffset, String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder(baseOffset);
        for (String value : values) {
            builder.append(1_700_000_000_000L, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** A log file with two batches; returns slices of the first and of the second. */
    private List<FileRecords> logWithTwoBatches() throws IOException {
        log = FileRecords.open(dir.resolve("00000000000000000000.log"));
        int first = log.append(batch(0, "a", "b", "c"));
        int second = log.append(batch(3, "d", "e"));
        return List.of(log.slice(0, first), log.slice(first, second));
    }

    private static FetchResponseData fetchResponse(FileRecords partition0, FileRecords partition1) {
        return new FetchResponseData().setResponses(List.of(new FetchResponseData.FetchableTopicResponse()
            .setTopic("events")
            .setPartitions(List.of(
                new FetchResponseData.PartitionData().setPartitionIndex(0).setHighWatermark(5).setRecords(partition0),
                new FetchResponseData.PartitionData().setPartitionIndex(1).setHighWatermark(5).setRecords(partition1)))));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private List<Object> writeAndReadParts(OutboundResponse response) {
        channel.writeAndFlush(response);
        List<Object> parts = new ArrayList<>();
        Object part;
        while ((part = channel.readOutbound()) != null) {
            parts.add(part);
        }
        return parts;
    }

    @Test
    void writesFrameEqualToTheCodecsForAResponseWithHeaderV0() {
        ApiVersionsResponseData body = new ApiVersionsResponseData().setApiKeys(List.of(new ApiVersionsResponseData.ApiVersion()
            .setApiKey((short) 18).setMinVersion((short) 0).setMaxVersion((short) 4)));
        RequestHeader request = header(ApiKey.API_VERSIONS, 4, 11);

        List<Object> parts = writeAndReadParts(OutboundResponse.of(request, body));

        assertThat(parts).hasSize(1).first().isInstanceOf(ByteBuf.class);
        assertThat(TestFrames.bytesOf(parts)).isEqualTo(bytes(ResponseCodec.encode(ApiKey.API_VERSIONS, (short) 4, 11, body)));
    }

    @Test
    void writesFlexibleResponsesWithHeaderV1() {
        MetadataResponseData body = new MetadataResponseData().setClusterId("cluster").setControllerId(1);
        RequestHeader request = header(ApiKey.METADATA, 12, 12);

        byte[] written = TestFrames.bytesOf(writeAndReadParts(OutboundResponse.of(request, body)));

        assertThat(written).isEqualTo(bytes(ResponseCodec.encode(ApiKey.METADATA, (short) 12, 12, body)));
        assertThat(TestFrames.responses(written, ApiKey.METADATA, 12)).containsExactly(new Response(12, body));
    }

    @Test
    void writesTheAnsweredVersionNotTheRequestedOne() {
        ApiVersionsResponseData body = new ApiVersionsResponseData().setErrorCode((short) 35);
        RequestHeader request = header(ApiKey.API_VERSIONS, 4, 3);

        byte[] written = TestFrames.bytesOf(writeAndReadParts(new OutboundResponse(request, (short) 0, body)));

        assertThat(written).isEqualTo(bytes(ResponseCodec.encode(ApiKey.API_VERSIONS, (short) 0, 3, body)));
    }

    @Test
    void sendsFileRecordsAsFileRegionsBetweenBuffers() throws IOException {
        List<FileRecords> slices = logWithTwoBatches();
        FetchResponseData body = fetchResponse(slices.get(0), slices.get(1));
        RequestHeader request = header(ApiKey.FETCH, 12, 21);

        List<Object> parts = writeAndReadParts(OutboundResponse.of(request, body));

        assertThat(parts).hasSize(5);
        assertThat(parts.get(0)).isInstanceOf(ByteBuf.class);
        assertThat(parts.get(1)).isInstanceOf(DefaultFileRegion.class);
        assertThat(parts.get(2)).isInstanceOf(ByteBuf.class);
        assertThat(parts.get(3)).isInstanceOf(DefaultFileRegion.class);
        assertThat(parts.get(4)).isInstanceOf(ByteBuf.class);
        FileRegion firstRegion = (FileRegion) parts.get(1);
        FileRegion secondRegion = (FileRegion) parts.get(3);
        assertThat(firstRegion.position()).isEqualTo(slices.get(0).start());
        assertThat(firstRegion.count()).isEqualTo(slices.get(0).sizeInBytes());
        assertThat(secondRegion.position()).isEqualTo(slices.get(1).start());
        assertThat(secondRegion.count()).isEqualTo(slices.get(1).sizeInBytes());

        int sizePrefix = ((ByteBuf) parts.get(0)).getInt(0);
        byte[] written = TestFrames.bytesOf(parts);
        assertThat(written).hasSize(sizePrefix + 4);
        assertThat(written).isEqualTo(bytes(ResponseCodec.encode(ApiKey.FETCH, (short) 12, 21, body)));
    }

    @Test
    void fileRecordsDecodeToTheBatchesInTheLog() throws IOException {
        List<FileRecords> slices = logWithTwoBatches();
        RequestHeader request = header(ApiKey.FETCH, 12, 22);

        byte[] written = TestFrames.bytesOf(writeAndReadParts(OutboundResponse.of(request, fetchResponse(slices.get(0), slices.get(1)))));

        FetchResponseData decoded = (FetchResponseData) TestFrames.responses(written, ApiKey.FETCH, 12).get(0).body();
        List<FetchResponseData.PartitionData> partitions = decoded.responses().get(0).partitions();
        assertThat(partitions.get(0).records()).isEqualTo(batch(0, "a", "b", "c"));
        assertThat(partitions.get(1).records()).isEqualTo(batch(3, "d", "e"));
    }

    @Test
    void leavesTheLogFileOpenOnceTheRegionIsReleased() throws IOException {
        List<FileRecords> slices = logWithTwoBatches();

        List<Object> parts = writeAndReadParts(OutboundResponse.of(header(ApiKey.FETCH, 12, 1), fetchResponse(slices.get(0), slices.get(1))));
        TestFrames.bytesOf(parts); // sends and releases every part

        assertThat(((FileRegion) parts.get(1)).refCnt()).isZero();
        assertThat(log.channel().isOpen()).isTrue();
        assertThat(log.readBatch(0)).isNotNull();
    }

    @Test
    void copiesMemoryRecordsIntoTheBuffer() {
        FetchResponseData body = new FetchResponseData().setResponses(List.of(new FetchResponseData.FetchableTopicResponse()
            .setTopic("events")
            .setPartitions(List.of(new FetchResponseData.PartitionData().setRecords(batch(0, "x"))))));

        List<Object> parts = writeAndReadParts(OutboundResponse.of(header(ApiKey.FETCH, 12, 2), body));

        assertThat(parts).hasSize(1).first().isInstanceOf(ByteBuf.class);
        assertThat(TestFrames.bytesOf(parts)).isEqualTo(bytes(ResponseCodec.encode(ApiKey.FETCH, (short) 12, 2, body)));
    }

    @Test
    void writesNothingForAResponseThatSendsNothing() {
        ChannelFuture write = channel.writeAndFlush(OutboundResponse.of(header(ApiKey.PRODUCE, 9, 1), null));

        assertThat(write.isSuccess()).isTrue();
        assertThat(channel.<Object>readOutbound()).isNull();
    }

    @Test
    void closesTheConnectionWhenTheBodyBelongsToAnotherApi() {
        ChannelFuture write = channel.writeAndFlush(OutboundResponse.of(header(ApiKey.METADATA, 12, 1), new ApiVersionsResponseData()));

        assertThat(write.cause()).isInstanceOf(IllegalStateException.class);
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.<Object>readOutbound()).isNull();
    }

    @Test
    void closesTheConnectionWhenTheVersionCannotCarryAField() {
        // Fetch sessions arrived in v7: a session id cannot be written at v4, and nothing may go out half-written.
        FetchResponseData body = new FetchResponseData().setSessionId(5);

        ChannelFuture write = channel.writeAndFlush(OutboundResponse.of(header(ApiKey.FETCH, 4, 1), body));

        assertThat(write.isSuccess()).isFalse();
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.<Object>readOutbound()).isNull();
    }

    @Test
    void rejectsRecordsWhoseSizeChangesWhileWriting() {
        ApiMessage lying = new FetchResponseData().setResponses(List.of(new FetchResponseData.FetchableTopicResponse()
            .setTopic("events")
            .setPartitions(List.of(new FetchResponseData.PartitionData().setRecords(new GrowingRecords())))));

        assertThatThrownBy(() -> ResponseEncoder.encode(ByteBufAllocator.DEFAULT, OutboundResponse.of(header(ApiKey.FETCH, 12, 1), lying)))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("declared");
    }

    /** Records that claim one more byte each time their size is asked. */
    private static final class GrowingRecords implements dev.borges.protocol.record.Records {
        private int size = 10;

        @Override
        public int sizeInBytes() {
            return size++;
        }

        @Override
        public void copyTo(ByteBuffer destination) {
            destination.put(new byte[size - 1]);
        }
    }
}
