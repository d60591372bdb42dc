package dev.borges.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends to the memory-mapped indexes across page boundaries and reopens: the pages an append
 * first writes through the file (see {@link AbstractIndex}) must never touch entries already there.
 */
class IndexAppendTest {
    private static final int MAX_INDEX_BYTES = 10 * 1024 * 1024;
    private static final long BASE_OFFSET = 1_000L;

    @TempDir
    Path dir;

    @Test
    void timeIndexKeepsEveryEntryAcrossPagesAndReopen() throws IOException {
        Path file = dir.resolve("00000000000000001000.timeindex");
        // 12-byte entries straddle page boundaries (4096 is no multiple of 12).
        TimeIndex index = new TimeIndex(file, BASE_OFFSET, MAX_INDEX_BYTES);
        for (int n = 0; n < 1_000; n++) {
            index.maybeAppend(timestamp(n), BASE_OFFSET + 3L * n, false);
        }
        index.close();

        // Reopened, the last page is half full: the next appends must keep its first half.
        TimeIndex reopened = new TimeIndex(file, BASE_OFFSET, MAX_INDEX_BYTES);
        reopened.growTo(MAX_INDEX_BYTES);
        for (int n = 1_000; n < 2_500; n++) {
            reopened.maybeAppend(timestamp(n), BASE_OFFSET + 3L * n, false);
        }
        assertThat(reopened.entries()).isEqualTo(2_500);
        for (int n = 0; n < 2_500; n++) {
            assertThat(reopened.entry(n)).isEqualTo(new TimestampOffset(timestamp(n), BASE_OFFSET + 3L * n));
        }
        reopened.sanityCheck();
        reopened.close();
        assertThat(new TimeIndex(file, BASE_OFFSET, MAX_INDEX_BYTES).entries()).isEqualTo(2_500);
    }

    @Test
    void offsetIndexKeepsEveryEntryAfterTruncationAndReopen() throws IOException {
        Path file = dir.resolve("00000000000000001000.index");
        OffsetIndex index = new OffsetIndex(file, BASE_OFFSET, MAX_INDEX_BYTES);
        for (int n = 0; n < 1_500; n++) {
            index.append(BASE_OFFSET + 2L * n, 100 * n);
        }
        index.truncateTo(BASE_OFFSET + 2L * 1_200); // keeps 1,200 entries, then appends over the cut ones
        for (int n = 1_200; n < 1_300; n++) {
            index.append(BASE_OFFSET + 2L * n, 100 * n);
        }
        index.close();

        OffsetIndex reopened = new OffsetIndex(file, BASE_OFFSET, MAX_INDEX_BYTES);
        reopened.growTo(MAX_INDEX_BYTES);
        for (int n = 1_300; n < 2_000; n++) {
            reopened.append(BASE_OFFSET + 2L * n, 100 * n);
        }
        assertThat(reopened.entries()).isEqualTo(2_000);
        for (int n = 0; n < 2_000; n++) {
            assertThat(reopened.entry(n)).isEqualTo(new OffsetPosition(BASE_OFFSET + 2L * n, 100 * n));
        }
        reopened.sanityCheck();
        assertThat(reopened.lookup(BASE_OFFSET + 2L * 1_234 + 1)).isEqualTo(new OffsetPosition(BASE_OFFSET + 2L * 1_234, 123_400));
        reopened.close();
    }

    private static long timestamp(int n) {
        return 1_700_000_000_000L + 7L * n;
    }
}
