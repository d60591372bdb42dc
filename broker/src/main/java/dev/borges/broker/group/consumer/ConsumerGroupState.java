package dev.borges.broker.group.consumer;

/**
 * The state of a KIP-848 consumer group, as ListGroups, ConsumerGroupDescribe and the tools report
 * it ({@link #toString()} is Kafka's name). It is not stored: it follows from the group's replayed
 * state ({@link ConsumerGroup#state()}) and is recomputed after every record.
 *
 * <pre>
 *              a member joins                       membership, a subscription or
 *     EMPTY ──────────────────▶ ASSIGNING ◀──────── the subscribed topics change
 *       ▲                          │                (group epoch bumped; from
 *       │                          │ a heartbeat     RECONCILING or STABLE)
 *       │ the last member          │ computes the
 *       │ leaves (any state)       ▼ new target
 *       │                      RECONCILING          some member not yet STABLE at
 *       │                          │                the assignment epoch
 *       │                          ▼ every member STABLE at the assignment epoch
 *       │                       STABLE              (ASSIGNING goes straight here when
 *       │                                            nothing has to move)
 *     EMPTY ── group deleted ──▶ DEAD
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
