package dev.borges.broker.group.classic;

import dev.borges.broker.group.CommitPartitionValidator;
import dev.borges.broker.group.Group;
import dev.borges.broker.group.GroupType;
import dev.borges.broker.group.record.GroupMetadataValue;
import dev.borges.broker.coordinator.CoordinatorException;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.JoinGroupResponseData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * A classic group (JoinGroup / SyncGroup / Heartbeat): its members, its generation and the
 * protocol it selected, moving through the states of {@link ClassicGroupState}.
 *
 * <h2>Durable and session state</h2>
 * What a {@code GroupMetadata} record holds is durable: the generation, protocol type and name,
 * leader, and each member with its timeouts, its metadata for the selected protocol and its
 * assignment. It is recorded when a generation's assignment is stored, when the group becomes
 * empty, and when a static member's id is replaced, and it is rebuilt only by replaying those
 * records ({@link #fromRecord}, {@link #applyRecord}). Everything about a rebalance in progress is
 * session state, as in Kafka: who has rejoined, the waiting JoinGroup and SyncGroup responses,
 * members admitted but not yet in a recorded generation, heartbeats. After a restart members find
 * the group at its last recorded generation and rejoin as they would after a coordinator move.
 *
 * <p>Threading: owned by its shard's thread; not thread-safe.
 */
public final class ClassicGroup implements Group {
    private final String groupId;
    private ClassicGroupState state;
    private ClassicGroupState previousState;
    private long currentStateTimestampMs;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private final Map<String, ClassicGroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Set<String> pendingMembers = new HashSet<>();
    private final Set<String> pendingSyncMembers = new HashSet<>();
    private boolean newMemberAdded;
    private Optional<Set<String>> subscribedTopics = Optional.empty();

    /** A new, empty group (a first JoinGroup, or a group that so far only stores offsets). */
    public ClassicGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.state = ClassicGroupState.EMPTY;
        this.previousState = ClassicGroupState.EMPTY;
        this.currentStateTimestampMs = nowMs;
    }

    /** The group a record describes, as loading finds it: Empty without members, else Stable. */
    public static ClassicGroup fromRecord(String groupId, GroupMetadataValue value) {
        ClassicGroup group = new ClassicGroup(groupId, value.currentStateTimestampMs());
        group.applyRecord(value);
        return group;
    }

    /**
     * Replays a recorded generation. On a group being loaded this builds it; on the live group the
     * record was generated from, it confirms membership and stores what only the record sets: the
     * assignment (the group becomes Stable), or the new generation of a group that became empty.
     * Members the record does not hold leave the group; members it holds but the group does not are
     * added (loading).
     */
    public void applyRecord(GroupMetadataValue value) {
        generationId = value.generation();
        protocolType = value.protocolType().isEmpty() ? null : value.protocolType();
        protocolName = value.protocol();
        leaderId = value.leader();
        Set<String> recorded = new HashSet<>();
        for (GroupMetadataValue.Member stored : value.members()) {
            recorded.add(stored.memberId());
            ClassicGroupMember member = members.get(stored.memberId());
            if (member == null) {
                member = new ClassicGroupMember(stored.memberId(), stored.groupInstanceId(), stored.clientId(), stored.clientHost(),
                    stored.rebalanceTimeoutMs(), stored.sessionTimeoutMs(), value.protocolType(),
                    List.of(new ClassicGroupMember.Protocol(protocolName == null ? "" : protocolName, stored.subscription())));
                addMember(member);
            }
            member.setAssignment(stored.assignment());
        }
        for (String memberId : List.copyOf(members.keySet())) {
            if (!recorded.contains(memberId)) {
                removeMember(memberId);
            }
        }
        subscribedTopics = computeSubscribedTopics();
        ClassicGroupState recordedState = members.isEmpty() ? ClassicGroupState.EMPTY : ClassicGroupState.STABLE;
        // A group between rebalances (and one being loaded) takes the recorded state; one in the
        // middle of a rebalance only moves along it (the empty generation, the stored assignment).
        boolean idle = state == ClassicGroupState.EMPTY || state == ClassicGroupState.STABLE;
        if (state != recordedState && (idle || recordedState.canFollow(state))) {
            previousState = state;
            state = recordedState;
        }
        if (value.currentStateTimestampMs() >= 0) {
            currentStateTimestampMs = value.currentStateTimestampMs();
        }
    }

    /** The record of this group's current generation with these assignments (missing members get an empty one). */
    public GroupMetadataValue toRecord(Map<String, byte[]> assignments, long stateTimestampMs) {
        List<GroupMetadataValue.Member> stored = new ArrayList<>();
        for (ClassicGroupMember member : members.values()) {
            byte[] subscription = protocolName == null ? ClassicGroupMember.EMPTY_ASSIGNMENT
                : member.metadata(protocolName).orElse(ClassicGroupMember.EMPTY_ASSIGNMENT);
            stored.add(new GroupMetadataValue.Member(member.memberId(), member.groupInstanceId(), member.clientId(),
                member.clientHost(), member.rebalanceTimeoutMs(), member.sessionTimeoutMs(), subscription,
                assignments.getOrDefault(member.memberId(), ClassicGroupMember.EMPTY_ASSIGNMENT)));
        }
        return new GroupMetadataValue(protocolType == null ? "" : protocolType, generationId, protocolName, leaderId,
            stateTimestampMs, stored);
    }

    /** The record of this group as it stands, with each member's current assignment. */
    public GroupMetadataValue toRecord() {
        Map<String, byte[]> assignments = new HashMap<>();
        members.values().forEach(member -> assignments.put(member.memberId(), member.assignment()));
        return toRecord(assignments, currentStateTimestampMs);
    }

    // ---- Group ---------------------------------------------------------------------------------

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public GroupType type() {
        return GroupType.CLASSIC;
    }

    @Override
    public String stateName() {
        return state.label();
    }

    @Override
    public String protocolType() {
        return protocolType == null ? "" : protocolType;
    }

    @Override
    public boolean isEmpty() {
        return members.isEmpty();
    }

    @Override
    public CommitPartitionValidator validateOffsetCommit(String memberId, String groupInstanceId, int generationId,
                                                         short apiVersion) {
        validateCommit(memberId, groupInstanceId, generationId, false);
        return CommitPartitionValidator.NO_OP; // a classic generation covers the whole assignment
    }

    /**
     * As an OffsetCommit, except that a commit naming no member nor generation is accepted from
     * anyone (TxnOffsetCommit before version 3 cannot name them) and a group completing a rebalance
     * takes it, as in Kafka.
     */
    @Override
    public CommitPartitionValidator validateTransactionalOffsetCommit(String memberId, String groupInstanceId, int generationId) {
        validateCommit(memberId, groupInstanceId, generationId, true);
        return CommitPartitionValidator.NO_OP;
    }

    private void validateCommit(String memberId, String groupInstanceId, int generationId, boolean transactional) {
        if (state == ClassicGroupState.DEAD) {
            throw new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE, "Group " + groupId + " is being removed");
        }
        if (generationId < 0 && state == ClassicGroupState.EMPTY) {
            return; // a commit from outside group management, to a group nobody is a member of
        }
        if (generationId >= 0 || !memberId.isEmpty() || groupInstanceId != null) {
            validateMember(memberId, groupInstanceId);
            if (generationId != this.generationId) {
                throw new CoordinatorException(Errors.ILLEGAL_GENERATION, "Generation " + generationId + " is not the group's "
                    + this.generationId);
            }
        } else if (!transactional) {
            throw new CoordinatorException(Errors.UNKNOWN_MEMBER_ID, "Group " + groupId + " has members: only they may commit");
        }
        if (!transactional && state == ClassicGroupState.COMPLETING_REBALANCE) {
            // The member knows the new generation but not yet its assignment: let it finish the rebalance.
            throw new CoordinatorException(Errors.REBALANCE_IN_PROGRESS, "Group " + groupId + " is completing a rebalance");
        }
    }

    @Override
    public void validateOffsetDelete() {
        if (state == ClassicGroupState.DEAD) {
            throw new CoordinatorException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " does not exist");
        }
        if (state != ClassicGroupState.EMPTY && !ConsumerProtocolSubscription.PROTOCOL_TYPE.equals(protocolType)) {
            throw new CoordinatorException(Errors.NON_EMPTY_GROUP, "Group " + groupId + " has members");
        }
    }

    @Override
    public boolean isSubscribedToTopic(String topic) {
        if (state == ClassicGroupState.EMPTY || state == ClassicGroupState.DEAD) {
            return false;
        }
        return subscribedTopics.map(topics -> topics.contains(topic)).orElse(true);
    }

    @Override
    public Optional<LongUnaryOperator> offsetRetentionBase() {
        if (protocolType == null) {
            return Optional.of(commitTimestamp -> commitTimestamp); // only stores offsets: from each commit
        }
        if (state == ClassicGroupState.EMPTY) {
            long since = currentStateTimestampMs;
            return Optional.of(commitTimestamp -> since >= 0 ? since : commitTimestamp);
        }
        if (state == ClassicGroupState.STABLE && subscribedTopics.isPresent()) {
            return Optional.of(commitTimestamp -> commitTimestamp); // topics it no longer consumes
        }
        return Optional.empty();
    }

    @Override
    public void validateDelete() {
        if (state == ClassicGroupState.DEAD) {
            throw new CoordinatorException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " does not exist");
        }
        if (state != ClassicGroupState.EMPTY) {
            throw new CoordinatorException(Errors.NON_EMPTY_GROUP, "Group " + groupId + " has members");
        }
    }

    // ---- state ---------------------------------------------------------------------------------

    public ClassicGroupState state() {
        return state;
    }

    public boolean isInState(ClassicGroupState candidate) {
        return state == candidate;
    }

    ClassicGroupState previousState() {
        return previousState;
    }

    public long currentStateTimestampMs() {
        return currentStateTimestampMs;
    }

    void transitionTo(ClassicGroupState next, long nowMs) {
        if (!next.canFollow(state)) {
            throw new IllegalStateException("Group " + groupId + " cannot go from " + state + " to " + next);
        }
        previousState = state;
        state = next;
        currentStateTimestampMs = nowMs;
    }

    /** Whether a rebalance may start now (PreparingRebalance can follow the current state). */
    boolean canRebalance() {
        return ClassicGroupState.PREPARING_REBALANCE.canFollow(state);
    }

    public int generationId() {
        return generationId;
    }

    /** The protocol type, or null for a group that only stores offsets. */
    public String protocolTypeOrNull() {
        return protocolType;
    }

    public String protocolName() {
        return protocolName;
    }

    public String leaderId() {
        return leaderId;
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    // ---- members -------------------------------------------------------------------------------

    public Collection<ClassicGroupMember> members() {
        return members.values();
    }

    public ClassicGroupMember member(String memberId) {
        return members.get(memberId);
    }

    boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    public int size() {
        return members.size();
    }

    /** The member id of static member {@code groupInstanceId}, or null. */
    String staticMemberId(String groupInstanceId) {
        return groupInstanceId == null ? null : staticMembers.get(groupInstanceId);
    }

    /**
     * Adds a member; the first becomes leader. The group takes the member's protocol type when it
     * has none yet.
     */
    void addMember(ClassicGroupMember member) {
        if (members.isEmpty() && protocolType == null) {
            protocolType = member.protocolType();
        }
        members.put(member.memberId(), member);
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        pendingMembers.remove(member.memberId());
        if (leaderId == null) {
            leaderId = member.memberId();
        }
    }

    /** Removes a member; if it led the group, another member (if any) leads. */
    ClassicGroupMember removeMember(String memberId) {
        ClassicGroupMember member = members.remove(memberId);
        if (member == null) {
            return null;
        }
        if (member.isStatic() && memberId.equals(staticMembers.get(member.groupInstanceId()))) {
            staticMembers.remove(member.groupInstanceId());
        }
        pendingSyncMembers.remove(memberId);
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
        return member;
    }

    /** Static member {@code groupInstanceId} restarted: it continues under {@code newMemberId}, keeping its assignment. */
    ClassicGroupMember replaceStaticMember(String groupInstanceId, String oldMemberId, String newMemberId) {
        ClassicGroupMember old = members.remove(oldMemberId);
        ClassicGroupMember replacement = old.withMemberId(newMemberId);
        members.put(newMemberId, replacement);
        staticMembers.put(groupInstanceId, newMemberId);
        if (oldMemberId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        if (pendingSyncMembers.remove(oldMemberId)) {
            pendingSyncMembers.add(newMemberId);
        }
        return replacement;
    }

    /**
     * Checks that {@code memberId} is a member, and, for a static member, that it is the current
     * holder of its instance id.
     *
     * @throws CoordinatorException {@code UNKNOWN_MEMBER_ID} or {@code FENCED_INSTANCE_ID}
     */
    void validateMember(String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String current = staticMembers.get(groupInstanceId);
            if (current == null) {
                throw new CoordinatorException(Errors.UNKNOWN_MEMBER_ID, "No static member " + groupInstanceId + " in group "
                    + groupId);
            }
            if (!current.equals(memberId)) {
                throw new CoordinatorException(Errors.FENCED_INSTANCE_ID, "Static member " + groupInstanceId + " of group " + groupId
                    + " is now " + current + ", not " + memberId);
            }
        } else if (!members.containsKey(memberId)) {
            throw new CoordinatorException(Errors.UNKNOWN_MEMBER_ID, "No member " + memberId + " in group " + groupId);
        }
    }

    /** Dynamic members told to rejoin with an id (MEMBER_ID_REQUIRED) that have not yet. */
    boolean isPendingMember(String memberId) {
        return pendingMembers.contains(memberId);
    }

    void addPendingMember(String memberId) {
        pendingMembers.add(memberId);
    }

    boolean removePendingMember(String memberId) {
        return pendingMembers.remove(memberId);
    }

    int pendingMemberCount() {
        return pendingMembers.size();
    }

    Set<String> pendingSyncMembers() {
        return pendingSyncMembers;
    }

    boolean newMemberAdded() {
        return newMemberAdded;
    }

    void setNewMemberAdded(boolean value) {
        newMemberAdded = value;
    }

    int awaitingJoinCount() {
        return (int) members.values().stream().filter(ClassicGroupMember::isAwaitingJoin).count();
    }

    /** Every member has rejoined, and nobody told to rejoin with an id is still on its way. */
    boolean hasAllMembersJoined() {
        return awaitingJoinCount() == members.size() && pendingMembers.isEmpty();
    }

    List<ClassicGroupMember> notYetRejoinedMembers() {
        return members.values().stream().filter(member -> !member.isAwaitingJoin()).toList();
    }

    /** The longest rebalance timeout of the members: how long the join phase may last. */
    int rebalanceTimeoutMs() {
        return members.values().stream().mapToInt(ClassicGroupMember::rebalanceTimeoutMs).max().orElse(0);
    }

    /**
     * If the leader has not rejoined, makes a member that has rejoined the leader. Returns whether
     * the group has a leader that rejoined.
     */
    boolean maybeElectNewJoinedLeader() {
        if (leaderId == null) {
            return false;
        }
        ClassicGroupMember leader = members.get(leaderId);
        if (leader != null && leader.isAwaitingJoin()) {
            return true;
        }
        for (ClassicGroupMember member : members.values()) {
            if (member.isAwaitingJoin()) {
                leaderId = member.memberId();
                return true;
            }
        }
        return false;
    }

    // ---- protocols -----------------------------------------------------------------------------

    /**
     * Whether a member with this protocol type and these protocols may join: an empty group takes
     * any non-empty type and list; otherwise the type must match and one of the protocols must be
     * supported by every member.
     */
    boolean supportsProtocols(String memberProtocolType, List<ClassicGroupMember.Protocol> memberProtocols) {
        if (members.isEmpty()) {
            return !memberProtocolType.isEmpty() && !memberProtocols.isEmpty();
        }
        if (!memberProtocolType.equals(protocolType)) {
            return false;
        }
        for (ClassicGroupMember.Protocol protocol : memberProtocols) {
            if (members.values().stream().allMatch(member -> member.supports(protocol.name()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The protocol of the next generation: among those every member supports, the one most members
     * prefer (each votes for the first of its own list they all support); ties go to the leader's
     * preference.
     */
    String selectProtocol() {
        Set<String> candidates = new LinkedHashSet<>();
        ClassicGroupMember leader = leaderId == null ? members.values().iterator().next() : members.get(leaderId);
        for (ClassicGroupMember.Protocol protocol : leader.protocols()) {
            if (members.values().stream().allMatch(member -> member.supports(protocol.name()))) {
                candidates.add(protocol.name());
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalStateException("Group " + groupId + " has no protocol every member supports");
        }
        Map<String, Integer> votes = new LinkedHashMap<>();
        candidates.forEach(candidate -> votes.put(candidate, 0));
        for (ClassicGroupMember member : members.values()) {
            member.protocols().stream().map(ClassicGroupMember.Protocol::name).filter(candidates::contains).findFirst()
                .ifPresent(vote -> votes.merge(vote, 1, Integer::sum));
        }
        String winner = null;
        int most = -1;
        for (Map.Entry<String, Integer> entry : votes.entrySet()) {
            if (entry.getValue() > most) {
                winner = entry.getKey();
                most = entry.getValue();
            }
        }
        return winner;
    }

    /**
     * The join phase ended with members: the next generation starts (CompletingRebalance), with the
     * protocol they select; every member must now sync. Session state until the leader's assignment
     * is recorded.
     */
    void initNextGeneration(long nowMs) {
        generationId++;
        protocolName = selectProtocol();
        subscribedTopics = computeSubscribedTopics();
        pendingSyncMembers.clear();
        pendingSyncMembers.addAll(members.keySet());
        for (ClassicGroupMember member : members.values()) {
            member.setAssignment(ClassicGroupMember.EMPTY_ASSIGNMENT);
        }
        transitionTo(ClassicGroupState.COMPLETING_REBALANCE, nowMs);
    }

    /** The members and their metadata for the selected protocol, as the leader's JoinGroup response lists them. */
    List<JoinGroupResponseData.JoinGroupResponseMember> currentMemberMetadata() {
        List<JoinGroupResponseData.JoinGroupResponseMember> list = new ArrayList<>();
        for (ClassicGroupMember member : members.values()) {
            list.add(new JoinGroupResponseData.JoinGroupResponseMember()
                .setMemberId(member.memberId())
                .setGroupInstanceId(member.groupInstanceId())
                .setMetadata(member.metadata(protocolName).orElse(ClassicGroupMember.EMPTY_ASSIGNMENT)));
        }
        return list;
    }

    private Optional<Set<String>> computeSubscribedTopics() {
        if (!ConsumerProtocolSubscription.PROTOCOL_TYPE.equals(protocolType) || protocolName == null) {
            return members.isEmpty() ? Optional.of(Set.of()) : Optional.empty();
        }
        Set<String> topics = new HashSet<>();
        for (ClassicGroupMember member : members.values()) {
            Optional<byte[]> metadata = member.metadata(protocolName);
            Optional<Set<String>> subscribed = metadata.flatMap(ConsumerProtocolSubscription::topics);
            if (subscribed.isEmpty()) {
                return Optional.empty();
            }
            topics.addAll(subscribed.get());
        }
        return Optional.of(topics);
    }

    @Override
    public String toString() {
        return "ClassicGroup(" + groupId + ", " + state + ", generation " + generationId + ", protocol " + protocolType + "/"
            + protocolName + ", leader " + leaderId + ", members " + members.keySet() + ")";
    }
}
