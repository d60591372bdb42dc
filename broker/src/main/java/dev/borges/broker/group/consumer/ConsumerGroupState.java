package dev.borges.broker.group.consumer;

/**
 * The state of a KIP-848 consumer group, as ListGroups, ConsumerGroupDescribe and the tools report
 * it ({@link #toString()} is Kafka's name). It follows from the group's replayed state
 * ({@link ConsumerGroup#state()}), recomputed after every record:
 *
 * <pre>
 *            member joins (group epoch bumped)
 *   EMPTY ─────────────────────────────────▶ ASSIGNING      group epoch &gt; assignment epoch:
 *     ▲                                        │            the next heartbeat computes a
 *     │ last member leaves                     │            new target assignment
 *     │ (from any state)                       ▼
 *     │                                     RECONCILING     some member not yet STABLE at the
 *     │      subscription/metadata change ▲    │            assignment epoch
 *     │      or member joins/leaves:      │    │ every member STABLE at
 *     │      ASSIGNING again              │    ▼ the assignment epoch
 *     └─────────────────────────────────── STABLE
 *
 *   any state ── group deleted (no members left) ──▶ DEAD
 * </pre>
 */
public enum ConsumerGroupState {
    EMPTY("Empty"),
    ASSIGNING("Assigning"),
    RECONCILING("Reconciling"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String kafkaName;

    ConsumerGroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** Kafka's name for the state ("Stable"), as responses carry it. */
    @Override
    public String toString() {
        return kafkaName;
    }
}
