package io.eventstream.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.connectors.parquet.Compression;
import io.eventstream.connectors.parquet.ParquetRowFiles;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The served log as a Parquet dataset {@code served_features}: one file per {@code rowsPerFile}
 * answers ({@code part-<log start, epoch millis>-<sequence>.parquet}) and one at close, each
 * written whole under a hidden name and then renamed (readers never see partial files).
 * Values are stored as a JSON object ({@code values_json}) so one schema serves every endpoint
 * and feature set. No text bodies: answers hold only feature values.
 */
public final class ParquetServedLog implements ServedLog {
    public static final DatasetSchema SCHEMA = new DatasetSchema(
            "served_features",
            List.of(
                    Column.required("endpoint", ColumnType.STRING, "spam_user or reviewer_candidates. Never null."),
                    Column.required(
                            "entity",
                            ColumnType.STRING,
                            "The entity's key: the user id; project:author:candidate for reviewer candidates. Never null."),
                    Column.required(
                            "request_time",
                            ColumnType.TIMESTAMP_MILLIS,
                            "The request time the values are as of. Never null."),
                    Column.required(
                            "served_time", ColumnType.TIMESTAMP_MILLIS, "When the answer was computed. Never null."),
                    Column.required(
                            "feature_set_version",
                            ColumnType.STRING,
                            "Fingerprint of the feature set the values were computed under. Never null."),
                    Column.required(
                            "values_json",
                            ColumnType.STRING,
                            "The served values: a JSON object of column name to value (numbers, strings, booleans, null). "
                                    + "Never null.")),
            "request_time");

    private final Path directory;
    private final int rowsPerFile;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Object[]> buffer = new ArrayList<>();
    private final long startedMillis;
    private long sequence;

    public ParquetServedLog(Path directory, int rowsPerFile, Clock clock) {
        if (rowsPerFile <= 0) {
            throw new IllegalArgumentException("rowsPerFile must be positive");
        }
        this.directory = directory;
        this.rowsPerFile = rowsPerFile;
        this.clock = clock;
        this.startedMillis = clock.millis();
    }

    @Override
    public synchronized void served(
            String endpoint,
            String entity,
            long requestTimeMillis,
            Map<String, Object> values,
            String featureSetVersion) {
        String valuesJson;
        try {
            valuesJson = json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("feature values are numbers, strings and booleans", e);
        }
        buffer.add(new Object[] {endpoint, entity, requestTimeMillis, clock.millis(), featureSetVersion, valuesJson});
        if (buffer.size() >= rowsPerFile) {
            flush();
        }
    }

    /** Writes the buffered answers as one file (nothing when none are buffered). */
    public synchronized void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        Path file = directory.resolve("part-" + startedMillis + "-" + String.format("%06d", sequence++) + ".parquet");
        try {
            ParquetRowFiles.write(file, SCHEMA, buffer, Compression.ZSTD);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the served log " + file, e);
        }
        buffer.clear();
    }

    @Override
    public synchronized void close() {
        flush();
    }

    /** Every logged answer under a served-log directory (rows in {@link #SCHEMA} order), files in name order. */
    public static List<Object[]> readAll(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(f -> f.getFileName().toString().startsWith("part-")
                            && f.getFileName().toString().endsWith(".parquet"))
                    .sorted()
                    .toList();
        }
        List<Object[]> rows = new ArrayList<>();
        for (Path file : files) {
            rows.addAll(ParquetRowFiles.read(file, SCHEMA));
        }
        return rows;
    }
}
