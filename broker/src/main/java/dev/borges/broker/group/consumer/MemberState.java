package dev.borges.broker.group.consumer;

/**
 * Where a consumer group member stands in reconciling its partitions towards its target
 * assignment, as stored in its {@link ConsumerGroupRecord.CurrentAssignment} record (codes are
 * Kafka's). {@link MemberReconciler} makes the transitions, each on one of the member's own
 * heartbeats, whenever the target epoch is newer than the member's epoch or the member is not STABLE:
 *
 * <pre>
 *        ┌──── must give back partitions it still lists as owned ─────┐
 *        │                                                             ▼
 *     STABLE ◀──── gave them back; nothing else missing ──── UNREVOKED_PARTITIONS
 *      │   ▲                                                      │  stays at its epoch and gets
 *      │   │ every target partition received                      │  nothing new; removed after
 *      │   │                                                      │  its rebalance timeout
 *      │  UNRELEASED_PARTITIONS ◀── gave them back; a target ─────┘
 *      │          ▲                 partition is still owned elsewhere
 *      └──────────┘ a target partition is still owned by another member
 *                   (the member is at the target epoch and takes them as they are released)
 * </pre>
 *
 * A member reaches a new epoch only after it has given back what the target takes away, and gets
 * a partition only once no other member owns it (assigned or pending revocation), so a partition
 * never has two owners.
 */
public enum MemberState {
    /** Owns exactly its target, at the target epoch (or has not heartbeat since the target moved). */
    STABLE((byte) 0),
    /** Must give back partitions before it moves to the target epoch. */
    UNREVOKED_PARTITIONS((byte) 1),
    /** At the target epoch, waiting for partitions other members still own. */
    UNRELEASED_PARTITIONS((byte) 2),
    /**
     * Read from a record a newer broker wrote, with a state this one does not know. The member is
     * fenced unless it reports owning nothing, then reconciled from scratch.
     */
    UNKNOWN((byte) 127);

    /** Kafka's code for the state, stored as an int8. */
    public final byte code;

    MemberState(byte code) {
        this.code = code;
    }

    /** The state with this code; {@link #UNKNOWN} for codes this broker does not know. */
    public static MemberState forCode(byte code) {
        for (MemberState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        return UNKNOWN;
    }
}
