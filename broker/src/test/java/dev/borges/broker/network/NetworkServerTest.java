package dev.borges.broker.network;

import static dev.borges.broker.network.TestFrames.apiVersionsRequest;
import static dev.borges.broker.network.TestFrames.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.Response;
import dev.borges.protocol.message.ApiVersionsResponseData;
import dev.borges.protocol.message.FetchResponseData;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.protocol.types.ApiMessage;
import dev.borges.storage.log.FileRecords;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real listener on 127.0.0.1 with an ephemeral port, talked to over TCP. */
class NetworkServerTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<CompletableFuture<ApiMessage>> heldFetches = new CopyOnWriteArrayList<>();
    private final AtomicReference<FetchResponseData> fetchAnswer = new AtomicReference<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private RequestHandlers handlers() {
        RequestHandlers.Builder builder = RequestHandlers.builder();
        // The ApiVersions handler advertises the registry it belongs to, as the broker's will.
        AtomicReference<RequestHandlers> self = new AtomicReference<>();
        builder.register(ApiKey.API_VERSIONS, (short) 0, (short) 4, (context, request) -> CompletableFuture.completedFuture(
            new ApiVersionsResponseData().setApiKeys(self.get().apiVersions())));
        builder.register(ApiKey.FETCH, (context, request) -> {
            if (fetchAnswer.get() != null) {
                return CompletableFuture.completedFuture(fetchAnswer.get());
            }
            CompletableFuture<ApiMessage> held = new CompletableFuture<>();
            heldFetches.add(held);
            return held;
        });
        self.set(builder.build());
        return self.get();
    }

    private NetworkServer start(NetworkConfig config) throws InterruptedException {
        NetworkServer server = new NetworkServer(config, handlers());
        resources.add(server);
        server.start();
        return server;
    }

    private NetworkServer start() throws InterruptedException {
        return start(NetworkConfig.listener("127.0.0.1", 0).withEventLoopThreads(2));
    }

    private TestClient connect(NetworkServer server) throws IOException {
        TestClient client = new TestClient(server.boundAddress());
        resources.add(client);
        return client;
    }

    @Test
    void bindsAnEphemeralPortWhenConfiguredWithPortZero() throws Exception {
        NetworkServer server = start();

        assertThat(server.port()).isPositive();
        assertThat(server.boundAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void answersApiVersionsOverTcp() throws Exception {
        NetworkServer server = start();
        TestClient client = connect(server);

        client.send(header(ApiKey.API_VERSIONS, 3, 42), apiVersionsRequest());
        Response response = client.readResponse(ApiKey.API_VERSIONS, 3);

        assertThat(response.correlationId()).isEqualTo(42);
        ApiVersionsResponseData body = (ApiVersionsResponseData) response.body();
        assertThat(body.errorCode()).isZero();
        assertThat(body.apiKeys()).extracting(ApiVersionsResponseData.ApiVersion::apiKey)
            .containsExactly(ApiKey.FETCH.id, ApiKey.API_VERSIONS.id);
    }

    @Test
    void kafkaClientsReadTheApiVersionsResponse() throws Exception {
        NetworkServer server = start();
        TestClient client = connect(server);
        org.apache.kafka.common.requests.RequestHeader kafkaHeader =
            new org.apache.kafka.common.requests.RequestHeader(ApiKeys.API_VERSIONS, (short) 3, "kafka-clients", 17);
        ByteBuffer request = new ApiVersionsRequest.Builder().build((short) 3).serializeWithHeader(kafkaHeader);

        client.send(ByteBuffer.allocate(4 + request.remaining()).putInt(request.remaining()).put(request).flip());
        AbstractResponse response = AbstractResponse.parseResponse(client.readFrame(), kafkaHeader);

        ApiVersionsResponse apiVersions = (ApiVersionsResponse) response;
        assertThat(apiVersions.data().errorCode()).isZero();
        assertThat(apiVersions.apiVersion(ApiKeys.API_VERSIONS.id).maxVersion()).isEqualTo((short) 4);
    }

    @Test
    void answersApiVersionsAtAnUnknownVersionWithVersion0AndUnsupportedVersion() throws Exception {
        NetworkServer server = start();
        TestClient client = connect(server);

        client.send(TestFrames.rawRequestFrame(ApiKey.API_VERSIONS.id, 99, 5, true, new byte[] {0, 0, 0}));
        Response response = client.readResponse(ApiKey.API_VERSIONS, 0);

        assertThat(response.correlationId()).isEqualTo(5);
        ApiVersionsResponseData body = (ApiVersionsResponseData) response.body();
        assertThat(body.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code);
        assertThat(body.apiKeys()).containsExactly(new ApiVersionsResponseData.ApiVersion()
            .setApiKey(ApiKey.API_VERSIONS.id).setMinVersion((short) 0).setMaxVersion((short) 4));

        client.send(header(ApiKey.API_VERSIONS, 4, 6), apiVersionsRequest());
        assertThat(client.readResponse(ApiKey.API_VERSIONS, 4).correlationId()).as("the connection stays usable").isEqualTo(6);
    }

    @Test
    void kafkaClientsReadTheUnsupportedVersionAnswerAndFindAVersionToRetryWith() throws Exception {
        NetworkServer server = start();
        TestClient client = connect(server);

        client.send(TestFrames.rawRequestFrame(ApiKey.API_VERSIONS.id, 99, 5, true, new byte[] {0, 0, 0}));
        ByteBuffer frame = client.readFrame();

        assertThat(ResponseHeader.parse(frame, (short) 0).correlationId()).isEqualTo(5);
        ApiVersionsResponse response = ApiVersionsResponse.parse(new ByteBufferAccessor(frame), (short) 0);
        assertThat(response.data().errorCode()).isEqualTo(org.apache.kafka.common.protocol.Errors.UNSUPPORTED_VERSION.code());
        short retryVersion = response.apiVersion(ApiKeys.API_VERSIONS.id).maxVersion();
        assertThat(retryVersion).isEqualTo((short) 4);
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        NetworkServer server = start();
        TestClient client = connect(server);
        ByteBuffer pipelined = ByteBuffer.allocate(64 * 1024);
        for (int correlationId = 0; correlationId < 20; correlationId++) {
            pipelined.put(TestFrames.requestFrame(header(ApiKey.API_VERSIONS, 3, correlationId), apiVersionsRequest()));
        }

        client.send(pipelined.flip());

        for (int correlationId = 0; correlationId < 20; correlationId++) {
            assertThat(client.readResponse(ApiKey.API_VERSIONS, 3).correlationId()).isEqualTo(correlationId);
        }
    }

    @Test
    void answersEachOfFiftyConnections() throws Exception {
        NetworkServer server = start();
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            clients.add(connect(server));
        }

        for (int i = 0; i < clients.size(); i++) {
            for (int request = 0; request < 3; request++) {
                clients.get(i).send(header(ApiKey.API_VERSIONS, 3, i * 100 + request), apiVersionsRequest());
            }
        }

        for (int i = 0; i < clients.size(); i++) {
            for (int request = 0; request < 3; request++) {
                assertThat(clients.get(i).readResponse(ApiKey.API_VERSIONS, 3).correlationId()).isEqualTo(i * 100 + request);
            }
        }
        assertThat(server.connectionCount()).isEqualTo(50);
    }

    @Test
    void closesTheConnectionOnAFrameOverSocketRequestMaxBytes() throws Exception {
        NetworkServer server = start(NetworkConfig.listener("127.0.0.1", 0).withEventLoopThreads(1).withMaxRequestBytes(1024));
        TestClient client = connect(server);

        client.send(ByteBuffer.allocate(8).putInt(1025).putInt(0).flip());

        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void sendsFetchedLogSegmentsFromTheFile() throws Exception {
        FileRecords log = FileRecords.open(dir.resolve("00000000000000000000.log"));
        resources.add(log);
        MemoryRecords batch = new RecordBatchBuilder(0)
            .append(1L, null, "zero-copy".getBytes(StandardCharsets.UTF_8))
            .append(2L, null, "from the page cache".getBytes(StandardCharsets.UTF_8))
            .build();
        int size = log.append(batch);
        fetchAnswer.set(new FetchResponseData().setResponses(List.of(new FetchResponseData.FetchableTopicResponse()
            .setTopic("events")
            .setPartitions(List.of(new FetchResponseData.PartitionData().setHighWatermark(2).setRecords(log.slice(0, size)))))));
        NetworkServer server = start();
        TestClient client = connect(server);

        for (int correlationId = 1; correlationId <= 2; correlationId++) { // twice: the log file must stay open
            client.send(header(ApiKey.FETCH, 12, correlationId), new dev.borges.protocol.message.FetchRequestData());
            Response response = client.readResponse(ApiKey.FETCH, 12);

            assertThat(response.correlationId()).isEqualTo(correlationId);
            FetchResponseData body = (FetchResponseData) response.body();
            assertThat(body.responses().get(0).partitions().get(0).records()).isEqualTo(batch);
        }
        assertThat(log.channel().isOpen()).isTrue();
    }

    @Test
    void stopLetsAnInFlightResponseGoOutThenClosesTheConnection() throws Exception {
        NetworkServer server = start();
        TestClient client = connect(server);
        client.send(header(ApiKey.FETCH, 12, 1), new dev.borges.protocol.message.FetchRequestData());
        awaitHeldFetches(1);
        InetSocketAddress address = server.boundAddress();

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
            try {
                server.stop();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitRefused(address);
        assertThat(stopped).as("stop waits for the in-flight response").isNotDone();
        heldFetches.get(0).complete(new FetchResponseData());

        assertThat(client.readResponse(ApiKey.FETCH, 12).correlationId()).isEqualTo(1);
        assertThat(client.closedByServer()).isTrue();
        stopped.get(10, TimeUnit.SECONDS);
    }

    @Test
    void stopClosesConnectionsWhoseResponsesNeverComeAfterTheShutdownTimeout() throws Exception {
        NetworkServer server = start(NetworkConfig.listener("127.0.0.1", 0).withEventLoopThreads(1)
            .withShutdownTimeout(Duration.ofMillis(100)));
        TestClient client = connect(server);
        client.send(header(ApiKey.FETCH, 12, 1), new dev.borges.protocol.message.FetchRequestData());
        awaitHeldFetches(1);

        server.stop();

        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    void refusesConnectionsOnceStopped() throws Exception {
        NetworkServer server = start();
        InetSocketAddress address = server.boundAddress();

        server.stop();

        assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void cannotBeStartedTwice() throws Exception {
        NetworkServer server = start();

        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void failsToStartOnAPortAlreadyInUse() throws Exception {
        NetworkServer first = start();
        NetworkServer second = new NetworkServer(NetworkConfig.listener("127.0.0.1", first.port()).withEventLoopThreads(1), handlers());

        assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("Cannot bind");
        second.close(); // nothing to stop
        assertThat(first.connectionCount()).isZero();
    }

    private void awaitHeldFetches(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (heldFetches.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Only " + heldFetches.size() + " of " + count + " fetches arrived");
            }
            Thread.onSpinWait();
        }
    }

    /** Waits until the listener refuses new connections: stop has closed it. */
    private static void awaitRefused(InetSocketAddress address) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                new Socket(address.getAddress(), address.getPort()).close();
            } catch (ConnectException refused) {
                return;
            } catch (java.net.SocketException reset) {
                // accepted while the listener was closing, then reset: it is stopping; look again
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("The listener still accepts connections");
    }
}
