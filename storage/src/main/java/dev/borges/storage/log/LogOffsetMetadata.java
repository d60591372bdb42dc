package dev.borges.storage.log;

/**
 * An offset together with where it is on disk: the base offset of its segment and its byte
 * position there, so a read bounded by it (the high watermark, the log end) knows where to stop
 * without searching. Position -1 means "not known", for an offset whose batch boundary has not been
 * looked up.
 */
public record LogOffsetMetadata(long offset, long segmentBaseOffset, int position) {
    public static final int UNKNOWN_POSITION = -1;

    public static LogOffsetMetadata offsetOnly(long offset) {
        return new LogOffsetMetadata(offset, -1L, UNKNOWN_POSITION);
    }

    public boolean positionKnown() {
        return position != UNKNOWN_POSITION;
    }
}
