package dev.borges.broker.group.consumer;

/**
 * A deadline the coordinator runtime keeps for a consumer group member, and runs
 * {@link ConsumerGroupManager#expire} with when it passes. Scheduling a timeout with the same
 * {@link #key()} as a pending one replaces it: each member has at most one session timeout and
 * one rebalance timeout. An expiring timeout checks the group's state again, so one that fires
 * late or after its member moved on does nothing.
 */
public sealed interface ConsumerGroupTimeout {
    String groupId();

    String memberId();

    /** Equal for timeouts that replace each other. */
    String key();

    /** The member has not heartbeat for {@code group.consumer.session.timeout.ms}: it is removed. */
    record Session(String groupId, String memberId) implements ConsumerGroupTimeout {
        @Override
        public String key() {
            return "consumer-session-timeout-" + groupId + "-" + memberId;
        }
    }

    /**
     * The member has had its rebalance timeout to give partitions back at {@code memberEpoch}: if
     * it is still holding them at that epoch, it is removed and its partitions go to others.
     */
    record Rebalance(String groupId, String memberId, int memberEpoch) implements ConsumerGroupTimeout {
        @Override
        public String key() {
            return "consumer-rebalance-timeout-" + groupId + "-" + memberId;
        }
    }
}
