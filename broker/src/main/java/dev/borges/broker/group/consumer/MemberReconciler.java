package dev.borges.broker.group.consumer;

import dev.borges.broker.group.assignor.Assignment;
import dev.borges.protocol.Errors;
import dev.borges.protocol.types.Uuid;
import java.util.Map;
import java.util.SortedSet;

/**
 * Moves one member a step towards its target assignment: the reconciliation of KIP-848, run on
 * each of the member's heartbeats (transitions drawn in {@link MemberState}). A pure function of
 * the member, its target, what it reports owning and who owns which partition; it returns the
 * member unchanged or a changed copy, which the caller writes as a record.
 *
 * <p>The step: the member keeps the partitions it owns that are still in its target; the ones it
 * owns beyond its target are to be revoked; the target partitions it lacks are to be assigned,
 * except those another member still owns ("unreleased"). If it must revoke partitions it still
 * reports owning, it stays at its epoch in UNREVOKED_PARTITIONS and gets nothing new: revocation
 * comes first. Otherwise it moves to the target epoch with what it kept plus the free partitions
 * it lacked, in UNRELEASED_PARTITIONS if some are still owned elsewhere (a later heartbeat picks
 * them up) or STABLE. A heartbeat without owned partitions (null: "unchanged") counts as still
 * owning everything, so revocation waits for a heartbeat that lists them.
 *
 * <p>Stateless; any thread.
 */
final class MemberReconciler {

    /** Who owns partitions now (assigned or pending revocation), from the group's replayed state. */
    interface Owners {
        /** The owning member's id, or null if the partition is free. */
        String owner(Uuid topicId, int partition);
    }

    private MemberReconciler() {
    }

    /**
     * The member after one reconciliation step.
     *
     * @param owned     what the member reports owning, or null if its heartbeat did not say
     * @param owners    current owners; partitions this member owns itself never count as unreleased
     * @throws GroupOperationException FENCED_MEMBER_EPOCH for a member in an unknown state that
     *                                 still owns partitions
     */
    static ConsumerGroupMember reconcile(
            ConsumerGroupMember member, int targetEpoch, Assignment target, Assignment owned, Owners owners) {
        return switch (member.state()) {
            case STABLE -> member.memberEpoch() == targetEpoch ? member : nextStep(member, targetEpoch, target, owned, owners);
            case UNREVOKED_PARTITIONS -> ownsAny(owned, member.pendingRevocation())
                ? member
                : nextStep(member, targetEpoch, target, owned, owners);
            case UNRELEASED_PARTITIONS -> nextStep(member, targetEpoch, target, owned, owners);
            case UNKNOWN -> {
                if (owned == null || !owned.isEmpty()) {
                    throw new GroupOperationException(Errors.FENCED_MEMBER_EPOCH, "The consumer group member is in an "
                        + "unknown state. The member must abandon all its partitions and rejoin.");
                }
                yield nextStep(member, targetEpoch, target, owned, owners);
            }
        };
    }

    private static ConsumerGroupMember nextStep(
            ConsumerGroupMember member, int targetEpoch, Assignment target, Assignment owned, Owners owners) {
        Assignment.Builder kept = Assignment.builder();
        Assignment.Builder revoke = Assignment.builder();
        for (Map.Entry<Uuid, SortedSet<Integer>> entry : member.assigned().partitions().entrySet()) {
            for (Integer partition : entry.getValue()) {
                (target.contains(entry.getKey(), partition) ? kept : revoke).add(entry.getKey(), partition);
            }
        }
        Assignment keptPartitions = kept.build();
        Assignment toRevoke = revoke.build();

        Assignment.Builder toAssign = Assignment.builder();
        boolean unreleased = false;
        for (Map.Entry<Uuid, SortedSet<Integer>> entry : target.partitions().entrySet()) {
            for (Integer partition : entry.getValue()) {
                if (keptPartitions.contains(entry.getKey(), partition)) {
                    continue;
                }
                String owner = owners.owner(entry.getKey(), partition);
                if (owner == null || owner.equals(member.memberId())) {
                    toAssign.add(entry.getKey(), partition);
                } else {
                    unreleased = true;
                }
            }
        }

        if (!toRevoke.isEmpty() && ownsAny(owned, toRevoke)) {
            return member.withAssignment(member.memberEpoch(), MemberState.UNREVOKED_PARTITIONS, keptPartitions, toRevoke);
        }
        Assignment assigned = toAssign.addAll(keptPartitions).build();
        MemberState state = unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE;
        return member.withAssignment(targetEpoch, state, assigned, Assignment.EMPTY);
    }

    /** True if the member still reports owning one of these partitions (or did not report at all). */
    private static boolean ownsAny(Assignment owned, Assignment partitions) {
        return owned == null || owned.overlaps(partitions);
    }
}
