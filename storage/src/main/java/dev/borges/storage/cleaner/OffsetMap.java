package dev.borges.storage.cleaner;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Key → latest offset for the dirty section of one log, in a fixed block of memory: the cleaner's
 * "dedupe buffer". Keys are not stored, only their MD5 digest, so the map's size does not depend on
 * key sizes; two keys with the same digest would be taken for one (the older record of the pair
 * would be dropped), a risk Kafka's cleaner accepts in the same way.
 *
 * <h2>Format</h2>
 * An open-addressing hash table in one {@code byte[]}, {@value #BYTES_PER_ENTRY} bytes per slot:
 * <pre>
 * offset size field
 *  0     16   MD5 digest of the key
 * 16      8   offset + 1, big-endian; 0 marks an empty slot
 * </pre>
 * A key's probe sequence starts at its digest's first four bytes modulo the slot count and goes on
 * slot by slot (linear probing). The map is never filled beyond {@link #maxEntries()} (slots times
 * the load factor), so a probe always finds an empty slot.
 *
 * <p>Lifecycle: one per cleaner, {@link #clear() cleared} at the start of every pass. Not
 * thread-safe: owned by the cleaner thread.
 */
final class OffsetMap {
    static final int BYTES_PER_ENTRY = 24;
    private static final int DIGEST_SIZE = 16;

    private final byte[] table;
    private final int slots;
    private final int maxEntries;
    private final ByteBuffer view;
    private final MessageDigest md5;
    private final byte[] digest = new byte[DIGEST_SIZE];
    private int entries;
    private long latestOffset = -1L;

    /**
     * @param memoryBytes bytes for the table, capped so that it fits in one array
     * @param loadFactor share of the slots that may be used, in (0, 1)
     */
    OffsetMap(long memoryBytes, double loadFactor) {
        long slotCount = Math.min(memoryBytes, Integer.MAX_VALUE - 8) / BYTES_PER_ENTRY;
        if (slotCount < 2 || loadFactor <= 0 || loadFactor >= 1) {
            throw new IllegalArgumentException("An offset map needs at least 2 slots and a load factor in (0, 1), not "
                + slotCount + " slots and " + loadFactor);
        }
        this.slots = (int) slotCount;
        this.maxEntries = Math.max(1, (int) (slots * loadFactor));
        this.table = new byte[slots * BYTES_PER_ENTRY];
        this.view = ByteBuffer.wrap(table);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides MD5", e);
        }
    }

    /** Records that {@code key}'s latest record so far is at {@code offset}. */
    void put(ByteBuffer key, long offset) {
        int slot = find(key);
        int at = slot * BYTES_PER_ENTRY;
        long stored = view.getLong(at + DIGEST_SIZE);
        if (stored == 0) {
            if (entries >= maxEntries) {
                throw new IllegalStateException("The offset map is full (" + entries + " keys)");
            }
            System.arraycopy(digest, 0, table, at, DIGEST_SIZE);
            entries++;
        }
        view.putLong(at + DIGEST_SIZE, Math.max(stored, offset + 1));
        latestOffset = Math.max(latestOffset, offset);
    }

    /** The latest offset recorded for {@code key}, or -1 if the key is not in the map. */
    long get(ByteBuffer key) {
        return view.getLong(find(key) * BYTES_PER_ENTRY + DIGEST_SIZE) - 1;
    }

    /** Distinct keys in the map. */
    int size() {
        return entries;
    }

    /** How many more distinct keys may be added. */
    int remaining() {
        return maxEntries - entries;
    }

    int maxEntries() {
        return maxEntries;
    }

    /** The largest offset put since the last clear, or -1. */
    long latestOffset() {
        return latestOffset;
    }

    void clear() {
        if (entries > 0) {
            Arrays.fill(table, (byte) 0);
        }
        entries = 0;
        latestOffset = -1L;
    }

    /** Digests {@code key} into {@link #digest} and returns the slot holding it or the empty slot where it belongs. */
    private int find(ByteBuffer key) {
        md5.update(key.duplicate());
        try {
            md5.digest(digest, 0, DIGEST_SIZE);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("MD5 digests are 16 bytes", e);
        }
        int hash = ((digest[0] & 0xff) << 24) | ((digest[1] & 0xff) << 16) | ((digest[2] & 0xff) << 8) | (digest[3] & 0xff);
        int slot = Math.floorMod(hash, slots);
        while (true) {
            int at = slot * BYTES_PER_ENTRY;
            if (view.getLong(at + DIGEST_SIZE) == 0 || Arrays.equals(table, at, at + DIGEST_SIZE, digest, 0, DIGEST_SIZE)) {
                return slot;
            }
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
    }
}
