package dev.borges.storage.log;

/**
 * What an append did, for the produce response: the offsets the batches got, the broker's append
 * time for LogAppendTime topics (-1 otherwise), and the log start offset after it. A retried batch
 * from an idempotent producer is answered with its original offsets and {@code duplicate} set;
 * nothing was written for it.
 */
public record LogAppendInfo(long firstOffset, long lastOffset, long logAppendTimeMs, long logStartOffset, int recordCount,
                            boolean duplicate) {
}
