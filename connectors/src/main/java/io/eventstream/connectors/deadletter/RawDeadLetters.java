package io.eventstream.connectors.deadletter;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opt-in store of raw dead-letter payloads (config {@code dead_letters.raw_root} and
 * {@code dead_letters.raw_retention}): a dataset {@code <dead-letter dataset>_raw} under its own
 * root, so it can get its own access control, with a retention period the job enforces itself.
 *
 * <p>Retention: {@link #purge} deletes every hour partition ({@code dt=YYYY-MM-DD/hour=HH}, by
 * {@code ingest_time}) whose start is at least the retention old, in every version of the dataset.
 * {@link #retentionSink} runs it inside the job: when the sink starts and then on checkpoints, at
 * most once a minute. A row therefore lives at most retention + one minute (plus the time the job
 * is not running: a stopped job deletes nothing, and purges on its next start), at least
 * retention − 1 hour.
 */
public final class RawDeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(RawDeadLetters.class);
    private static final Pattern DAY = Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})");
    private static final Pattern HOUR = Pattern.compile("hour=(\\d{2})");
    private static final long HOUR_MILLIS = 3_600_000L;

    private RawDeadLetters() {}

    /** The raw dataset's name beside a dead-letter dataset: {@code dead_letters_raw}, {@code reviewer_dead_letters_raw}. */
    public static String datasetName(String deadLetterDataset) {
        return deadLetterDataset + "_raw";
    }

    /** Columns of the raw dataset, partitioned by {@code ingest_time}. */
    public static DatasetSchema schema(String deadLetterDataset) {
        return new DatasetSchema(
                datasetName(deadLetterDataset),
                List.of(
                        Column.required("origin", ColumnType.STRING, "as in the dead-letter dataset"),
                        Column.required("reason", ColumnType.STRING, "ReasonCode name"),
                        Column.required("raw_sha256", ColumnType.STRING, "joins the row of the dead-letter dataset"),
                        Column.required("raw_size", ColumnType.LONG, "size of the whole record value in bytes"),
                        Column.required(
                                "raw_base64",
                                ColumnType.STRING,
                                "base64 of the first " + DeadLetter.MAX_RAW_BYTES
                                        + " bytes of the record value: PERSONAL DATA, restricted access, deleted after the retention"),
                        Column.required(
                                "ingest_time",
                                ColumnType.TIMESTAMP_MILLIS,
                                "when the job dead-lettered the record (UTC)")),
                "ingest_time");
    }

    /** A row of {@link #schema}. */
    public static Object[] toRow(DeadLetter letter) {
        byte[] raw = letter.raw == null ? new byte[0] : letter.raw;
        return new Object[] {
            letter.origin,
            letter.reason,
            letter.rawSha256,
            letter.rawSize,
            Base64.getEncoder().encodeToString(raw),
            letter.ingestTime
        };
    }

    /**
     * Deletes the hour partitions of {@code <root>/<dataset>/v*} whose start is at least {@code retention}
     * before {@code nowMillis}; returns the deleted directories. A day directory left empty goes too.
     */
    public static List<Path> purge(Path root, String dataset, Duration retention, long nowMillis) throws IOException {
        List<Path> deleted = new ArrayList<>();
        Path datasetDir = new Path(root, dataset);
        FileSystem fs = datasetDir.getFileSystem();
        if (!fs.exists(datasetDir)) {
            return deleted;
        }
        long cutoff = nowMillis - retention.toMillis();
        for (FileStatus version : list(fs, datasetDir)) {
            if (!version.isDir() || !version.getPath().getName().matches("v\\d+")) {
                continue;
            }
            for (FileStatus day : list(fs, version.getPath())) {
                Matcher dayName = DAY.matcher(day.getPath().getName());
                if (!day.isDir() || !dayName.matches()) {
                    continue;
                }
                long dayStart = LocalDate.parse(dayName.group(1))
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .toEpochMilli();
                int kept = 0;
                for (FileStatus hour : list(fs, day.getPath())) {
                    Matcher hourName = HOUR.matcher(hour.getPath().getName());
                    if (!hour.isDir() || !hourName.matches()) {
                        kept++;
                        continue;
                    }
                    long hourStart = dayStart + Integer.parseInt(hourName.group(1)) * HOUR_MILLIS;
                    if (hourStart <= cutoff) {
                        fs.delete(hour.getPath(), true);
                        deleted.add(hour.getPath());
                    } else {
                        kept++;
                    }
                }
                if (kept == 0) {
                    fs.delete(day.getPath(), true);
                }
            }
        }
        return deleted;
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        FileStatus[] statuses = fs.listStatus(dir);
        return statuses == null ? new FileStatus[0] : statuses;
    }

    /**
     * A sink that takes no records and enforces the retention of the raw dataset: {@link #purge} when its
     * writer starts and on checkpoints (at most once a minute). Add it with parallelism 1.
     */
    public static <T> Sink<T> retentionSink(String root, String dataset, Duration retention) {
        return new RetentionSink<>(root, dataset, retention.toMillis());
    }

    private record RetentionSink<T>(String root, String dataset, long retentionMillis) implements Sink<T> {
        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            RetentionWriter<T> writer =
                    new RetentionWriter<>(new Path(root), dataset, Duration.ofMillis(retentionMillis));
            writer.sweep(true);
            return writer;
        }
    }

    private static final class RetentionWriter<T> implements SinkWriter<T> {
        private static final long MIN_INTERVAL_MILLIS = 60_000L;
        private final Path root;
        private final String dataset;
        private final Duration retention;
        private long lastSweep;

        RetentionWriter(Path root, String dataset, Duration retention) {
            this.root = root;
            this.dataset = dataset;
            this.retention = retention;
        }

        void sweep(boolean force) {
            long now = System.currentTimeMillis();
            if (!force && now - lastSweep < MIN_INTERVAL_MILLIS) {
                return;
            }
            lastSweep = now;
            try {
                List<Path> deleted = purge(root, dataset, retention, now);
                if (!deleted.isEmpty()) {
                    LOG.info(
                            "Deleted {} hour partitions of {} older than the retention of {} days",
                            deleted.size(),
                            dataset,
                            retention.toHours() / 24.0);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot enforce the retention of " + dataset + " under " + root, e);
            }
        }

        @Override
        public void write(T element, Context context) {
            // The records go to the raw dataset's own sink; this one only deletes.
        }

        @Override
        public void flush(boolean endOfInput) {
            sweep(false);
        }

        @Override
        public void close() {}
    }
}
