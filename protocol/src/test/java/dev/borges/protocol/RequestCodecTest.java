package dev.borges.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.message.ApiVersionsRequestData;
import dev.borges.protocol.message.ProduceRequestData;
import dev.borges.protocol.record.MemoryRecords;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RequestCodecTest {

    @Test
    void unknownApiKeyIsAnUnsupportedVersion() {
        ByteBuffer frame = ByteBuffer.allocate(10).putShort((short) 999).putShort((short) 0).putInt(1).putShort((short) -1).flip();
        assertThatThrownBy(() -> RequestCodec.decode(frame))
            .isInstanceOf(UnsupportedVersionException.class).hasMessageContaining("Unknown API key 999");
    }

    @Test
    void headerOfAnApiVersionsRequestAtAnUnknownVersionStillReads() {
        // A newer client may send ApiVersions at a version we do not know; the broker must be able to
        // read the header (to answer with UNSUPPORTED_VERSION and its ranges) even though the body fails.
        short future = (short) (ApiKey.API_VERSIONS.highestVersion + 3);
        ByteBuffer frame = ByteBuffer.allocate(11).putShort(ApiKey.API_VERSIONS.id).putShort(future).putInt(42)
            .putShort((short) -1).put((byte) 0).flip();
        RequestHeader header = RequestHeader.read(frame.duplicate());
        assertThat(header.apiKey()).isEqualTo(ApiKey.API_VERSIONS);
        assertThat(header.apiVersion()).isEqualTo(future);
        assertThat(header.correlationId()).isEqualTo(42);
        assertThat(header.clientId()).isNull();
        assertThatThrownBy(() -> RequestCodec.decode(frame))
            .isInstanceOfSatisfying(UnsupportedApiVersionException.class, e -> {
                assertThat(e.header()).isEqualTo(header);
                assertThat(e).hasMessageContaining("ApiVersions version " + future);
            });
    }

    @Test
    void roundTripsARequestThroughAFrame() {
        ApiVersionsRequestData body = new ApiVersionsRequestData().setClientSoftwareName("borges-test").setClientSoftwareVersion("1.0");
        RequestHeader header = new RequestHeader(ApiKey.API_VERSIONS, (short) 3, 7, "me");
        ByteBuffer frame = RequestCodec.encode(header, body);
        ByteBuffer payload = Frames.nextFrame(frame, Integer.MAX_VALUE);
        Request request = RequestCodec.decode(payload);
        assertThat(request.header()).isEqualTo(header);
        assertThat(request.body()).isEqualTo(body);
    }

    @Test
    void produceRecordsAreAViewOfTheFrameNotACopy() {
        byte[] records = new byte[64];
        for (int i = 0; i < records.length; i++) {
            records[i] = (byte) i;
        }
        ProduceRequestData body = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000);
        body.topicData().add(new ProduceRequestData.TopicProduceData().setName("t"));
        body.topicData().get(0).partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
            .setRecords(MemoryRecords.readableView(ByteBuffer.wrap(records))));
        ByteBuffer frame = RequestCodec.encode(new RequestHeader(ApiKey.PRODUCE, (short) 9, 1, "p"), body).position(4).slice();

        ProduceRequestData decoded = (ProduceRequestData) RequestCodec.decode(frame).body();
        MemoryRecords view = (MemoryRecords) decoded.topicData().get(0).partitionData().get(0).records();
        assertThat(view.buffer()).isEqualTo(ByteBuffer.wrap(records));
        // Changing the frame changes what the view sees: the records were not copied.
        int recordsStart = frame.limit() - records.length - 3; // records, then three empty tagged-field sections
        frame.put(recordsStart, (byte) 99);
        assertThat(view.buffer().get(0)).isEqualTo((byte) 99);
    }

    @Test
    void unsignedFieldsRefuseValuesThatDoNotFit() {
        var broker = new dev.borges.protocol.message.BrokerRegistrationRequestData.Listener(); // Port is a uint16
        assertThatThrownBy(() -> broker.setPort(70000)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
        assertThatThrownBy(() -> broker.setPort(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(broker.setPort(65535).port()).isEqualTo(65535);
    }

    @Test
    void unknownTaggedFieldsAreWrittenInTagOrderAndReadBack() {
        ApiVersionsRequestData body = new ApiVersionsRequestData().setClientSoftwareName("c").setClientSoftwareVersion("1");
        body.unknownTaggedFields().add(new dev.borges.protocol.types.RawTaggedField(9, new byte[] {9}));
        body.unknownTaggedFields().add(new dev.borges.protocol.types.RawTaggedField(4, new byte[] {4, 4}));
        ByteBuffer bytes = body.toByteBuffer((short) 3);
        assertThat(bytes.remaining()).isEqualTo(body.size((short) 3));
        // tail: count 2, then tag 4 (size 2) before tag 9 (size 1)
        byte[] tail = new byte[8];
        bytes.duplicate().position(bytes.limit() - 8).get(tail);
        assertThat(tail).containsExactly(2, 4, 2, 4, 4, 9, 1, 9);
        ApiVersionsRequestData decoded = new ApiVersionsRequestData(new dev.borges.protocol.types.ProtocolReader(bytes), (short) 3);
        assertThat(decoded.unknownTaggedFields()).extracting(dev.borges.protocol.types.RawTaggedField::tag).containsExactly(4, 9);
    }

    @Test
    void unknownTaggedFieldsAreRefusedAtVersionsWithoutTaggedFields() {
        ApiVersionsRequestData body = new ApiVersionsRequestData();
        body.unknownTaggedFields().add(new dev.borges.protocol.types.RawTaggedField(1, new byte[] {1}));
        assertThatThrownBy(() -> body.toByteBuffer((short) 2)).isInstanceOf(UnsupportedVersionException.class);
    }

    @Test
    void bodyForTheWrongApiIsRefused() {
        RequestHeader header = new RequestHeader(ApiKey.METADATA, (short) 12, 1, "c");
        assertThatThrownBy(() -> RequestCodec.encode(header, new ApiVersionsRequestData()))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
