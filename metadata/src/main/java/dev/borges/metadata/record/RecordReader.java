package dev.borges.metadata.record;

import dev.borges.protocol.types.Uuid;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the field encodings of {@link MetadataRecordSerde} from a buffer. Every read checks that
 * its bytes are there, and every length or count is checked against the bytes that remain before
 * anything is allocated; failures are {@link MalformedMetadataRecordException} naming the field and
 * the byte. Not thread-safe; one per decoding call.
 */
final class RecordReader {
    private final ByteBuffer buffer;

    RecordReader(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    int position() {
        return buffer.position();
    }

    int remaining() {
        return buffer.remaining();
    }

    void skip(int bytes) {
        require(bytes, "skip");
        buffer.position(buffer.position() + bytes);
    }

    byte readByte(String field) {
        require(1, field);
        return buffer.get();
    }

    int readUnsignedVarint(String field) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = readByte(field);
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (shift == 28 && (b & 0xf0) != 0) {
                    throw malformed(field, "varint overflows 32 bits");
                }
                return value;
            }
        }
        throw malformed(field, "varint is longer than 5 bytes");
    }

    long readUnsignedVarlong(String field) {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = readByte(field);
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (shift == 63 && (b & 0x7e) != 0) {
                    throw malformed(field, "varlong overflows 64 bits");
                }
                return value;
            }
        }
        throw malformed(field, "varlong is longer than 10 bytes");
    }

    int readInt(String field) {
        int raw = readUnsignedVarint(field);
        return (raw >>> 1) ^ -(raw & 1);
    }

    long readLong(String field) {
        long raw = readUnsignedVarlong(field);
        return (raw >>> 1) ^ -(raw & 1);
    }

    Uuid readUuid(String field) {
        require(16, field);
        return new Uuid(buffer.getLong(), buffer.getLong());
    }

    String readNullableString(String field) {
        int length = readNullableLength(field, 1);
        if (length < 0) {
            return null;
        }
        ByteBuffer slice = buffer.slice(buffer.position(), length);
        try {
            String value = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(slice)
                .toString();
            buffer.position(buffer.position() + length);
            return value;
        } catch (CharacterCodingException e) {
            throw malformed(field, "is not valid UTF-8", e);
        }
    }

    String readString(String field) {
        String value = readNullableString(field);
        if (value == null) {
            throw malformed(field, "is null but must not be");
        }
        return value;
    }

    List<Integer> readNullableIntList(String field) {
        int count = readNullableLength(field, 1);
        if (count < 0) {
            return null;
        }
        List<Integer> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(readInt(field));
        }
        return values;
    }

    List<Integer> readIntList(String field) {
        List<Integer> values = readNullableIntList(field);
        if (values == null) {
            throw malformed(field, "is null but must not be");
        }
        return values;
    }

    /**
     * Reads a count or length written as value + 1 (0 meaning null, returned as -1) and checks it
     * against the bytes left, given the fewest bytes one element takes.
     */
    int readNullableLength(String field, int minElementSize) {
        int start = buffer.position();
        int raw = readUnsignedVarint(field);
        if (raw == 0) {
            return -1;
        }
        int length = raw - 1;
        if (length < 0 || (long) length * minElementSize > buffer.remaining()) {
            throw new MalformedMetadataRecordException("Field '" + field + "' claims " + Integer.toUnsignedString(length)
                + " elements at byte " + start + " but only " + buffer.remaining() + " bytes remain");
        }
        return length;
    }

    MalformedMetadataRecordException malformed(String field, String problem) {
        return new MalformedMetadataRecordException("Field '" + field + "' " + problem + " at byte " + buffer.position());
    }

    private MalformedMetadataRecordException malformed(String field, String problem, Throwable cause) {
        return new MalformedMetadataRecordException(
            "Field '" + field + "' " + problem + " at byte " + buffer.position(), cause);
    }

    private void require(int bytes, String field) {
        if (buffer.remaining() < bytes) {
            throw new MalformedMetadataRecordException("Input ends at byte " + buffer.limit() + " while reading field '"
                + field + "' at byte " + buffer.position());
        }
    }
}
