package dev.borges.protocol.record;

import dev.borges.protocol.CorruptRecordException;
import dev.borges.protocol.MalformedMessageException;
import dev.borges.protocol.types.Varints;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the body of one record (the format is documented in {@link RecordEncoder}) and resolves
 * its offset, timestamp and sequence from the batch header it was created for.
 *
 * <p>The body buffer holds exactly the bytes the record's length field declared, so every field is
 * checked against what is left of it: a length or count larger than the remaining bytes, a
 * negative length other than -1, an over-long varint, or bytes left over after the last header all
 * fail with {@link CorruptRecordException} naming the record and the field, before anything is
 * allocated. Not thread-safe; one per {@link RecordIterator}.
 */
final class RecordDecoder {
    private final long baseOffset;
    private final long baseTimestamp;
    private final long maxTimestamp;
    private final boolean logAppendTime;
    private final int baseSequence;

    RecordDecoder(RecordBatch batch) {
        this.baseOffset = batch.baseOffset();
        this.baseTimestamp = batch.baseTimestamp();
        this.maxTimestamp = batch.maxTimestamp();
        this.logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
        this.baseSequence = batch.baseSequence();
    }

    /**
     * @param body the record after its length field, exactly as long as that field declared
     * @param index the record's position in its batch, for error messages
     * @param sizeInBytes the record's encoded size, length field included
     */
    Record decode(ByteBuffer body, int index, int sizeInBytes) {
        try {
            return decodeFields(body, index, sizeInBytes);
        } catch (MalformedMessageException e) {
            throw corrupt(index, e.getMessage());
        }
    }

    private Record decodeFields(ByteBuffer body, int index, int sizeInBytes) {
        if (!body.hasRemaining()) {
            throw corrupt(index, "empty record body");
        }
        body.get(); // attributes: unused by every Kafka version
        long timestampDelta = Varints.readVarlong(body);
        int offsetDelta = Varints.readVarint(body);
        ByteBuffer key = readNullableBytes(body, index, "key");
        ByteBuffer value = readNullableBytes(body, index, "value");
        int headerCount = Varints.readVarint(body);
        // Each header takes at least two bytes (two one-byte lengths), which bounds the list.
        if (headerCount < 0 || headerCount > body.remaining() / 2) {
            throw corrupt(index, "header count " + headerCount + " is impossible with " + body.remaining() + " bytes left");
        }
        List<Header> headers = new ArrayList<>(headerCount);
        for (int i = 0; i < headerCount; i++) {
            headers.add(readHeader(body, index, i));
        }
        if (body.hasRemaining()) {
            throw corrupt(index, body.remaining() + " bytes left over after the last field");
        }
        long offset = baseOffset + offsetDelta;
        long timestamp = logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta;
        int sequence = baseSequence < 0 ? RecordBatch.NO_SEQUENCE : RecordBatch.incrementSequence(baseSequence, offsetDelta);
        return new Record(offset, timestamp, sequence, key, value, headers, sizeInBytes);
    }

    /**
     * Checks the body exactly as {@link #decode} does, but hands {@code visitor} only the offset,
     * timestamp and key presence, skipping over key, value and headers without copying them.
     */
    void scan(ByteBuffer body, int index, RecordVisitor visitor) {
        try {
            scanFields(body, index, visitor);
        } catch (MalformedMessageException e) {
            throw corrupt(index, e.getMessage());
        }
    }

    private void scanFields(ByteBuffer body, int index, RecordVisitor visitor) {
        if (!body.hasRemaining()) {
            throw corrupt(index, "empty record body");
        }
        body.get(); // attributes
        long timestampDelta = Varints.readVarlong(body);
        int offsetDelta = Varints.readVarint(body);
        boolean hasKey = skipNullableBytes(body, index, "key");
        skipNullableBytes(body, index, "value");
        int headerCount = Varints.readVarint(body);
        if (headerCount < 0 || headerCount > body.remaining() / 2) {
            throw corrupt(index, "header count " + headerCount + " is impossible with " + body.remaining() + " bytes left");
        }
        for (int i = 0; i < headerCount; i++) {
            int keyLength = Varints.readVarint(body);
            if (keyLength < 0 || keyLength > body.remaining()) {
                throw corrupt(index, "header " + i + " key length " + keyLength + " with " + body.remaining() + " bytes left");
            }
            body.position(body.position() + keyLength);
            skipNullableBytes(body, index, "header " + i + " value");
        }
        if (body.hasRemaining()) {
            throw corrupt(index, body.remaining() + " bytes left over after the last field");
        }
        visitor.record(index, baseOffset + offsetDelta, logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta, hasKey);
    }

    /** Skips a length-prefixed field; false if it is null (length -1). */
    private boolean skipNullableBytes(ByteBuffer body, int index, String field) {
        int length = Varints.readVarint(body);
        if (length == -1) {
            return false;
        }
        if (length < 0 || length > body.remaining()) {
            throw corrupt(index, field + " length " + length + " with " + body.remaining() + " bytes left");
        }
        body.position(body.position() + length);
        return true;
    }

    private Header readHeader(ByteBuffer body, int index, int headerIndex) {
        int keyLength = Varints.readVarint(body);
        if (keyLength < 0 || keyLength > body.remaining()) {
            throw corrupt(index, "header " + headerIndex + " key length " + keyLength + " with " + body.remaining() + " bytes left");
        }
        String key = utf8(body, keyLength);
        ByteBuffer value = readNullableBytes(body, index, "header " + headerIndex + " value");
        byte[] valueBytes = null;
        if (value != null) {
            valueBytes = new byte[value.remaining()];
            value.get(valueBytes);
        }
        return new Header(key, valueBytes);
    }

    private ByteBuffer readNullableBytes(ByteBuffer body, int index, String field) {
        int length = Varints.readVarint(body);
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > body.remaining()) {
            throw corrupt(index, field + " length " + length + " with " + body.remaining() + " bytes left");
        }
        ByteBuffer bytes = body.slice(body.position(), length);
        body.position(body.position() + length);
        return bytes;
    }

    private static String utf8(ByteBuffer body, int length) {
        String value;
        if (body.hasArray()) {
            value = new String(body.array(), body.arrayOffset() + body.position(), length, StandardCharsets.UTF_8);
            body.position(body.position() + length);
        } else {
            byte[] bytes = new byte[length];
            body.get(bytes);
            value = new String(bytes, StandardCharsets.UTF_8);
        }
        return value;
    }

    private CorruptRecordException corrupt(int index, String problem) {
        return new CorruptRecordException("Record " + index + " of the batch with base offset " + baseOffset + " is corrupt: " + problem);
    }
}
