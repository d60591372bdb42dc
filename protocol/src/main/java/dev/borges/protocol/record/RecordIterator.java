package dev.borges.protocol.record;

import dev.borges.protocol.CorruptRecordException;
import dev.borges.protocol.MalformedMessageException;
import dev.borges.protocol.compress.CompressionType;
import dev.borges.protocol.types.Varints;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Decodes the records of one batch in order, one per {@link #next()}, decompressing lazily. Created
 * by {@link RecordBatch#recordIterator()}.
 *
 * <p>Hostile input is bounded by what the batch says. The record count must be non-negative and,
 * for an uncompressed batch, at most what its bytes could hold at {@value
 * RecordEncoder#MIN_RECORD_SIZE} bytes per record. Each record's length must fit in the bytes left
 * (uncompressed) or is read from the decompressor in pieces as the bytes actually arrive
 * (compressed), so a claimed length never allocates more than the data present. Fewer records
 * than the count, or bytes left after the last one, fail like any bad field: with {@link
 * CorruptRecordException}, which is the only exception that escapes (decompressor failures
 * included).
 *
 * <p>Lifecycle: closes itself when the last record is read or on the first failure; close it
 * explicitly (try-with-resources) when abandoning it early, since a zstd decompressor holds native
 * memory. Not thread-safe.
 */
public final class RecordIterator implements Iterator<Record>, AutoCloseable {
    private final RecordBatch batch;
    private final RecordDecoder decoder;
    private final int recordCount;
    private final ByteBuffer uncompressed;
    private InputStream decompressed;
    private int index;
    private boolean closed;
    /** Reused for each decompressed record body by {@link #scanRemaining}; grows to the largest record. */
    private byte[] scratch;

    RecordIterator(RecordBatch batch) {
        this.batch = batch;
        this.recordCount = batch.recordCount();
        CompressionType compression = compressionOf(batch);
        ByteBuffer records = batch.recordsBuffer();
        if (recordCount < 0) {
            throw corrupt("negative record count " + recordCount);
        }
        if (compression == CompressionType.NONE && recordCount > records.remaining() / RecordEncoder.MIN_RECORD_SIZE) {
            throw corrupt("record count " + recordCount + " cannot fit in " + records.remaining() + " bytes");
        }
        this.decoder = new RecordDecoder(batch);
        if (recordCount == 0) {
            this.uncompressed = null;
            this.closed = true;
        } else if (compression == CompressionType.NONE) {
            this.uncompressed = records;
        } else {
            this.uncompressed = null;
            try {
                this.decompressed = compression.wrapForInput(records);
            } catch (IOException e) {
                throw corrupt("cannot start " + compression.configName() + " decompression: " + e.getMessage(), e);
            }
        }
    }

    private CompressionType compressionOf(RecordBatch batch) {
        try {
            return batch.compressionType();
        } catch (CorruptRecordException e) {
            throw corrupt(e.getMessage());
        }
    }

    @Override
    public boolean hasNext() {
        return !closed && index < recordCount;
    }

    @Override
    public Record next() {
        if (!hasNext()) {
            throw new NoSuchElementException("No more records in the batch with base offset " + batch.baseOffset());
        }
        try {
            Record record = uncompressed != null ? nextFromBuffer() : nextFromStream();
            index++;
            if (index == recordCount) {
                ensureNothingFollows();
                close();
            }
            return record;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Reads every remaining record with the same checks as {@link #next()} (well-formed fields, the
     * count, nothing after the last record), but hands {@code visitor} only what {@link
     * RecordVisitor} names: no record objects, and compressed bodies pass through one reused buffer.
     * Closes the iterator.
     *
     * @throws CorruptRecordException as {@link #next()} does
     */
    public void scanRemaining(RecordVisitor visitor) {
        try {
            while (hasNext()) {
                if (uncompressed != null) {
                    int length = readLength();
                    if (length > uncompressed.remaining()) {
                        throw corrupt("record " + index + " declares " + length + " bytes but " + uncompressed.remaining() + " remain");
                    }
                    ByteBuffer body = uncompressed.slice(uncompressed.position(), length);
                    uncompressed.position(uncompressed.position() + length);
                    decoder.scan(body, index, visitor);
                } else {
                    decoder.scan(readStreamBody(), index, visitor);
                }
                index++;
            }
            if (!closed) {
                ensureNothingFollows();
            }
        } finally {
            close();
        }
    }

    /** The next record body from the decompressed stream, in {@link #scratch}. */
    private ByteBuffer readStreamBody() {
        try {
            int length = readStreamVarint();
            if (length < RecordEncoder.MIN_BODY_SIZE) {
                throw corrupt("record " + index + " declares impossible length " + length);
            }
            int read = 0;
            while (read < length) {
                // Grows with the bytes that actually arrive, never straight to a claimed length.
                if (scratch == null || read == scratch.length) {
                    int grown = scratch == null ? Math.min(length, 16 * 1024) : Math.min(length, scratch.length * 2);
                    scratch = scratch == null ? new byte[grown] : java.util.Arrays.copyOf(scratch, grown);
                }
                int n = decompressed.read(scratch, read, Math.min(length, scratch.length) - read);
                if (n < 0) {
                    throw corrupt("record " + index + " declares " + length + " bytes but the decompressed data ends after " + read);
                }
                read += n;
            }
            return ByteBuffer.wrap(scratch, 0, length);
        } catch (IOException e) {
            throw corrupt("decompressing record " + index + ": " + e.getMessage(), e);
        }
    }

    private Record nextFromBuffer() {
        int start = uncompressed.position();
        int length = readLength();
        if (length > uncompressed.remaining()) {
            throw corrupt("record " + index + " declares " + length + " bytes but " + uncompressed.remaining() + " remain");
        }
        ByteBuffer body = uncompressed.slice(uncompressed.position(), length);
        uncompressed.position(uncompressed.position() + length);
        return decoder.decode(body, index, uncompressed.position() - start);
    }

    private int readLength() {
        int length;
        try {
            length = Varints.readVarint(uncompressed);
        } catch (MalformedMessageException e) {
            throw corrupt("record " + index + " length: " + e.getMessage());
        }
        if (length < RecordEncoder.MIN_BODY_SIZE) {
            throw corrupt("record " + index + " declares impossible length " + length);
        }
        return length;
    }

    private Record nextFromStream() {
        try {
            int length = readStreamVarint();
            if (length < RecordEncoder.MIN_BODY_SIZE) {
                throw corrupt("record " + index + " declares impossible length " + length);
            }
            // readNBytes grows its buffer as bytes arrive, never to the claimed length up front.
            byte[] body = decompressed.readNBytes(length);
            if (body.length < length) {
                throw corrupt("record " + index + " declares " + length + " bytes but the decompressed data ends after "
                        + body.length);
            }
            return decoder.decode(ByteBuffer.wrap(body), index, Varints.sizeOfVarint(length) + length);
        } catch (IOException e) {
            throw corrupt("decompressing record " + index + ": " + e.getMessage(), e);
        }
    }

    /** A zigzag varint of at most five bytes from the decompressed stream. */
    private int readStreamVarint() throws IOException {
        int raw = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = decompressed.read();
            if (b < 0) {
                throw corrupt("the batch declares " + recordCount + " records but its data ends inside record " + index);
            }
            raw |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (shift == 28 && (b & 0xf0) != 0) {
                    throw corrupt("record " + index + " length varint overflows 32 bits");
                }
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw corrupt("record " + index + " length varint is longer than 5 bytes");
    }

    private void ensureNothingFollows() {
        if (uncompressed != null) {
            if (uncompressed.hasRemaining()) {
                throw corrupt(uncompressed.remaining() + " bytes follow the last of its " + recordCount + " records");
            }
            return;
        }
        try {
            if (decompressed.read() >= 0) {
                throw corrupt("decompressed data continues after the last of its " + recordCount + " records");
            }
        } catch (IOException e) {
            throw corrupt("decompressing after the last record: " + e.getMessage(), e);
        }
    }

    /** Releases the decompressor; idempotent. */
    @Override
    public void close() {
        if (decompressed != null) {
            try {
                decompressed.close();
            } catch (IOException | RuntimeException e) {
                // Closing only frees buffers; a codec that fails to do so has nothing left to report.
            }
            decompressed = null;
        }
        closed = true;
    }

    private CorruptRecordException corrupt(String problem) {
        return new CorruptRecordException("Record batch with base offset " + batch.baseOffset() + " is corrupt: " + problem);
    }

    private CorruptRecordException corrupt(String problem, Throwable cause) {
        return new CorruptRecordException("Record batch with base offset " + batch.baseOffset() + " is corrupt: " + problem, cause);
    }
}
