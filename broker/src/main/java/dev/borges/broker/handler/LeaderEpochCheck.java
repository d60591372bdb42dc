package dev.borges.broker.handler;

import dev.borges.protocol.Errors;

/**
 * KIP-320 fencing: a client names the leader epoch it believes current; an older one means the
 * client's metadata is stale ({@code FENCED_LEADER_EPOCH}), a newer one means this broker's is
 * ({@code UNKNOWN_LEADER_EPOCH}); -1 skips the check.
 */
final class LeaderEpochCheck {
    private LeaderEpochCheck() {
    }

    static Errors check(int requestedEpoch, int currentEpoch) {
        if (requestedEpoch < 0 || requestedEpoch == currentEpoch) {
            return Errors.NONE;
        }
        return requestedEpoch < currentEpoch ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
    }
}
