package dev.borges.broker.group.classic;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a classic group. Each state lists the states it may be entered from.
 *
 * <pre>
 *                      first member joins
 *        ┌───────┐ ──────────────────────────────▶ ┌────────────────────┐ ◀─── member joins/leaves/fails,
 *        │ Empty │                                 │ PreparingRebalance │      leader rejoins, metadata changes
 *        └───────┘ ◀────────────────────────────── └────────────────────┘ ◀──────────────┐
 *          │  ▲        join phase ends, no members        │ join phase ends               │
 *          │  │        (generation + 1, recorded)          ▼ (generation + 1)              │
 *          │  │                                 ┌─────────────────────┐                   │
 *          │  │                                 │ CompletingRebalance │ ──────────────────┤
 *          │  │                                 └─────────────────────┘  member fails,    │
 *          │  │                                          │ leader's SyncGroup   sync timeout │
 *          │  │                                          ▼ (assignment recorded)           │
 *          │  │                                     ┌────────┐                             │
 *          │  │                                     │ Stable │ ────────────────────────────┘
 *          │  │                                     └────────┘
 *          ▼  │ (loaded with no members)                 │
 *        ┌──────┐ ◀──────────────────────────────────────┘  group deleted / expired (any state)
 *        │ Dead │
 *        └──────┘
 * </pre>
 *
 * A group loaded from its record starts in Empty (no members) or Stable (members and their
 * assignment); Dead is final: the group is being removed and answers as if it did not exist.
 */
public enum ClassicGroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String label;
    private Set<ClassicGroupState> validPrevious;

    static {
        EMPTY.validPrevious = EnumSet.of(PREPARING_REBALANCE);
        PREPARING_REBALANCE.validPrevious = EnumSet.of(STABLE, COMPLETING_REBALANCE, EMPTY);
        COMPLETING_REBALANCE.validPrevious = EnumSet.of(PREPARING_REBALANCE);
        STABLE.validPrevious = EnumSet.of(COMPLETING_REBALANCE);
        DEAD.validPrevious = EnumSet.of(STABLE, PREPARING_REBALANCE, COMPLETING_REBALANCE, EMPTY, DEAD);
    }

    ClassicGroupState(String label) {
        this.label = label;
    }

    /** The name clients see in DescribeGroups and ListGroups. */
    public String label() {
        return label;
    }

    boolean canFollow(ClassicGroupState previous) {
        return validPrevious.contains(previous);
    }
}
