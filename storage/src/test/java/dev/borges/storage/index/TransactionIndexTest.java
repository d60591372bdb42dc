package dev.borges.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aborted-transaction index: its file layout, lookups, truncation and checks. */
class TransactionIndexTest {
    @TempDir
    Path dir;

    private TransactionIndex open() throws IOException {
        return new TransactionIndex(dir.resolve("00000000000000000100.txnindex"), 100);
    }

    @Test
    void theFileAppearsWithTheFirstEntry() throws IOException {
        try (TransactionIndex index = open()) {
            assertThat(index.file()).doesNotExist();
            assertThat(index.allAbortedTxns()).isEmpty();
            assertThat(index.collectAbortedTxns(0, Long.MAX_VALUE)).isEqualTo(new TxnIndexSearchResult(List.of(), false));

            index.append(new AbortedTxn(7, 100, 104, 105));

            assertThat(index.file()).exists();
        }
    }

    @Test
    void entriesAreKafkasThirtyFourBytesBigEndian() throws IOException {
        try (TransactionIndex index = open()) {
            index.append(new AbortedTxn(0x0102030405060708L, 110, 120, 115));
            index.flush();
        }
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("00000000000000000100.txnindex")));
        assertThat(bytes.remaining()).isEqualTo(34);
        assertThat(bytes.getShort(0)).as("version").isZero();
        assertThat(bytes.getLong(2)).as("producer id").isEqualTo(0x0102030405060708L);
        assertThat(bytes.getLong(10)).as("first offset").isEqualTo(110);
        assertThat(bytes.getLong(18)).as("last offset").isEqualTo(120);
        assertThat(bytes.getLong(26)).as("last stable offset").isEqualTo(115);
    }

    @Test
    void reopeningReadsTheEntriesBackAndKeepsTheirOrder() throws IOException {
        List<AbortedTxn> written = List.of(new AbortedTxn(1, 100, 103, 101), new AbortedTxn(2, 101, 106, 107));
        try (TransactionIndex index = open()) {
            for (AbortedTxn txn : written) {
                index.append(txn);
            }
        }
        try (TransactionIndex index = open()) {
            assertThat(index.allAbortedTxns()).isEqualTo(written);
            assertThat(index.entries()).isEqualTo(2);
            assertThatThrownBy(() -> index.append(new AbortedTxn(3, 104, 106, 107))).as("markers only move forward")
                .isInstanceOf(IllegalArgumentException.class);
            index.append(new AbortedTxn(3, 104, 110, 111));
            assertThat(index.entries()).isEqualTo(3);
        }
    }

    @Test
    void aLookupReturnsTheTransactionsOverlappingTheRangeAndWhetherLaterSegmentsMatter() throws IOException {
        AbortedTxn early = new AbortedTxn(1, 100, 105, 103);  // ended while another from 103 was open
        AbortedTxn overlapping = new AbortedTxn(2, 103, 112, 113);
        AbortedTxn late = new AbortedTxn(3, 120, 125, 126);
        try (TransactionIndex index = open()) {
            index.append(early);
            index.append(overlapping);
            index.append(late);

            assertThat(index.collectAbortedTxns(106, 115)).as("marker before the fetch offset, or start past the bound: not overlapping")
                .isEqualTo(new TxnIndexSearchResult(List.of(overlapping), true));
            assertThat(index.collectAbortedTxns(106, 200)).as("no last stable offset reaches the bound: later segments may hold more")
                .isEqualTo(new TxnIndexSearchResult(List.of(overlapping, late), false));
            assertThat(index.collectAbortedTxns(100, 104)).as("complete once a last stable offset reaches the bound")
                .isEqualTo(new TxnIndexSearchResult(List.of(early, overlapping), true));
            assertThat(index.collectAbortedTxns(100, 103)).as("the first entry's LSO already covers the bound")
                .isEqualTo(new TxnIndexSearchResult(List.of(early), true));
            assertThat(index.collectAbortedTxns(126, 200)).as("every marker before the fetch offset")
                .isEqualTo(new TxnIndexSearchResult(List.of(), false));
        }
    }

    @Test
    void truncationDropsTheEntriesWhoseMarkerIsCut() throws IOException {
        try (TransactionIndex index = open()) {
            index.append(new AbortedTxn(1, 100, 103, 104));
            index.append(new AbortedTxn(2, 101, 106, 107));
            index.append(new AbortedTxn(3, 107, 110, 111));

            index.truncateTo(106);

            assertThat(index.allAbortedTxns()).containsExactly(new AbortedTxn(1, 100, 103, 104));
            assertThat(Files.size(index.file())).isEqualTo(34);
            index.append(new AbortedTxn(4, 104, 106, 107)); // the offset can be written again
            index.reset();
            assertThat(index.allAbortedTxns()).isEmpty();
            assertThat(Files.size(index.file())).isZero();
        }
    }

    @Test
    void aRenameMovesTheFileOrWhereItWillBeCreated() throws IOException {
        try (TransactionIndex index = open()) {
            Path deleted = dir.resolve("00000000000000000100.txnindex.deleted");
            index.renameTo(deleted);
            index.append(new AbortedTxn(1, 100, 101, 102));
            assertThat(deleted).exists();

            Path live = dir.resolve("00000000000000000100.txnindex");
            index.renameTo(live);
            assertThat(live).exists();
            assertThat(deleted).doesNotExist();
            assertThat(index.allAbortedTxns()).hasSize(1);
            assertThat(index.deleteIfExists()).isTrue();
            assertThat(live).doesNotExist();
        }
    }

    @Test
    void aTornEntryFailsTheSanityCheck() throws IOException {
        try (TransactionIndex index = open()) {
            index.append(new AbortedTxn(1, 100, 103, 104));
        }
        Path file = dir.resolve("00000000000000000100.txnindex");
        Files.write(file, new byte[10], java.nio.file.StandardOpenOption.APPEND);
        try (TransactionIndex index = open()) {
            assertThatThrownBy(index::sanityCheck).isInstanceOf(CorruptIndexException.class).hasMessageContaining("multiple of 34");
        }
    }

    @Test
    void anUnknownVersionOrAnEntryBeforeTheSegmentFailsTheSanityCheck() throws IOException {
        Path file = dir.resolve("00000000000000000100.txnindex");
        ByteBuffer entry = ByteBuffer.allocate(34).putShort((short) 1).putLong(1).putLong(100).putLong(101).putLong(102);
        Files.write(file, entry.array());
        try (TransactionIndex index = open()) {
            assertThatThrownBy(index::sanityCheck).isInstanceOf(CorruptIndexException.class).hasMessageContaining("version 1");
        }
        entry.putShort(0, (short) 0).putLong(18, 99).putLong(10, 50);
        Files.write(file, entry.array());
        try (TransactionIndex index = open()) {
            assertThatThrownBy(index::sanityCheck).isInstanceOf(CorruptIndexException.class).hasMessageContaining("ending at 99");
        }
        entry.putLong(18, 101).putLong(10, 100);
        Files.write(file, entry.array());
        try (TransactionIndex index = open()) {
            index.sanityCheck();
        }
    }
}
