package io.eventstream.connectors.archive;

import io.eventstream.connectors.source.RawEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;
import org.apache.flink.core.fs.Path;

/**
 * Reads one archive hour partition (a split is an hour directory, see {@link ArchiveHourEnumerator})
 * as {@link RawEvent}s in event-time order: all its part files, the rows inside the replay's time
 * range and below its Kafka cut, sorted by (time, Kafka partition, offset, id). One writer file per
 * subtask and checkpoint interleave in time, so reading them one after the other would make events
 * look late to the jobs' watermarks; sorting the hour makes the archive a stream with no
 * out-of-order events at all. An hour is held in memory while it is read (about 1 KB per event).
 *
 * <p>The order is deterministic, so a restored reader re-reads the hour and skips the records
 * emitted before the checkpoint.
 */
final class ArchiveFormat implements BulkFormat<RawEvent, FileSourceSplit> {
    private static final long serialVersionUID = 1L;

    private static final Comparator<Object[]> ORDER = Comparator.comparingLong(
                    (Object[] row) -> (Long) row[EventArchive.TIME])
            .thenComparingInt(row -> (Integer) row[EventArchive.TIME_NANOS])
            .thenComparing(
                    row -> (Integer) row[EventArchive.KAFKA_PARTITION],
                    Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(
                    row -> (Long) row[EventArchive.KAFKA_OFFSET], Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(row -> (String) row[EventArchive.SOURCE])
            .thenComparing(row -> (String) row[EventArchive.ID]);

    private final ArchiveRange range;

    ArchiveFormat(ArchiveRange range) {
        this.range = range;
    }

    @Override
    public Reader<RawEvent> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new HourReader(readHour(split.path()), 0);
    }

    @Override
    public Reader<RawEvent> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long skip = split.getReaderPosition()
                .map(CheckpointedPosition::getRecordsAfterOffset)
                .orElse(0L);
        return new HourReader(readHour(split.path()), skip);
    }

    /** The hour's rows in the range, sorted. */
    private List<Object[]> readHour(Path hourDir) throws IOException {
        List<Object[]> rows = new ArrayList<>();
        for (Path file : ArchiveLayout.partFiles(hourDir)) {
            ArchiveFiles.forEachRow(file, row -> {
                if (range.includes(row)) {
                    rows.add(row);
                }
            });
        }
        rows.sort(ORDER);
        return rows;
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawEvent> getProducedType() {
        return TypeInformation.of(RawEvent.class);
    }

    /** Hands out the hour as one batch, then ends; positions count records from the hour's start. */
    private static final class HourReader implements Reader<RawEvent> {
        private List<Object[]> rows;
        private final long skip;

        HourReader(List<Object[]> rows, long skip) {
            this.rows = rows;
            this.skip = skip;
        }

        @Override
        public RecordIterator<RawEvent> readBatch() {
            if (rows == null) {
                return null;
            }
            List<Object[]> remaining = rows.subList((int) Math.min(skip, rows.size()), rows.size());
            rows = null;
            return new IteratorResultIterator<>(
                    remaining.stream().map(EventArchive::toRawEvent).iterator(), CheckpointedPosition.NO_OFFSET, skip);
        }

        @Override
        public void close() {
            rows = null;
        }
    }
}
