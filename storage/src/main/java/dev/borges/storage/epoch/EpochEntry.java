package dev.borges.storage.epoch;

/**
 * A leader epoch and the offset of the first record written in it: one entry of a
 * {@link LeaderEpochCache} and one line of its checkpoint file. Immutable.
 */
public record EpochEntry(int epoch, long startOffset) {
    public EpochEntry {
        if (epoch < 0) {
            throw new IllegalArgumentException("Leader epoch " + epoch + " is negative");
        }
        if (startOffset < 0) {
            throw new IllegalArgumentException("Start offset " + startOffset + " of leader epoch " + epoch + " is negative");
        }
    }

    @Override
    public String toString() {
        return "EpochEntry(epoch=" + epoch + ", startOffset=" + startOffset + ")";
    }
}
