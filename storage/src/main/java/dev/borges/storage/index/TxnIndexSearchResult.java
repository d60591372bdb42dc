package dev.borges.storage.index;

import java.util.List;

/**
 * What one segment's {@link TransactionIndex} knows of the aborted transactions overlapping a range.
 *
 * @param abortedTransactions the overlapping ones, in marker order
 * @param isComplete whether no later segment can hold one overlapping the range
 */
public record TxnIndexSearchResult(List<AbortedTxn> abortedTransactions, boolean isComplete) {
    public TxnIndexSearchResult {
        abortedTransactions = List.copyOf(abortedTransactions);
    }
}
