package dev.borges.broker.group;

import java.util.Locale;
import java.util.Optional;

/** The kinds of group a coordinator hosts, named as ListGroups v5 and DescribeGroups report them. */
public enum GroupType {
    /** JoinGroup / SyncGroup / Heartbeat, the assignment computed by the group's leader. */
    CLASSIC("classic"),
    /** The consumer group protocol (KIP-848, ConsumerGroupHeartbeat), the assignment computed by the coordinator. */
    CONSUMER("consumer");

    private final String label;

    GroupType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The type a ListGroups types filter names, case-insensitively. */
    public static Optional<GroupType> parse(String label) {
        String lower = label.toLowerCase(Locale.ROOT);
        for (GroupType type : values()) {
            if (type.label.equals(lower)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
