package dev.borges.metadata.controller;

import dev.borges.metadata.record.MetadataRecord;
import dev.borges.metadata.record.MetadataRecordSerde;
import dev.borges.protocol.Errors;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The metadata log on Apache Ratis: one {@link RaftServer} with one group (id fixed, derived from
 * "borges-cluster-metadata") whose state machine is the {@link MetadataStateMachine}. Single-node
 * mode is a group of one peer, {@code controller-<nodeId>}, over Netty on a loopback port; a cluster
 * will list more peers in the same group.
 *
 * <p>{@link #append} submits a batch to the local server in-process
 * ({@code submitClientRequestAsync}, no RaftClient, no network hop) and completes with the log index
 * once the entry is committed <em>and applied</em>. A node that does not lead answers NOT_CONTROLLER;
 * forwarding to the leader arrives with multi-node mode.
 *
 * <p><b>Storage:</b> {@code <metadataDir>/<group uuid>/current/} holds Ratis' log segments and
 * {@code raft-meta}; {@code <metadataDir>/<group uuid>/sm/} the image snapshots. Formatted on first
 * start, recovered afterwards.
 *
 * <p><b>Ratis settings</b> chosen for a small, fast-starting log: a one-peer group elects itself after
 * 5–10 ms instead of the 150–300 ms default, without a pre-vote round; server/client/proxy pools of 2 fixed threads instead of
 * cached pools; 64 KiB log preallocation instead of 4 MiB; NIO rather than epoll for Netty (no
 * native library to load). Snapshots every {@code snapshotEveryEntries} entries and on close.
 *
 * <p>Thread-safe: {@code append} may be called from any thread (the controller calls it from its one
 * thread). Lifecycle: {@link #open} (builds and starts the server) → {@link #close}.
 */
final class RaftMetadataLog implements AutoCloseable {
    static final RaftGroupId GROUP_ID =
        RaftGroupId.valueOf(UUID.nameUUIDFromBytes("borges-cluster-metadata".getBytes(StandardCharsets.UTF_8)));

    private final RaftServer server;
    private final RaftPeerId peerId;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final InetSocketAddress address;

    private RaftMetadataLog(RaftServer server, RaftPeerId peerId, InetSocketAddress address) {
        this.server = server;
        this.peerId = peerId;
        this.address = address;
    }

    /** Builds and starts the Ratis server; the state machine replays the snapshot and log on start. */
    static RaftMetadataLog open(ControllerConfig config, MetadataStateMachine stateMachine) throws IOException {
        createPlatformMBeanServerInBackground();
        Files.createDirectories(config.metadataDir());
        int port = config.port() != 0 ? config.port() : freePort(config.host());
        RaftPeerId peerId = RaftPeerId.valueOf("controller-" + config.nodeId());
        RaftPeer peer = RaftPeer.newBuilder().setId(peerId).setAddress(config.host() + ":" + port).build();
        RaftGroup group = RaftGroup.valueOf(GROUP_ID, peer);
        boolean formatted = Files.isDirectory(config.metadataDir().resolve(GROUP_ID.getUuid().toString()));
        RaftServer server = RaftServer.newBuilder()
            .setServerId(peerId)
            .setGroup(group)
            .setStateMachine(stateMachine)
            .setProperties(properties(config, port, group.getPeers().size() == 1))
            .setOption(formatted ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
            .build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new RaftMetadataLog(server, peerId, new InetSocketAddress(config.host(), port));
    }

    /**
     * Ratis registers a JMX bean for its server as the server starts (no setting turns that off),
     * and the first use of the platform MBean server creates it and registers every JVM MXBean:
     * about 0.1 s, which the server's start would wait for. Created here on a thread of its own, it
     * overlaps with building the server, formatting or recovering storage and loading Ratis' classes.
     */
    private static void createPlatformMBeanServerInBackground() {
        Thread thread = new Thread(ManagementFactory::getPlatformMBeanServer, "platform-mbean-server");
        thread.setDaemon(true);
        thread.start();
    }

    private static RaftProperties properties(ControllerConfig config, int port, boolean singlePeer) {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.NETTY);
        NettyConfigKeys.Server.setHost(properties, config.host());
        NettyConfigKeys.Server.setPort(properties, port);
        NettyConfigKeys.Server.setUseEpoll(properties, false);
        NettyConfigKeys.Client.setUseEpoll(properties, false);
        RaftServerConfigKeys.setStorageDir(properties, List.of(config.metadataDir().toFile()));
        if (singlePeer) {
            // Nobody to wait for, so elect at once (the defaults suit a multi-node group). Pre-vote
            // protects a group from a partitioned peer's term inflation; alone it only costs a round.
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(properties, TimeDuration.valueOf(5, TimeUnit.MILLISECONDS));
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(properties, TimeDuration.valueOf(10, TimeUnit.MILLISECONDS));
            RaftServerConfigKeys.LeaderElection.setPreVote(properties, false);
        }
        RaftServerConfigKeys.ThreadPool.setServerCached(properties, false);
        RaftServerConfigKeys.ThreadPool.setServerSize(properties, 2);
        RaftServerConfigKeys.ThreadPool.setClientCached(properties, false);
        RaftServerConfigKeys.ThreadPool.setClientSize(properties, 2);
        RaftServerConfigKeys.ThreadPool.setProxyCached(properties, false);
        RaftServerConfigKeys.ThreadPool.setProxySize(properties, 2);
        RaftServerConfigKeys.Log.setPreallocatedSize(properties, SizeInBytes.valueOf("64KB"));
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf("8MB"));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, config.snapshotEveryEntries());
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        return properties;
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    /** Where this node's Ratis listener is. */
    InetSocketAddress address() {
        return address;
    }

    /**
     * Commits {@code records} as one entry; completes with its log index after the state machine
     * applied it, or fails with {@link ControllerException}.
     */
    CompletableFuture<Long> append(List<MetadataRecord> records) {
        byte[] batch = MetadataRecordSerde.encodeBatch(records);
        RaftClientRequest request = RaftClientRequest.newBuilder()
            .setClientId(clientId)
            .setServerId(peerId)
            .setGroupId(GROUP_ID)
            .setCallId(callIds.incrementAndGet())
            .setMessage(Message.valueOf(ByteString.copyFrom(batch)))
            .setType(RaftClientRequest.writeRequestType())
            .build();
        CompletableFuture<RaftClientReply> reply;
        try {
            reply = server.submitClientRequestAsync(request);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new ControllerException(Errors.UNKNOWN_SERVER_ERROR,
                "Could not submit to the metadata log: " + e.getMessage(), e));
        }
        return reply.thenApply(RaftMetadataLog::logIndex);
    }

    private static long logIndex(RaftClientReply reply) {
        if (reply.getNotLeaderException() != null || reply.getLeaderNotReadyException() != null) {
            throw new ControllerException(Errors.NOT_CONTROLLER, "This node is not the active controller");
        }
        if (!reply.isSuccess()) {
            throw new ControllerException(Errors.UNKNOWN_SERVER_ERROR, "The metadata log did not commit: "
                + reply.getException());
        }
        ByteString content = reply.getMessage().getContent();
        if (!content.isEmpty() && content.byteAt(0) == MetadataStateMachine.REJECTED) {
            throw new ControllerException(Errors.UNKNOWN_SERVER_ERROR, "The metadata batch was committed but "
                + "rejected on replay: " + content.substring(1).toStringUtf8());
        }
        return reply.getLogIndex();
    }

    /**
     * Asks Ratis for a snapshot now (creation gap 1: even after a single new entry); completes with
     * the snapshot's log index.
     */
    CompletableFuture<Long> takeSnapshot() {
        SnapshotManagementRequest request = SnapshotManagementRequest.newCreate(clientId, peerId, GROUP_ID,
            callIds.incrementAndGet(), 30_000, 1);
        return server.snapshotManagementAsync(request).thenApply(reply -> {
            if (!reply.isSuccess()) {
                throw new ControllerException(Errors.UNKNOWN_SERVER_ERROR, "Snapshot failed: " + reply.getException());
            }
            return reply.getLogIndex();
        });
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
