package dev.borges.broker.coordinator;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record a coordinator writes to its partition of an internal topic and replays: a key and a
 * value, as bytes. A null value is a tombstone, which deletes the key's state (and lets compaction
 * drop the key). What the bytes mean belongs to the coordinator that writes them
 * ({@code dev.borges.broker.group.record.GroupRecords} for the group coordinator).
 */
public record CoordinatorRecord(byte[] key, byte[] value) {
    public CoordinatorRecord {
        Objects.requireNonNull(key, "key");
    }

    public static CoordinatorRecord tombstone(byte[] key) {
        return new CoordinatorRecord(key, null);
    }

    public boolean isTombstone() {
        return value == null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CoordinatorRecord that && Arrays.equals(key, that.key) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "CoordinatorRecord(key=" + key.length + " bytes, value=" + (value == null ? "tombstone" : value.length + " bytes") + ")";
    }
}
