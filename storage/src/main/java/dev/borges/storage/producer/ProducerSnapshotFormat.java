package dev.borges.storage.producer;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * Owns the binary format of a producer snapshot file: every producer's state at a map end offset
 * (the state after every batch below that offset). Big-endian throughout:
 *
 * <pre>
 * offset size field                meaning
 *  0     4    magic                0x42505354 ("BPST", Borges Producer STate)
 *  4     2    version              1
 *  6     4    crc                  CRC32C (unsigned) of every byte after this field to the end
 * 10     8    mapEndOffset         offset the state is at; must match the file name
 * 18     4    producerCount        number of producer entries that follow
 * 22     ...  producer entries, sorted by producer id, each:
 *        8    producerId
 *        2    producerEpoch
 *        4    coordinatorEpoch     -1 when none
 *        8    lastTimestamp
 *        8    currentTxnFirstOffset  -1 when no transaction is open
 *        1    batchCount           0 to 5
 *        ...  batchCount batches, oldest first, 28 bytes each:
 *             4  firstSequence
 *             4  lastSequence
 *             8  lastOffset
 *             4  offsetDelta       lastOffset minus the batch's first offset
 *             8  maxTimestamp
 * </pre>
 *
 * Unlike Kafka's snapshot, which keeps only each producer's last batch, all remembered batches are
 * kept, so retries are still recognised after a restart. A file is accepted only if it is exactly as
 * long as its counts say and its CRC matches, so a torn write, a truncation or a flipped byte is
 * caught before any of it is used. Stateless.
 */
final class ProducerSnapshotFormat {
    static final int MAGIC = 0x42505354;
    static final short VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = MAGIC_OFFSET + 4;
    static final int CRC_OFFSET = VERSION_OFFSET + 2;
    static final int MAP_END_OFFSET_OFFSET = CRC_OFFSET + 4;
    static final int PRODUCER_COUNT_OFFSET = MAP_END_OFFSET_OFFSET + 8;
    static final int HEADER_SIZE = PRODUCER_COUNT_OFFSET + 4;

    private static final int ENTRY_FIXED_SIZE = 8 + 2 + 4 + 8 + 8 + 1;
    private static final int BATCH_SIZE = 4 + 4 + 8 + 4 + 8;

    private ProducerSnapshotFormat() {
    }

    /** The snapshot of {@code producers} at {@code mapEndOffset}. */
    static byte[] encode(long mapEndOffset, Collection<ProducerStateEntry> producers) {
        List<ProducerStateEntry> sorted = new ArrayList<>(producers);
        sorted.sort(Comparator.comparingLong(ProducerStateEntry::producerId));
        int size = HEADER_SIZE;
        for (ProducerStateEntry entry : sorted) {
            size += ENTRY_FIXED_SIZE + entry.batches().size() * BATCH_SIZE;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putInt(MAGIC).putShort(VERSION).putInt(0).putLong(mapEndOffset).putInt(sorted.size());
        for (ProducerStateEntry entry : sorted) {
            buffer.putLong(entry.producerId())
                .putShort(entry.producerEpoch())
                .putInt(entry.coordinatorEpoch())
                .putLong(entry.lastTimestamp())
                .putLong(entry.currentTxnFirstOffset().orElse(-1L))
                .put((byte) entry.batches().size());
            for (BatchMetadata batch : entry.batches()) {
                buffer.putInt(batch.firstSequence())
                    .putInt(batch.lastSequence())
                    .putLong(batch.lastOffset())
                    .putInt(batch.offsetDelta())
                    .putLong(batch.maxTimestamp());
            }
        }
        buffer.putInt(CRC_OFFSET, (int) checksum(buffer.array()));
        return buffer.array();
    }

    /**
     * The producers a snapshot holds.
     *
     * @param expectedMapEndOffset the offset its file name gives
     * @throws CorruptSnapshotException if any check fails
     */
    static List<ProducerStateEntry> decode(byte[] bytes, long expectedMapEndOffset) throws CorruptSnapshotException {
        if (bytes.length < HEADER_SIZE) {
            throw new CorruptSnapshotException(bytes.length + " bytes, shorter than the " + HEADER_SIZE + "-byte header");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int magic = buffer.getInt(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new CorruptSnapshotException("Bad magic 0x" + Integer.toHexString(magic));
        }
        short version = buffer.getShort(VERSION_OFFSET);
        if (version != VERSION) {
            throw new CorruptSnapshotException("Unknown version " + version);
        }
        long storedCrc = Integer.toUnsignedLong(buffer.getInt(CRC_OFFSET));
        long computedCrc = checksum(bytes);
        if (storedCrc != computedCrc) {
            throw new CorruptSnapshotException("CRC mismatch: stored " + storedCrc + ", computed " + computedCrc);
        }
        long mapEndOffset = buffer.getLong(MAP_END_OFFSET_OFFSET);
        if (mapEndOffset != expectedMapEndOffset) {
            throw new CorruptSnapshotException("Holds the state at offset " + mapEndOffset + ", its name says "
                + expectedMapEndOffset);
        }
        try {
            return readEntries(buffer.position(PRODUCER_COUNT_OFFSET));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            // A matching CRC makes this nearly impossible; it still must not load half a state.
            throw new CorruptSnapshotException("Malformed entries: " + e);
        }
    }

    private static List<ProducerStateEntry> readEntries(ByteBuffer buffer) throws CorruptSnapshotException {
        int count = buffer.getInt();
        if (count < 0 || (long) count * ENTRY_FIXED_SIZE > buffer.remaining()) {
            throw new CorruptSnapshotException("Producer count " + count + " does not fit in " + buffer.remaining() + " bytes");
        }
        List<ProducerStateEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long producerId = buffer.getLong();
            short epoch = buffer.getShort();
            int coordinatorEpoch = buffer.getInt();
            long lastTimestamp = buffer.getLong();
            long txnFirstOffset = buffer.getLong();
            int batchCount = buffer.get();
            if (batchCount < 0 || batchCount > ProducerStateEntry.RETAINED_BATCHES) {
                throw new CorruptSnapshotException("Producer " + producerId + " has " + batchCount + " batches");
            }
            List<BatchMetadata> batches = new ArrayList<>(batchCount);
            for (int b = 0; b < batchCount; b++) {
                batches.add(new BatchMetadata(buffer.getInt(), buffer.getInt(), buffer.getLong(), buffer.getInt(), buffer.getLong()));
            }
            entries.add(new ProducerStateEntry(producerId, epoch, coordinatorEpoch, lastTimestamp,
                txnFirstOffset < 0 ? OptionalLong.empty() : OptionalLong.of(txnFirstOffset), batches));
        }
        if (buffer.hasRemaining()) {
            throw new CorruptSnapshotException(buffer.remaining() + " bytes after the last producer");
        }
        return entries;
    }

    private static long checksum(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, MAP_END_OFFSET_OFFSET, bytes.length - MAP_END_OFFSET_OFFSET);
        return crc.getValue();
    }
}
