package dev.borges.broker.group.consumer;

import dev.borges.broker.group.assignor.PartitionAssignor;
import java.util.List;

/**
 * Settings of KIP-848 consumer groups, as the model uses them. The broker reads them from its
 * {@code group.consumer.*} keys ({@code BrokerConfig}, checked in {@code GroupConfig.from}); tests
 * build them directly.
 *
 * @param heartbeatIntervalMs {@code group.consumer.heartbeat.interval.ms}: how often members heartbeat (told in every response)
 * @param sessionTimeoutMs    {@code group.consumer.session.timeout.ms}: a member silent this long is removed
 * @param maxSize             {@code group.consumer.max.size}: one more member gets GROUP_MAX_SIZE_REACHED
 * @param assignors           {@code group.consumer.assignors}: the assignors members may ask for; the first is used when none asks
 */
public record ConsumerGroupConfig(int heartbeatIntervalMs, int sessionTimeoutMs, int maxSize, List<PartitionAssignor> assignors) {
    /** Kafka's defaults (those of the broker keys). */
    public static final ConsumerGroupConfig DEFAULTS =
        new ConsumerGroupConfig(5_000, 45_000, Integer.MAX_VALUE, PartitionAssignor.defaults());

    public ConsumerGroupConfig {
        if (heartbeatIntervalMs <= 0 || sessionTimeoutMs <= 0 || maxSize <= 0) {
            throw new IllegalArgumentException("Heartbeat interval, session timeout and max size must be positive");
        }
        if (heartbeatIntervalMs >= sessionTimeoutMs) {
            throw new IllegalArgumentException("The heartbeat interval (" + heartbeatIntervalMs
                + ") must be below the session timeout (" + sessionTimeoutMs + ")");
        }
        if (assignors.isEmpty()) {
            throw new IllegalArgumentException("A consumer group needs at least one assignor");
        }
        assignors = List.copyOf(assignors);
    }

    public ConsumerGroupConfig withMaxSize(int newMaxSize) {
        return new ConsumerGroupConfig(heartbeatIntervalMs, sessionTimeoutMs, newMaxSize, assignors);
    }

    /** The assignor used when no member asks for one. */
    public PartitionAssignor defaultAssignor() {
        return assignors.get(0);
    }
}
