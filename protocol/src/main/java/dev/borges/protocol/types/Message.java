package dev.borges.protocol.types;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A message or struct generated from a Kafka message schema. One object represents every version;
 * the version is chosen when reading or writing. Fields absent from a version read as their
 * defaults; writing a non-default value that the version cannot carry throws
 * {@link dev.borges.protocol.UnsupportedVersionException} (unless the schema marks it ignorable).
 *
 * <p>Writing a message that its own fields make unwritable is a programming error, not bad input:
 * a null in a non-nullable field or a string over 32767 bytes throws
 * {@code IllegalArgumentException}; a value the version cannot carry throws
 * {@code UnsupportedVersionException}.
 *
 * <p>Generated classes are plain mutable data holders, not thread-safe.
 */
public interface Message {
    short lowestSupportedVersion();

    short highestSupportedVersion();

    /** Replaces this object's contents with the fields read at {@code version}. */
    void read(ProtocolReader reader, short version);

    void write(ProtocolWriter writer, short version);

    /** Exact number of bytes {@link #write} produces at {@code version}. */
    int size(short version);

    /** Tagged fields this code does not know, kept so that re-writing a message preserves them. */
    List<RawTaggedField> unknownTaggedFields();

    default void read(ByteBuffer buffer, short version) {
        read(new ProtocolReader(buffer), version);
    }

    default void write(ByteBuffer buffer, short version) {
        write(new ByteBufferWriter(buffer), version);
    }

    /** Serializes into a new buffer of exactly {@link #size} bytes, flipped for reading. */
    default ByteBuffer toByteBuffer(short version) {
        ByteBuffer buffer = ByteBuffer.allocate(size(version));
        write(buffer, version);
        return buffer.flip();
    }
}
