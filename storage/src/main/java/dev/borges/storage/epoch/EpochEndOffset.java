package dev.borges.storage.epoch;

/**
 * The answer of {@link LeaderEpochCache#endOffsetFor}: the epoch found for a requested epoch and
 * the offset where it ends, as an OffsetsForLeaderEpoch response partition carries them.
 * {@link #UNDEFINED} ({@value #UNDEFINED_EPOCH}, {@value #UNDEFINED_EPOCH_OFFSET}) when the cache
 * cannot answer, which makes a follower fall back to truncating to its high watermark.
 */
public record EpochEndOffset(int epoch, long endOffset) {
    /** Kafka's OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH. */
    public static final int UNDEFINED_EPOCH = -1;
    /** Kafka's OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET. */
    public static final long UNDEFINED_EPOCH_OFFSET = -1L;

    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET);

    public boolean isUndefined() {
        return epoch == UNDEFINED_EPOCH || endOffset == UNDEFINED_EPOCH_OFFSET;
    }
}
