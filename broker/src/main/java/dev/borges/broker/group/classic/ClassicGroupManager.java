package dev.borges.broker.group.classic;

import dev.borges.broker.group.ClientContext;
import dev.borges.broker.group.Group;
import dev.borges.broker.group.GroupConfig;
import dev.borges.broker.group.record.GroupMetadataValue;
import dev.borges.broker.group.record.GroupRecords;
import dev.borges.broker.coordinator.CoordinatorException;
import dev.borges.broker.coordinator.CoordinatorRecord;
import dev.borges.broker.coordinator.CoordinatorResult;
import dev.borges.broker.coordinator.CoordinatorTimer;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.HeartbeatRequestData;
import dev.borges.protocol.message.HeartbeatResponseData;
import dev.borges.protocol.message.JoinGroupRequestData;
import dev.borges.protocol.message.JoinGroupResponseData;
import dev.borges.protocol.message.LeaveGroupRequestData;
import dev.borges.protocol.message.LeaveGroupResponseData;
import dev.borges.protocol.message.SyncGroupRequestData;
import dev.borges.protocol.message.SyncGroupResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic rebalance protocol of one shard: JoinGroup, SyncGroup, Heartbeat and LeaveGroup,
 * with their timers, over the shard's {@link ClassicGroup}s.
 *
 * <h2>A rebalance</h2>
 * A member joining, leaving, failing, changing its metadata, or the leader rejoining moves the
 * group to PreparingRebalance. Every member must then rejoin: its JoinGroup waits (a deferred
 * response, no thread held) until all have rejoined or the rebalance timeout (the largest of the
 * members') expires; members that did not rejoin are dropped, except static ones. The join phase
 * then ends: the generation goes up, the protocol most members prefer among those all support is
 * selected, and every waiting JoinGroup is answered; the leader's answer lists the members and
 * their metadata. In CompletingRebalance the followers' SyncGroups wait for the leader's, which
 * carries the assignment; that is recorded, the group becomes Stable and every waiting SyncGroup
 * gets its member's part. A group that starts from Empty first waits
 * {@code group.initial.rebalance.delay.ms}, longer while new members keep arriving, so a group
 * starting all at once does not rebalance once per member.
 *
 * <h2>Timers (keys)</h2>
 * {@code heartbeat-<group>-<member>}: the member's session; {@code join-<group>}: the end of the
 * join phase; {@code sync-<group>}: members that received their JoinGroup answer must sync within
 * the rebalance timeout.
 *
 * <p>Operations return records and completions ({@link CoordinatorResult}); the runtime answers
 * the waiting members only after the records are committed. Threading: the shard's thread.
 */
public final class ClassicGroupManager {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicGroupManager.class);

    private final GroupConfig config;
    private final CoordinatorTimer timer;
    private final Map<String, Group> groups;

    /**
     * @param groups the shard's groups of every type, shared with the other group managers
     */
    public ClassicGroupManager(GroupConfig config, CoordinatorTimer timer, Map<String, Group> groups) {
        this.config = config;
        this.timer = timer;
        this.groups = groups;
    }

    /** The classic group {@code groupId}, or null if there is none (or it is of another type). */
    public ClassicGroup group(String groupId) {
        return groups.get(groupId) instanceof ClassicGroup classic ? classic : null;
    }

    // ---- JoinGroup -----------------------------------------------------------------------------

    /**
     * JoinGroup. {@code response} completes when the member may proceed: at once for errors and
     * MEMBER_ID_REQUIRED, else when the join phase ends.
     */
    public CoordinatorResult<Void> joinGroup(ClientContext client, JoinGroupRequestData request,
                                             CompletableFuture<JoinGroupResponseData> response, long nowMs) {
        CoordinatorResult.Builder result = new CoordinatorResult.Builder();
        String groupId = request.groupId();
        String memberId = request.memberId();
        if (groupId == null || groupId.isEmpty()) {
            return answered(result, response, joinError(memberId, Errors.INVALID_GROUP_ID));
        }
        int sessionTimeoutMs = request.sessionTimeoutMs();
        if (sessionTimeoutMs < config.minSessionTimeoutMs() || sessionTimeoutMs > config.maxSessionTimeoutMs()) {
            return answered(result, response, joinError(memberId, Errors.INVALID_SESSION_TIMEOUT));
        }
        Group existing = groups.get(groupId);
        if (existing != null && !(existing instanceof ClassicGroup)) {
            return answered(result, response, joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        boolean newMember = memberId.isEmpty();
        ClassicGroup group = (ClassicGroup) existing;
        boolean created = false;
        if (group == null) {
            if (!newMember) {
                return answered(result, response, joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
            }
            group = new ClassicGroup(groupId, nowMs);
            groups.put(groupId, group);
            created = true;
        }
        if (!acceptsJoiningMember(group, memberId)) {
            answered(result, response, joinError(memberId, Errors.GROUP_MAX_SIZE_REACHED));
        } else if (newMember) {
            joinNewMember(client, request, group, response, result, nowMs);
        } else {
            joinExistingMember(client, request, group, response, result, nowMs);
        }
        if (created && group.isEmpty() && group.pendingMemberCount() == 0) {
            groups.remove(groupId); // the join failed: nothing to keep of a group nobody is in
        }
        return result.build(null);
    }

    private void joinNewMember(ClientContext client, JoinGroupRequestData request, ClassicGroup group,
                               CompletableFuture<JoinGroupResponseData> response, CoordinatorResult.Builder result, long nowMs) {
        List<ClassicGroupMember.Protocol> protocols = protocols(request);
        if (group.isInState(ClassicGroupState.DEAD)) {
            result.complete(response, joinError("", Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(request.protocolType(), protocols)) {
            result.complete(response, joinError("", Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        String newMemberId = client.clientId() + "-" + UUID.randomUUID();
        String instanceId = request.groupInstanceId();
        if (instanceId != null) {
            String oldMemberId = group.staticMemberId(instanceId);
            if (oldMemberId != null) {
                replaceStaticMember(client, request, group, oldMemberId, newMemberId, response, result, nowMs);
            } else {
                addMemberAndRebalance(client, request, group, newMemberId, response, result, nowMs);
            }
        } else if (client.apiVersion() >= 4) {
            // KIP-394: a new dynamic member first gets its id, and joins with it; a client that
            // gave up waiting does not leave a member behind in the group.
            group.addPendingMember(newMemberId);
            timer.schedule(heartbeatKey(group.groupId(), newMemberId), request.sessionTimeoutMs(),
                now -> onHeartbeatExpired(group.groupId(), newMemberId, now));
            result.complete(response, joinError(newMemberId, Errors.MEMBER_ID_REQUIRED));
        } else {
            addMemberAndRebalance(client, request, group, newMemberId, response, result, nowMs);
        }
    }

    private void joinExistingMember(ClientContext client, JoinGroupRequestData request, ClassicGroup group,
                                    CompletableFuture<JoinGroupResponseData> response, CoordinatorResult.Builder result, long nowMs) {
        String memberId = request.memberId();
        List<ClassicGroupMember.Protocol> protocols = protocols(request);
        if (group.isInState(ClassicGroupState.DEAD)) {
            result.complete(response, joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        if (!group.supportsProtocols(request.protocolType(), protocols)) {
            result.complete(response, joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        if (group.isPendingMember(memberId)) {
            if (request.groupInstanceId() != null) {
                result.complete(response, joinError(memberId, Errors.UNKNOWN_MEMBER_ID)); // pending members are dynamic
            } else {
                addMemberAndRebalance(client, request, group, memberId, response, result, nowMs);
            }
            return;
        }
        try {
            group.validateMember(memberId, request.groupInstanceId());
        } catch (CoordinatorException e) {
            result.complete(response, joinError(memberId, e.error()));
            return;
        }
        ClassicGroupMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberAndRebalance(request, group, member, protocols, response, result, nowMs);
            case COMPLETING_REBALANCE -> {
                if (member.matches(protocols)) {
                    // It missed its JoinGroup answer: give it the current generation again.
                    result.complete(response, currentGeneration(group, member.memberId(), group.isLeader(memberId)));
                } else {
                    updateMemberAndRebalance(request, group, member, protocols, response, result, nowMs);
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId) || !member.matches(protocols)) {
                    // The leader rejoins to have the assignment computed again (its view of the
                    // topics changed, which member metadata does not show).
                    updateMemberAndRebalance(request, group, member, protocols, response, result, nowMs);
                } else {
                    result.complete(response, currentGeneration(group, member.memberId(), false));
                }
            }
            case EMPTY, DEAD -> result.complete(response, joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
        }
    }

    /**
     * A static member restarted and joins without its member id: it takes over under a new id.
     * In a Stable group whose selected protocol it does not change, no rebalance: the group is
     * recorded with the new id and the member keeps its assignment. (Before JoinGroup v9 the
     * answer names the old leader id, so a returning leader does not compute an assignment the
     * stable group would not hand out; from v9 it is told it leads and to skip the assignment.)
     */
    private void replaceStaticMember(ClientContext client, JoinGroupRequestData request, ClassicGroup group, String oldMemberId,
                                     String newMemberId, CompletableFuture<JoinGroupResponseData> response,
                                     CoordinatorResult.Builder result, long nowMs) {
        ClassicGroupMember old = group.member(oldMemberId);
        String previousLeader = group.leaderId();
        // The old incarnation's pending requests are answered: it is fenced.
        result.complete(old.joinFuture(), joinError(oldMemberId, Errors.FENCED_INSTANCE_ID));
        result.complete(old.syncFuture(), syncError(Errors.FENCED_INSTANCE_ID));
        timer.cancel(heartbeatKey(group.groupId(), oldMemberId));
        ClassicGroupMember member = group.replaceStaticMember(request.groupInstanceId(), oldMemberId, newMemberId);
        member.update(protocols(request), rebalanceTimeoutMs(client, request), request.sessionTimeoutMs());
        rescheduleHeartbeat(group, member, member.sessionTimeoutMs());
        LOG.info("Static member {} of group {} rejoined as {}", request.groupInstanceId(), group.groupId(), newMemberId);
        switch (group.state()) {
            case STABLE -> {
                if (group.protocolName().equals(group.selectProtocol())) {
                    result.record(GroupRecords.groupMetadata(group.groupId(), group.toRecord()));
                    boolean leads = group.isLeader(newMemberId);
                    boolean skipAssignment = leads && client.apiVersion() >= 9;
                    JoinGroupResponseData answer = currentGeneration(group, newMemberId, skipAssignment)
                        .setSkipAssignment(skipAssignment)
                        .setLeader(skipAssignment ? group.leaderId() : previousLeader);
                    result.complete(response, answer);
                } else {
                    member.setJoinFuture(response);
                    prepareRebalance(group, result, nowMs);
                }
            }
            case COMPLETING_REBALANCE -> {
                // The leader may be assigning to the old id: rebalance so the new id gets its share.
                member.setJoinFuture(response);
                prepareRebalance(group, result, nowMs);
            }
            case PREPARING_REBALANCE -> {
                member.setJoinFuture(response);
                maybeCompleteJoinPhase(group, result, nowMs);
            }
            case EMPTY, DEAD -> throw new IllegalStateException("Group " + group.groupId() + " in state " + group.state()
                + " has static member " + request.groupInstanceId());
        }
    }

    private void addMemberAndRebalance(ClientContext client, JoinGroupRequestData request, ClassicGroup group, String memberId,
                                       CompletableFuture<JoinGroupResponseData> response, CoordinatorResult.Builder result,
                                       long nowMs) {
        ClassicGroupMember member = new ClassicGroupMember(memberId, request.groupInstanceId(), client.clientId(), client.clientHost(),
            rebalanceTimeoutMs(client, request), request.sessionTimeoutMs(), request.protocolType(), protocols(request));
        member.setNew(true);
        if (group.isInState(ClassicGroupState.PREPARING_REBALANCE) && group.generationId() == 0) {
            group.setNewMemberAdded(true); // the first rebalance waits a little longer for more members
        }
        group.addMember(member);
        member.setJoinFuture(response);
        // A new member has no id to heartbeat with while it waits, and a muted socket hides a
        // disconnect: bound how long it may hold up the join phase.
        rescheduleHeartbeat(group, member, GroupConfig.NEW_MEMBER_JOIN_TIMEOUT_MS);
        maybePrepareRebalanceOrCompleteJoin(group, result, nowMs);
    }

    private void updateMemberAndRebalance(JoinGroupRequestData request, ClassicGroup group, ClassicGroupMember member,
                                          List<ClassicGroupMember.Protocol> protocols, CompletableFuture<JoinGroupResponseData> response,
                                          CoordinatorResult.Builder result, long nowMs) {
        int rebalanceTimeout = request.rebalanceTimeoutMs() < 0 ? request.sessionTimeoutMs() : request.rebalanceTimeoutMs();
        member.update(protocols, rebalanceTimeout, request.sessionTimeoutMs());
        // A join the member sent on a connection it has since lost: nobody reads that answer.
        result.complete(member.joinFuture(), joinError(member.memberId(), Errors.REBALANCE_IN_PROGRESS));
        member.setJoinFuture(response);
        maybePrepareRebalanceOrCompleteJoin(group, result, nowMs);
    }

    private boolean acceptsJoiningMember(ClassicGroup group, String memberId) {
        return switch (group.state()) {
            case EMPTY, DEAD -> true;
            case PREPARING_REBALANCE -> (group.hasMember(memberId) && group.member(memberId).isAwaitingJoin())
                || group.awaitingJoinCount() < config.maxSize();
            case COMPLETING_REBALANCE, STABLE -> group.hasMember(memberId) || group.size() < config.maxSize();
        };
    }

    // ---- the join phase ------------------------------------------------------------------------

    private void maybePrepareRebalanceOrCompleteJoin(ClassicGroup group, CoordinatorResult.Builder result, long nowMs) {
        if (group.canRebalance()) {
            prepareRebalance(group, result, nowMs);
        } else {
            maybeCompleteJoinPhase(group, result, nowMs);
        }
    }

    private void prepareRebalance(ClassicGroup group, CoordinatorResult.Builder result, long nowMs) {
        if (group.isInState(ClassicGroupState.COMPLETING_REBALANCE)) {
            resetAssignments(group, Errors.REBALANCE_IN_PROGRESS, result);
        }
        timer.cancel(syncKey(group.groupId()));
        group.pendingSyncMembers().clear();
        boolean initial = group.isInState(ClassicGroupState.EMPTY);
        String groupId = group.groupId();
        if (initial) {
            int delayMs = config.initialRebalanceDelayMs();
            int remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
            timer.schedule(joinKey(groupId), delayMs, now -> completeInitialJoin(groupId, delayMs, remainingMs, now));
        }
        group.transitionTo(ClassicGroupState.PREPARING_REBALANCE, nowMs);
        LOG.info("Group {} is rebalancing (generation {}, {} members)", groupId, group.generationId(), group.size());
        if (!initial) {
            if (group.hasAllMembersJoined()) {
                completeJoin(group, result, nowMs);
            } else {
                timer.schedule(joinKey(groupId), group.rebalanceTimeoutMs(), now -> completeJoinOnTimeout(groupId, now));
            }
        }
    }

    /** The join phase ends early once everyone has rejoined, except during the initial delay. */
    private void maybeCompleteJoinPhase(ClassicGroup group, CoordinatorResult.Builder result, long nowMs) {
        if (group.isInState(ClassicGroupState.PREPARING_REBALANCE) && group.hasAllMembersJoined()
            && group.previousState() != ClassicGroupState.EMPTY) {
            completeJoin(group, result, nowMs);
        }
    }

    private CoordinatorResult<Void> completeInitialJoin(String groupId, int delayMs, int remainingMs, long nowMs) {
        ClassicGroup group = group(groupId);
        if (group == null || !group.isInState(ClassicGroupState.PREPARING_REBALANCE)) {
            return CoordinatorResult.empty();
        }
        if (group.newMemberAdded() && remainingMs > 0) {
            group.setNewMemberAdded(false);
            int nextDelayMs = Math.min(config.initialRebalanceDelayMs(), remainingMs);
            int nextRemainingMs = Math.max(remainingMs - delayMs, 0);
            timer.schedule(joinKey(groupId), nextDelayMs, now -> completeInitialJoin(groupId, nextDelayMs, nextRemainingMs, now));
            return CoordinatorResult.empty();
        }
        CoordinatorResult.Builder result = new CoordinatorResult.Builder();
        completeJoin(group, result, nowMs);
        return result.build(null);
    }

    private CoordinatorResult<Void> completeJoinOnTimeout(String groupId, long nowMs) {
        ClassicGroup group = group(groupId);
        if (group == null || !group.isInState(ClassicGroupState.PREPARING_REBALANCE)) {
            return CoordinatorResult.empty();
        }
        CoordinatorResult.Builder result = new CoordinatorResult.Builder();
        completeJoin(group, result, nowMs);
        return result.build(null);
    }

    private void completeJoin(ClassicGroup group, CoordinatorResult.Builder result, long nowMs) {
        String groupId = group.groupId();
        timer.cancel(joinKey(groupId));
        for (ClassicGroupMember member : group.notYetRejoinedMembers()) {
            if (!member.isStatic()) { // a static member keeps its place while it restarts
                timer.cancel(heartbeatKey(groupId, member.memberId()));
                result.complete(member.syncFuture(), syncError(Errors.UNKNOWN_MEMBER_ID));
                group.removeMember(member.memberId());
                LOG.info("Group {}: member {} did not rejoin in time and was removed", groupId, member.memberId());
            }
        }
        if (group.isInState(ClassicGroupState.DEAD)) {
            return;
        }
        if (!group.isEmpty() && !group.maybeElectNewJoinedLeader()) {
            // Only static members that have not rejoined are left: wait for them, or for their sessions to end.
            timer.schedule(joinKey(groupId), group.rebalanceTimeoutMs(), now -> completeJoinOnTimeout(groupId, now));
            return;
        }
        if (group.isEmpty()) {
            // The generation that ends with nobody is recorded; replaying it empties the group.
            result.record(GroupRecords.groupMetadata(groupId, new GroupMetadataValue(group.protocolType(), group.generationId() + 1,
                null, null, nowMs, List.of())));
            LOG.info("Group {} is empty (generation {})", groupId, group.generationId() + 1);
            return;
        }
        group.initNextGeneration(nowMs);
        for (ClassicGroupMember member : group.members()) {
            if (member.isAwaitingJoin()) {
                result.complete(member.joinFuture(), currentGeneration(group, member.memberId(), group.isLeader(member.memberId())));
                member.setJoinFuture(null);
            }
            member.setNew(false);
            rescheduleHeartbeat(group, member, member.sessionTimeoutMs());
        }
        int generation = group.generationId();
        timer.schedule(syncKey(groupId), group.rebalanceTimeoutMs(), now -> expirePendingSync(groupId, generation, now));
        LOG.info("Group {} generation {} has {} members; protocol {}, leader {}", groupId, generation, group.size(),
            group.protocolName(), group.leaderId());
    }

    /** Members that got their JoinGroup answer but never synced are dropped, and the group rebalances. */
    private CoordinatorResult<Void> expirePendingSync(String groupId, int generation, long nowMs) {
        ClassicGroup group = group(groupId);
        if (group == null || group.generationId() != generation || group.pendingSyncMembers().isEmpty()
            || !(group.isInState(ClassicGroupState.COMPLETING_REBALANCE) || group.isInState(ClassicGroupState.STABLE))) {
            return CoordinatorResult.empty();
        }
        CoordinatorResult.Builder result = new CoordinatorResult.Builder();
        for (String memberId : List.copyOf(group.pendingSyncMembers())) {
            timer.cancel(heartbeatKey(groupId, memberId));
            group.removeMember(memberId);
            LOG.info("Group {}: member {} did not sync in time and was removed", groupId, memberId);
        }
        group.pendingSyncMembers().clear();
        maybePrepareRebalanceOrCompleteJoin(group, result, nowMs);
        return result.build(null);
    }

    private void resetAssignments(ClassicGroup group, Errors error, CoordinatorResult.Builder result) {
        for (ClassicGroupMember member : group.members()) {
            member.setAssignment(ClassicGroupMember.EMPTY_ASSIGNMENT);
            if (member.isAwaitingSync()) {
                result.complete(member.syncFuture(), syncError(error));
                member.setSyncFuture(null);
            }
        }
    }

    // ---- SyncGroup -----------------------------------------------------------------------------

    /** SyncGroup. {@code response} completes at once, or, for a follower before the leader's assignment, with it. */
    public CoordinatorResult<Void> syncGroup(ClientContext client, SyncGroupRequestData request,
                                             CompletableFuture<SyncGroupResponseData> response, long nowMs) {
        CoordinatorResult.Builder result = new CoordinatorResult.Builder();
        String memberId = request.memberId();
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return answered(result, response, syncError(Errors.INVALID_GROUP_ID));
        }
        ClassicGroup group = group(request.groupId());
        if (group == null) {
            return answered(result, response, syncError(Errors.UNKNOWN_MEMBER_ID));
        }
        if (group.isInState(ClassicGroupState.DEAD)) {
            return answered(result, response, syncError(Errors.COORDINATOR_NOT_AVAILABLE));
        }
        try {
            group.validateMember(memberId, request.groupInstanceId());
        } catch (CoordinatorException e) {
            return answered(result, response, syncError(e.error()));
        }
        if (request.generationId() != group.generationId()) {
            return answered(result, response, syncError(Errors.ILLEGAL_GENERATION));
        }
        if ((request.protocolType() != null && !request.protocolType().equals(group.protocolType()))
            || (request.protocolName() != null && !request.protocolName().equals(group.protocolName()))) {
            return answered(result, response, syncError(Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        ClassicGroupMember member = group.member(memberId);
        switch (group.state()) {
            case EMPTY -> result.complete(response, syncError(Errors.UNKNOWN_MEMBER_ID));
            case PREPARING_REBALANCE -> result.complete(response, syncError(Errors.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE -> {
                result.complete(member.syncFuture(), syncError(Errors.REBALANCE_IN_PROGRESS)); // a retry on a new connection
                member.setSyncFuture(response);
                group.pendingSyncMembers().remove(memberId);
                if (group.isLeader(memberId)) {
                    storeAssignment(group, request, result, nowMs);
                }
            }
            case STABLE -> {
                group.pendingSyncMembers().remove(memberId);
                result.complete(response, syncOk(group, member.assignment()));
                rescheduleHeartbeat(group, member, member.sessionTimeoutMs());
            }
            case DEAD -> result.complete(response, syncError(Errors.COORDINATOR_NOT_AVAILABLE));
        }
        if (group.pendingSyncMembers().isEmpty()) {
            timer.cancel(syncKey(group.groupId()));
        }
        return result.build(null);
    }

    /**
     * The leader's assignment: recorded (replaying it makes the group Stable), and once committed
     * every member waiting in SyncGroup gets its part. Members the leader left out get nothing.
     */
    private void storeAssignment(ClassicGroup group, SyncGroupRequestData request, CoordinatorResult.Builder result, long nowMs) {
        Map<String, byte[]> assignments = new HashMap<>();
        for (SyncGroupRequestData.SyncGroupRequestAssignment assignment : request.assignments()) {
            if (group.hasMember(assignment.memberId())) {
                assignments.put(assignment.memberId(), assignment.assignment());
            }
        }
        result.record(GroupRecords.groupMetadata(group.groupId(), group.toRecord(assignments, nowMs)));
        for (ClassicGroupMember waiting : group.members()) {
            if (waiting.isAwaitingSync()) {
                result.complete(waiting.syncFuture(), syncOk(group,
                    assignments.getOrDefault(waiting.memberId(), ClassicGroupMember.EMPTY_ASSIGNMENT)));
                waiting.setSyncFuture(null);
            }
        }
        LOG.info("Group {} generation {}: the leader's assignment is stored", group.groupId(), group.generationId());
    }

    // ---- Heartbeat -----------------------------------------------------------------------------

    public CoordinatorResult<HeartbeatResponseData> heartbeat(HeartbeatRequestData request, long nowMs) {
        return CoordinatorResult.of(new HeartbeatResponseData().setErrorCode(heartbeatError(request).code));
    }

    private Errors heartbeatError(HeartbeatRequestData request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        ClassicGroup group = group(request.groupId());
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (group.isInState(ClassicGroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        try {
            group.validateMember(request.memberId(), request.groupInstanceId());
        } catch (CoordinatorException e) {
            return e.error();
        }
        if (request.generationId() != group.generationId()) {
            return Errors.ILLEGAL_GENERATION;
        }
        ClassicGroupMember member = group.member(request.memberId());
        return switch (group.state()) {
            case EMPTY, DEAD -> Errors.UNKNOWN_MEMBER_ID;
            case PREPARING_REBALANCE -> {
                rescheduleHeartbeat(group, member, member.sessionTimeoutMs());
                yield Errors.REBALANCE_IN_PROGRESS;
            }
            case COMPLETING_REBALANCE, STABLE -> {
                rescheduleHeartbeat(group, member, member.sessionTimeoutMs());
                yield Errors.NONE;
            }
        };
    }

    private void rescheduleHeartbeat(ClassicGroup group, ClassicGroupMember member, long timeoutMs) {
        String groupId = group.groupId();
        String memberId = member.memberId();
        timer.schedule(heartbeatKey(groupId, memberId), timeoutMs, now -> onHeartbeatExpired(groupId, memberId, now));
    }

    /** A member's session ended without a heartbeat. Members waiting in a rebalance are covered by its timeouts instead. */
    private CoordinatorResult<Void> onHeartbeatExpired(String groupId, String memberId, long nowMs) {
        ClassicGroup group = group(groupId);
        if (group == null || group.isInState(ClassicGroupState.DEAD)) {
            return CoordinatorResult.empty();
        }
        CoordinatorResult.Builder result = new CoordinatorResult.Builder();
        if (group.removePendingMember(memberId)) {
            LOG.info("Group {}: pending member {} never joined with its id and was dropped", groupId, memberId);
            maybeCompleteJoinPhase(group, result, nowMs);
        } else {
            ClassicGroupMember member = group.member(memberId);
            if (member != null && (member.isNew() || !(member.isAwaitingJoin() || member.isAwaitingSync()))) {
                LOG.info("Group {}: member {} {} and was removed", groupId, memberId,
                    member.isNew() ? "did not complete its first join in time" : "missed its session timeout");
                removeMemberAndUpdateGroup(group, member, result, nowMs);
            }
        }
        return result.build(null);
    }

    // ---- LeaveGroup ----------------------------------------------------------------------------

    /**
     * LeaveGroup: members leave by member id, or (static members, v3+) by instance id. The answer
     * has an error per member; the handler folds it into one for versions before 3.
     */
    public CoordinatorResult<LeaveGroupResponseData> leaveGroup(List<LeaveGroupRequestData.MemberIdentity> leaving, String groupId,
                                                                long nowMs) {
        CoordinatorResult.Builder result = new CoordinatorResult.Builder();
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        if (groupId == null || groupId.isEmpty()) {
            return result.build(response.setErrorCode(Errors.INVALID_GROUP_ID.code));
        }
        ClassicGroup group = group(groupId);
        if (group != null && group.isInState(ClassicGroupState.DEAD)) {
            return result.build(response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code));
        }
        for (LeaveGroupRequestData.MemberIdentity identity : leaving) {
            Errors error = group == null ? Errors.UNKNOWN_MEMBER_ID : leave(group, identity, result, nowMs);
            response.members().add(new LeaveGroupResponseData.MemberResponse()
                .setMemberId(identity.memberId())
                .setGroupInstanceId(identity.groupInstanceId())
                .setErrorCode(error.code));
        }
        return result.build(response.setErrorCode(Errors.NONE.code));
    }

    private Errors leave(ClassicGroup group, LeaveGroupRequestData.MemberIdentity identity, CoordinatorResult.Builder result, long nowMs) {
        String memberId = identity.memberId();
        String instanceId = identity.groupInstanceId();
        String current = group.staticMemberId(instanceId);
        if (!memberId.isEmpty() && instanceId != null && current != null && !current.equals(memberId)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        if (group.removePendingMember(memberId)) {
            timer.cancel(heartbeatKey(group.groupId(), memberId));
            maybeCompleteJoinPhase(group, result, nowMs);
            return Errors.NONE;
        }
        ClassicGroupMember member = current != null ? group.member(current) : group.member(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        LOG.info("Group {}: member {}{} left", group.groupId(), member.memberId(),
            member.isStatic() ? " (instance " + member.groupInstanceId() + ")" : "");
        removeMemberAndUpdateGroup(group, member, result, nowMs);
        return Errors.NONE;
    }

    private void removeMemberAndUpdateGroup(ClassicGroup group, ClassicGroupMember member, CoordinatorResult.Builder result, long nowMs) {
        result.complete(member.joinFuture(), joinError(member.memberId(), Errors.UNKNOWN_MEMBER_ID));
        member.setJoinFuture(null);
        result.complete(member.syncFuture(), syncError(Errors.UNKNOWN_MEMBER_ID));
        member.setSyncFuture(null);
        timer.cancel(heartbeatKey(group.groupId(), member.memberId()));
        group.removeMember(member.memberId());
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> maybePrepareRebalanceOrCompleteJoin(group, result, nowMs);
            case PREPARING_REBALANCE -> maybeCompleteJoinPhase(group, result, nowMs);
            case EMPTY, DEAD -> { }
        }
    }

    // ---- load, unload, replay ------------------------------------------------------------------

    /** Replays a GroupMetadata record: builds or updates the group, or (a tombstone) removes it. */
    public void replay(String groupId, GroupMetadataValue value) {
        Group existing = groups.get(groupId);
        if (value == null) {
            if (existing instanceof ClassicGroup classic) {
                classic.transitionTo(ClassicGroupState.DEAD, classic.currentStateTimestampMs());
                groups.remove(groupId);
            }
            return;
        }
        if (existing instanceof ClassicGroup classic) {
            classic.applyRecord(value);
        } else if (existing == null) {
            groups.put(groupId, ClassicGroup.fromRecord(groupId, value));
        } else {
            LOG.warn("Ignoring a classic group record for {}, which is a {} group", groupId, existing.type().label());
        }
    }

    /** Loading is over: every member of a loaded group has one session timeout to show it is alive. */
    public void onLoaded(long nowMs) {
        for (Group group : groups.values()) {
            if (group instanceof ClassicGroup classic) {
                for (ClassicGroupMember member : classic.members()) {
                    rescheduleHeartbeat(classic, member, member.sessionTimeoutMs());
                }
            }
        }
    }

    /** The shard is going: members still waiting learn that this broker no longer coordinates their group. */
    public void onUnloaded() {
        CoordinatorException notCoordinator = new CoordinatorException(Errors.NOT_COORDINATOR, "The group coordinator moved");
        for (Group group : groups.values()) {
            if (group instanceof ClassicGroup classic) {
                for (ClassicGroupMember member : classic.members()) {
                    if (member.joinFuture() != null) {
                        member.joinFuture().completeExceptionally(notCoordinator);
                    }
                    if (member.syncFuture() != null) {
                        member.syncFuture().completeExceptionally(notCoordinator);
                    }
                }
            }
        }
    }

    /** Records that delete a classic group (its GroupMetadata tombstone); the group is left to the replay. */
    public List<CoordinatorRecord> deletionRecords(ClassicGroup group) {
        timer.cancel(joinKey(group.groupId()));
        timer.cancel(syncKey(group.groupId()));
        return List.of(GroupRecords.groupTombstone(group.groupId()));
    }

    // ---- responses -----------------------------------------------------------------------------

    private static <T> CoordinatorResult<Void> answered(CoordinatorResult.Builder result, CompletableFuture<T> response, T value) {
        result.complete(response, value);
        return result.build(null);
    }

    private static JoinGroupResponseData currentGeneration(ClassicGroup group, String memberId, boolean withMembers) {
        return new JoinGroupResponseData()
            .setErrorCode(Errors.NONE.code)
            .setGenerationId(group.generationId())
            .setProtocolType(group.protocolTypeOrNull())
            .setProtocolName(group.protocolName())
            .setLeader(group.leaderId())
            .setMemberId(memberId)
            .setMembers(withMembers ? group.currentMemberMetadata() : new ArrayList<>());
    }

    static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData()
            .setErrorCode(error.code)
            .setGenerationId(-1)
            .setProtocolType(null)
            .setProtocolName(null)
            .setLeader("")
            .setMemberId(memberId == null ? "" : memberId);
    }

    private static SyncGroupResponseData syncOk(ClassicGroup group, byte[] assignment) {
        return new SyncGroupResponseData()
            .setErrorCode(Errors.NONE.code)
            .setProtocolType(group.protocolTypeOrNull())
            .setProtocolName(group.protocolName())
            .setAssignment(assignment);
    }

    static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code).setAssignment(new byte[0]);
    }

    private static List<ClassicGroupMember.Protocol> protocols(JoinGroupRequestData request) {
        return request.protocols().stream().map(p -> new ClassicGroupMember.Protocol(p.name(), p.metadata())).toList();
    }

    /** JoinGroup v0 has no rebalance timeout: the session timeout serves as both. */
    private static int rebalanceTimeoutMs(ClientContext client, JoinGroupRequestData request) {
        return client.apiVersion() == 0 || request.rebalanceTimeoutMs() < 0 ? request.sessionTimeoutMs() : request.rebalanceTimeoutMs();
    }

    static String heartbeatKey(String groupId, String memberId) {
        return "heartbeat-" + groupId + "-" + memberId;
    }

    static String joinKey(String groupId) {
        return "join-" + groupId;
    }

    static String syncKey(String groupId) {
        return "sync-" + groupId;
    }
}
