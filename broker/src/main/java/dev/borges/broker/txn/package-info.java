/**
 * Transactions on the broker side (KIP-98). For now the storage-facing part: writing the markers
 * that end a transaction on a partition ({@link dev.borges.broker.txn.TxnMarkerWriter}). The
 * transaction coordinator (state in {@code __transaction_state}) comes on top of it.
 */
package dev.borges.broker.txn;
