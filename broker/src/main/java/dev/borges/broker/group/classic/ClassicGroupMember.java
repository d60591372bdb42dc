package dev.borges.broker.group.classic;

import dev.borges.protocol.message.JoinGroupResponseData;
import dev.borges.protocol.message.SyncGroupResponseData;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One member of a classic group: its identity and timeouts, the protocols (assignors) it supports
 * with its metadata for each, in its order of preference, and the assignment the leader gave it.
 * The pending JoinGroup / SyncGroup response and whether it is new are session state, never stored.
 *
 * <p>Threading: owned by its group's shard thread.
 */
public final class ClassicGroupMember {
    /** A protocol a member supports: its name and the member's metadata for it (for a consumer, its subscription). */
    public record Protocol(String name, byte[] metadata) {
        public Protocol {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(metadata, "metadata");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Protocol that && name.equals(that.name) && Arrays.equals(metadata, that.metadata);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(metadata);
        }

        @Override
        public String toString() {
            return name + "(" + metadata.length + " bytes)";
        }
    }

    static final byte[] EMPTY_ASSIGNMENT = new byte[0];

    private final String memberId;
    private final String groupInstanceId;
    private final String clientId;
    private final String clientHost;
    private final String protocolType;
    private int rebalanceTimeoutMs;
    private int sessionTimeoutMs;
    private List<Protocol> protocols;
    private byte[] assignment = EMPTY_ASSIGNMENT;
    private CompletableFuture<JoinGroupResponseData> joinFuture;
    private CompletableFuture<SyncGroupResponseData> syncFuture;
    private boolean isNew;

    public ClassicGroupMember(String memberId, String groupInstanceId, String clientId, String clientHost, int rebalanceTimeoutMs,
                              int sessionTimeoutMs, String protocolType, List<Protocol> protocols) {
        this.memberId = Objects.requireNonNull(memberId, "memberId");
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocolType = protocolType;
        this.protocols = List.copyOf(protocols);
    }

    /** The same member under a new id (a static member that restarted), keeping its assignment. */
    ClassicGroupMember withMemberId(String newMemberId) {
        ClassicGroupMember copy = new ClassicGroupMember(newMemberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs,
            sessionTimeoutMs, protocolType, protocols);
        copy.assignment = assignment;
        return copy;
    }

    public String memberId() {
        return memberId;
    }

    public String groupInstanceId() {
        return groupInstanceId;
    }

    public boolean isStatic() {
        return groupInstanceId != null;
    }

    public String clientId() {
        return clientId;
    }

    public String clientHost() {
        return clientHost;
    }

    public int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    public int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    public String protocolType() {
        return protocolType;
    }

    public List<Protocol> protocols() {
        return protocols;
    }

    public byte[] assignment() {
        return assignment;
    }

    void setAssignment(byte[] assignment) {
        this.assignment = assignment;
    }

    void update(List<Protocol> newProtocols, int newRebalanceTimeoutMs, int newSessionTimeoutMs) {
        protocols = List.copyOf(newProtocols);
        rebalanceTimeoutMs = newRebalanceTimeoutMs;
        sessionTimeoutMs = newSessionTimeoutMs;
    }

    /** Its metadata for {@code protocol}, if it supports it. */
    public Optional<byte[]> metadata(String protocol) {
        return protocols.stream().filter(p -> p.name().equals(protocol)).map(Protocol::metadata).findFirst();
    }

    /** Whether it supports {@code protocol}. */
    boolean supports(String protocol) {
        return protocols.stream().anyMatch(p -> p.name().equals(protocol));
    }

    /** Whether {@code other} is exactly what it supports already (same names, metadata and order). */
    boolean matches(List<Protocol> other) {
        return protocols.equals(other);
    }

    // ---- session state ------------------------------------------------------------------------

    CompletableFuture<JoinGroupResponseData> joinFuture() {
        return joinFuture;
    }

    void setJoinFuture(CompletableFuture<JoinGroupResponseData> future) {
        joinFuture = future;
    }

    boolean isAwaitingJoin() {
        return joinFuture != null;
    }

    CompletableFuture<SyncGroupResponseData> syncFuture() {
        return syncFuture;
    }

    void setSyncFuture(CompletableFuture<SyncGroupResponseData> future) {
        syncFuture = future;
    }

    boolean isAwaitingSync() {
        return syncFuture != null;
    }

    boolean isNew() {
        return isNew;
    }

    void setNew(boolean value) {
        isNew = value;
    }

    @Override
    public String toString() {
        return "ClassicGroupMember(" + memberId + (groupInstanceId == null ? "" : ", instance " + groupInstanceId) + ", client "
            + clientId + "/" + clientHost + ", protocols " + protocols + ")";
    }
}
