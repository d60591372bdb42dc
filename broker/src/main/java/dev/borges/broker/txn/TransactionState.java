package dev.borges.broker.txn;

import java.util.Optional;

/**
 * Where one transactional id's transaction stands, with Kafka's ids (the {@code TransactionStatus}
 * byte of a {@code __transaction_state} value) and names (DescribeTransactions, ListTransactions).
 *
 * <pre>
 *  EMPTY ──AddPartitionsToTxn──▶ ONGOING ──EndTxn(commit)──▶ PREPARE_COMMIT ──markers──▶ COMPLETE_COMMIT
 *                                   │
 *                                   └──EndTxn(abort), timeout, ──▶ PREPARE_ABORT ──markers──▶ COMPLETE_ABORT
 *                                      fencing InitProducerId
 *
 *  InitProducerId: (no id) or EMPTY or COMPLETE_* ─▶ EMPTY (epoch bumped)
 *  AddPartitionsToTxn from COMPLETE_* starts the next transaction (─▶ ONGOING)
 * </pre>
 * DEAD is never written: an expired transactional id is removed with a tombstone.
 * PREPARE_EPOCH_FENCE exists in Kafka only in memory; Borges writes PREPARE_ABORT with the bumped
 * epoch at once, and never uses it.
 */
public enum TransactionState {
    EMPTY(0, "Empty"),
    ONGOING(1, "Ongoing"),
    PREPARE_COMMIT(2, "PrepareCommit"),
    PREPARE_ABORT(3, "PrepareAbort"),
    COMPLETE_COMMIT(4, "CompleteCommit"),
    COMPLETE_ABORT(5, "CompleteAbort"),
    DEAD(6, "Dead"),
    PREPARE_EPOCH_FENCE(7, "PrepareEpochFence");

    /** The {@code TransactionStatus} byte in {@code __transaction_state}. */
    public final byte id;
    /** The name Kafka's admin APIs use. */
    public final String displayName;

    TransactionState(int id, String displayName) {
        this.id = (byte) id;
        this.displayName = displayName;
    }

    public static TransactionState fromId(byte id) {
        for (TransactionState state : values()) {
            if (state.id == id) {
                return state;
            }
        }
        throw new IllegalArgumentException("Unknown transaction status " + id);
    }

    /** The state with this display name (ListTransactions' state filter). */
    public static Optional<TransactionState> fromDisplayName(String name) {
        for (TransactionState state : values()) {
            if (state.displayName.equals(name)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }

    /** Markers are being written: the transaction is decided but not finished. */
    public boolean isPreparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** No transaction going on: a new one may start, or the id may be re-initialised. */
    public boolean isIdle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }
}
