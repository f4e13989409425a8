package io.eventstream.connectors.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The format against a naive reference (split the whole file on '\n'), with restores at every record. */
class JsonLinesFormatTest {

    private static final int LIMIT = 100_000;

    @TempDir
    Path dir;

    /** Lines that exercise every branch: blank, CRLF, multi-byte UTF-8, longer than the 64 KiB buffer, over the limit. */
    private static byte[] content() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "{\"a\":1}\n");
        write(out, "\n");
        write(out, "  \t \r\n");
        write(out, "{\"b\":\"ünïcode 🎉\"}\r\n");
        write(out, "{\"long\":\"" + "x".repeat(70_000) + "\"}\n"); // spans buffer refills, under the limit
        write(out, "{\"huge\":\"" + "y".repeat(300_000) + "\"}\r\n"); // over the limit: capped
        write(out, "{\"exact\":\"" + "z".repeat(LIMIT - 12) + "\"}\n"); // exactly LIMIT bytes: kept whole
        write(out, "{\"c\":3}"); // no final newline
        return out.toByteArray();
    }

    /** Obviously correct: split everything on '\n', number from 1, drop blank lines, strip one '\r', cap. */
    private static List<RawEvent> reference(byte[] content, String path, int limit) {
        List<RawEvent> events = new ArrayList<>();
        int start = 0;
        int line = 1;
        for (int i = 0; i <= content.length; i++) {
            if (i == content.length || content[i] == '\n') {
                byte[] bytes = Arrays.copyOfRange(content, start, i);
                if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
                    bytes = Arrays.copyOf(bytes, bytes.length - 1);
                }
                if (!new String(bytes, StandardCharsets.UTF_8).isBlank()) {
                    byte[] kept = bytes.length > limit + 1 ? Arrays.copyOf(bytes, limit + 1) : bytes;
                    events.add(new RawEvent(kept, bytes.length, null, null, "file:" + path + ":" + line));
                }
                start = i + 1;
                line++;
            }
        }
        return events;
    }

    @Test
    void readsEveryNonBlankLineWithItsNumberAndCapsLongLines() throws IOException {
        Path file = file("events.jsonl", content());
        List<RawEvent> events = values(readAll(file, new Configuration()));

        assertThat(events).containsExactlyElementsOf(reference(content(), file.toString(), LIMIT));
        assertThat(events)
                .extracting(e -> e.origin)
                .containsExactly(
                        origin(file, 1),
                        origin(file, 4),
                        origin(file, 5),
                        origin(file, 6),
                        origin(file, 7),
                        origin(file, 8));
        RawEvent unicode = events.get(1);
        assertThat(new String(unicode.value, StandardCharsets.UTF_8)).isEqualTo("{\"b\":\"ünïcode 🎉\"}");
        RawEvent huge = events.get(3);
        assertThat(huge.value).hasSize(LIMIT + 1);
        assertThat(huge.valueSize).isEqualTo(300_000 + 11);
        RawEvent exact = events.get(4);
        assertThat(exact.value).hasSize(LIMIT);
        assertThat(exact.valueSize).isEqualTo(LIMIT);
    }

    @Test
    void restoringAfterAnyRecordReadsTheRestWithCorrectLineNumbers() throws IOException {
        Path file = file("events.jsonl", content());
        FileSourceSplit split = split(file);
        // One record per batch, so positions inside and between batches are both covered.
        Configuration tinyBatches = new Configuration();
        tinyBatches.set(StreamFormat.FETCH_IO_SIZE, MemorySize.parse("16b"));
        List<RecordAndPosition<RawEvent>> all = readAll(file, tinyBatches);
        List<RawEvent> expected = values(all);

        for (int k = 0; k < all.size(); k++) {
            RecordAndPosition<RawEvent> last = all.get(k);
            CheckpointedPosition afterK = new CheckpointedPosition(last.getOffset(), last.getRecordSkipCount());
            List<RawEvent> resumed = new ArrayList<>(expected.subList(0, k + 1));
            resumed.addAll(values(
                    drain(format().restoreReader(new Configuration(), split.updateWithCheckpointedPosition(afterK)))));
            assertThat(resumed).as("restored after record %d", k).containsExactlyElementsOf(expected);

            // The same point expressed as "an earlier offset plus records to skip".
            if (k > 0) {
                RecordAndPosition<RawEvent> before = all.get(k - 1);
                CheckpointedPosition skipOne = new CheckpointedPosition(before.getOffset(), 1);
                List<RawEvent> skipped = new ArrayList<>(expected.subList(0, k + 1));
                skipped.addAll(values(drain(
                        format().restoreReader(new Configuration(), split.updateWithCheckpointedPosition(skipOne)))));
                assertThat(skipped)
                        .as("restored one record after record %d", k - 1)
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void gzipFilesAreDecompressedAndRestoredByTheirUncompressedOffset() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write(content());
        }
        Path file = file("events.jsonl.gz", gz.toByteArray());
        List<RecordAndPosition<RawEvent>> all = readAll(file, new Configuration());
        assertThat(values(all)).containsExactlyElementsOf(reference(content(), file.toString(), LIMIT));

        RecordAndPosition<RawEvent> second = all.get(1);
        List<RawEvent> rest = values(drain(format().restoreReader(
                        new Configuration(),
                        split(file).updateWithCheckpointedPosition(new CheckpointedPosition(second.getOffset(), 0)))));
        assertThat(rest).containsExactlyElementsOf(values(all).subList(2, all.size()));
    }

    @Test
    void emptyAndBlankFilesHaveNoEvents() throws IOException {
        assertThat(readAll(file("empty.jsonl", new byte[0]), new Configuration()))
                .isEmpty();
        assertThat(readAll(file("blank.jsonl", "\n\r\n  \n".getBytes(StandardCharsets.UTF_8)), new Configuration()))
                .isEmpty();
    }

    private static JsonLinesFormat format() {
        return new JsonLinesFormat(LIMIT);
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static String origin(Path file, int line) {
        return "file:" + file + ":" + line;
    }

    private static FileSourceSplit split(Path file) throws IOException {
        long size = Files.size(file);
        return new FileSourceSplit(
                "0",
                new org.apache.flink.core.fs.Path(file.toUri()),
                0,
                size,
                Files.getLastModifiedTime(file).toMillis(),
                size);
    }

    private static List<RecordAndPosition<RawEvent>> readAll(Path file, Configuration config) throws IOException {
        return drain(format().createReader(config, split(file)));
    }

    /** Every record with its position, copied out of the reader's reused position objects. */
    private static List<RecordAndPosition<RawEvent>> drain(BulkFormat.Reader<RawEvent> reader) throws IOException {
        List<RecordAndPosition<RawEvent>> records = new ArrayList<>();
        try (reader) {
            BulkFormat.RecordIterator<RawEvent> batch;
            while ((batch = reader.readBatch()) != null) {
                RecordAndPosition<RawEvent> next;
                while ((next = batch.next()) != null) {
                    records.add(new RecordAndPosition<>(next.getRecord(), next.getOffset(), next.getRecordSkipCount()));
                }
                batch.releaseBatch();
            }
        }
        return records;
    }

    private static List<RawEvent> values(List<RecordAndPosition<RawEvent>> records) {
        return records.stream().map(RecordAndPosition::getRecord).toList();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
