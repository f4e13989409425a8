package io.eventstream.connectors.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.io.compression.InflaterInputStreamFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.compression.StandardDeCompressors;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.MutableRecordAndPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Reads JSON-lines files as {@link RawEvent}s for a {@code FileSource}: one event per non-blank
 * line, the line's bytes unchanged (no charset decoding), origin {@code file:<path>:<line>} with the
 * 1-based physical line number (blank lines count, they are just not emitted).
 *
 * <ul>
 *   <li>Lines end at {@code \n}; a {@code \r} before it is dropped, so CRLF files read the same.
 *       A line of only spaces, tabs and {@code \r} is blank.
 *   <li>A line longer than {@code maxLineBytes} keeps its first {@code maxLineBytes + 1} bytes and
 *       the rest is skipped unread into memory; {@link RawEvent#valueSize} holds the full length, so
 *       a decoder with the same limit reports it as oversized.
 *   <li>Files are not split (line numbers need the whole file); {@code .gz}, {@code .bz2}, {@code .xz},
 *       {@code .deflate} and {@code .zst}-style files are decompressed by their suffix like Flink's
 *       own text format does.
 *   <li>The checkpointed position is the byte offset after the last emitted line. On restore the
 *       reader counts the newlines before that offset (a fast byte scan, no records built) to
 *       continue with the right line numbers.
 * </ul>
 */
public final class JsonLinesFormat implements BulkFormat<RawEvent, FileSourceSplit> {

    private static final long serialVersionUID = 1L;
    private static final int BATCH_MAX_RECORDS = 4096;

    private final int maxLineBytes;

    /** @param maxLineBytes longest line kept whole; longer lines are capped at {@code maxLineBytes + 1} bytes */
    public JsonLinesFormat(int maxLineBytes) {
        if (maxLineBytes <= 0 || maxLineBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "maxLineBytes must be in [1, " + (Integer.MAX_VALUE - 1) + "]: " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public Reader<RawEvent> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new LineReader(open(split.path()), split.path(), maxLineBytes, batchBytes(config));
    }

    @Override
    public Reader<RawEvent> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        LineReader reader = new LineReader(open(split.path()), split.path(), maxLineBytes, batchBytes(config));
        try {
            CheckpointedPosition position = split.getReaderPosition().orElse(null);
            if (position != null) {
                if (position.getOffset() != CheckpointedPosition.NO_OFFSET) {
                    reader.skipBytesCountingLines(position.getOffset());
                }
                for (long i = 0; i < position.getRecordsAfterOffset(); i++) {
                    if (reader.nextLine() == null) {
                        break;
                    }
                }
            }
            return reader;
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawEvent> getProducedType() {
        return TypeInformation.of(RawEvent.class);
    }

    private static int batchBytes(Configuration config) {
        return (int) Math.min(
                Integer.MAX_VALUE, config.get(StreamFormat.FETCH_IO_SIZE).getBytes());
    }

    private static InputStream open(Path path) throws IOException {
        FSDataInputStream in = path.getFileSystem().open(path);
        InflaterInputStreamFactory<?> inflater = StandardDeCompressors.getDecompressorForFileName(path.getPath());
        if (inflater == null) {
            return in;
        }
        try {
            return inflater.create(in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads one file from its start, in batches of about {@code batchBytes} bytes. */
    static final class LineReader implements Reader<RawEvent> {
        private static final int BUFFER_BYTES = 64 * 1024;

        private final InputStream in;
        private final String originPrefix;
        private final int maxLineBytes;
        private final int batchBytes;
        private final byte[] buffer = new byte[BUFFER_BYTES];
        private int bufferPos;
        private int bufferEnd;
        private boolean endOfFile;
        /** Bytes consumed from the (decompressed) file: the position after the last line read. */
        private long offset;
        /** 1-based number of the next line to read. */
        private long lineNumber = 1;
        /** A line that spans buffer refills is assembled here (at most maxLineBytes + 1 bytes). */
        private byte[] partial = new byte[256];

        LineReader(InputStream in, Path path, int maxLineBytes, int batchBytes) {
            this.in = in;
            this.originPrefix = "file:" + path.getPath() + ":";
            this.maxLineBytes = maxLineBytes;
            this.batchBytes = Math.max(1, batchBytes);
        }

        @Override
        public RecordIterator<RawEvent> readBatch() throws IOException {
            List<RawEvent> records = new ArrayList<>();
            List<Long> offsets = new ArrayList<>();
            long batchStart = offset;
            RawEvent next;
            while (records.size() < BATCH_MAX_RECORDS
                    && offset - batchStart < batchBytes
                    && (next = nextLine()) != null) {
                records.add(next);
                offsets.add(offset);
            }
            return records.isEmpty() ? null : new BatchIterator(records, offsets);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        /** Consumes {@code count} bytes, counting the lines they end. */
        void skipBytesCountingLines(long count) throws IOException {
            long remaining = count;
            while (remaining > 0) {
                if (bufferPos == bufferEnd && !fill()) {
                    throw new IOException("file ended before the restored offset " + count + " (" + originPrefix + ")");
                }
                int chunk = (int) Math.min(remaining, bufferEnd - bufferPos);
                for (int i = bufferPos; i < bufferPos + chunk; i++) {
                    if (buffer[i] == '\n') {
                        lineNumber++;
                    }
                }
                bufferPos += chunk;
                offset += chunk;
                remaining -= chunk;
            }
        }

        /** The next non-blank line as an event, or null at the end of the file. */
        RawEvent nextLine() throws IOException {
            while (true) {
                long thisLine = lineNumber;
                int kept = 0;
                long total = 0;
                byte last = 0;
                boolean sawNewline = false;
                byte[] whole = null;
                while (!sawNewline) {
                    if (bufferPos == bufferEnd && !fill()) {
                        break;
                    }
                    int newline = indexOfNewline(bufferPos, bufferEnd);
                    int end = newline >= 0 ? newline : bufferEnd;
                    int length = end - bufferPos;
                    if (length > 0) {
                        last = buffer[end - 1];
                        if (newline >= 0 && total == 0 && length <= maxLineBytes + 1) {
                            // Fast path: the whole line is in the buffer.
                            whole = Arrays.copyOfRange(buffer, bufferPos, end);
                            kept = length;
                        } else {
                            kept = keep(kept, bufferPos, Math.min(length, maxLineBytes + 1 - kept));
                        }
                        total += length;
                    }
                    offset += length;
                    bufferPos = end;
                    if (newline >= 0) {
                        sawNewline = true;
                        bufferPos++;
                        offset++;
                        lineNumber++;
                    }
                }
                if (!sawNewline && total == 0) {
                    return null;
                }
                boolean capped = total > kept;
                long size = last == '\r' ? total - 1 : total;
                int length = capped ? kept : (int) size;
                byte[] source = whole != null ? whole : partial;
                if (!capped && isBlank(source, length)) {
                    continue;
                }
                byte[] value = whole != null && whole.length == length ? whole : Arrays.copyOf(source, length);
                return new RawEvent(value, size, null, null, originPrefix + thisLine);
            }
        }

        private int keep(int kept, int from, int count) {
            if (count <= 0) {
                return kept;
            }
            if (kept + count > partial.length) {
                partial =
                        Arrays.copyOf(partial, Math.max(kept + count, Math.min(maxLineBytes + 1, partial.length * 2)));
            }
            System.arraycopy(buffer, from, partial, kept, count);
            return kept + count;
        }

        private int indexOfNewline(int from, int to) {
            for (int i = from; i < to; i++) {
                if (buffer[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private boolean fill() throws IOException {
            if (endOfFile) {
                return false;
            }
            int n = in.read(buffer, 0, buffer.length);
            while (n == 0) {
                n = in.read(buffer, 0, buffer.length);
            }
            if (n < 0) {
                endOfFile = true;
                return false;
            }
            bufferPos = 0;
            bufferEnd = n;
            return true;
        }

        private static boolean isBlank(byte[] bytes, int length) {
            for (int i = 0; i < length; i++) {
                byte b = bytes[i];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }

    /** A batch of events, each with the offset just after its line (where a restore resumes). */
    private static final class BatchIterator implements RecordIterator<RawEvent> {
        private final List<RawEvent> records;
        private final List<Long> offsets;
        private final MutableRecordAndPosition<RawEvent> current = new MutableRecordAndPosition<>();
        private int index;

        BatchIterator(List<RawEvent> records, List<Long> offsets) {
            this.records = records;
            this.offsets = offsets;
        }

        @Override
        public RecordAndPosition<RawEvent> next() {
            if (index == records.size()) {
                return null;
            }
            current.set(records.get(index), offsets.get(index), 0);
            index++;
            return current;
        }

        @Override
        public void releaseBatch() {}
    }
}
