/**
 * Transactions on the broker side (KIP-98, transaction version 1): the transaction coordinator
 * ({@link dev.borges.broker.txn.TransactionCoordinator}), its state in {@code __transaction_state}
 * ({@link dev.borges.broker.txn.TransactionCoordinatorShard}, {@link dev.borges.broker.txn.TransactionLogRecords}),
 * the markers that end a transaction on each partition ({@link dev.borges.broker.txn.TxnMarkerSender},
 * {@link dev.borges.broker.txn.TxnMarkerWriter}), and the Produce-side verification
 * ({@link dev.borges.broker.txn.TxnPartitionVerifier}). See the broker README.
 */
package dev.borges.broker.txn;
