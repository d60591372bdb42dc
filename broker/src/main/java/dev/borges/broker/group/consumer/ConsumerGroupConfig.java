package dev.borges.broker.group.consumer;

import dev.borges.broker.group.assignor.PartitionAssignor;
import java.util.List;

/**
 * Settings of KIP-848 consumer groups, under Kafka's broker keys (they belong in the broker's
 * configuration, next to the other {@code group.*} keys, once the coordinator is wired):
 *
 * <table>
 * <caption>keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code group.consumer.heartbeat.interval.ms}</td><td>5000</td><td>how often members heartbeat (told in every response)</td></tr>
 * <tr><td>{@code group.consumer.session.timeout.ms}</td><td>45000</td><td>a member silent this long is removed</td></tr>
 * <tr><td>{@code group.consumer.max.size}</td><td>2147483647</td><td>members a group may have; one more gets GROUP_MAX_SIZE_REACHED</td></tr>
 * <tr><td>{@code group.consumer.assignors}</td><td>uniform, range</td><td>server-side assignors; the first is the default</td></tr>
 * </table>
 *
 * @param assignors the assignors members may ask for; the first is used when none asks
 */
public record ConsumerGroupConfig(int heartbeatIntervalMs, int sessionTimeoutMs, int maxSize, List<PartitionAssignor> assignors) {
    public static final String HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    public static final String SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    public static final String MAX_SIZE = "group.consumer.max.size";
    public static final String ASSIGNORS = "group.consumer.assignors";

    /** Kafka's defaults. */
    public static final ConsumerGroupConfig DEFAULTS =
        new ConsumerGroupConfig(5_000, 45_000, Integer.MAX_VALUE, PartitionAssignor.defaults());

    public ConsumerGroupConfig {
        if (heartbeatIntervalMs <= 0 || sessionTimeoutMs <= 0 || maxSize <= 0) {
            throw new IllegalArgumentException("Heartbeat interval, session timeout and max size must be positive");
        }
        if (heartbeatIntervalMs >= sessionTimeoutMs) {
            throw new IllegalArgumentException(HEARTBEAT_INTERVAL_MS + " (" + heartbeatIntervalMs
                + ") must be below " + SESSION_TIMEOUT_MS + " (" + sessionTimeoutMs + ")");
        }
        if (assignors.isEmpty()) {
            throw new IllegalArgumentException(ASSIGNORS + " needs at least one assignor");
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
