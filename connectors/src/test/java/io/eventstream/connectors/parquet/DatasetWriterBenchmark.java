package io.eventstream.connectors.parquet;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * The CPU the datasets' Parquet writing costs, alone: reads every part file of a dataset version
 * (e.g. {@code reviewer_candidates/v1} of a {@code bench reviewers --keep} run), then writes each
 * file's rows again as one file, the way the job cut them, alternately with parquet-java's default
 * encodings and with the datasets' settings ({@link DatasetWriteSupport#open}), and prints the
 * writing thread's CPU seconds and the bytes written per round; asserts nothing. The rows are held
 * in memory, so the figures leave out the job's engine and state.
 *
 * <p>Run: {@code java -cp connectors/target/classes:connectors/target/test-classes:<deps> \
 * io.eventstream.connectors.parquet.DatasetWriterBenchmark VERSION_DIR [rounds] [zstd|snappy]}
 */
public final class DatasetWriterBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Every file is written here, measured and deleted before the next. */
    private static final String PART_FILE = "part.parquet";

    private DatasetWriterBenchmark() {}

    public static void main(String[] args) throws IOException {
        Path version = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Compression compression =
                args.length > 2 ? Compression.valueOf(args[2].toUpperCase(Locale.ROOT)) : Compression.ZSTD;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(version)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .sorted()
                    .toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .parquet files under " + version);
        }
        DatasetSchema schema = schemaOf(files.get(0));
        List<List<Object[]>> rowsPerFile = new ArrayList<>();
        long rows = 0;
        for (Path file : files) {
            List<Object[]> fileRows = ParquetRowFiles.read(file, schema);
            rowsPerFile.add(fileRows);
            rows += fileRows.size();
        }
        System.out.printf(
                Locale.ROOT,
                "%s: %,d files, %,d rows, %d columns, %s%n",
                version,
                files.size(),
                rows,
                schema.columns().size(),
                compression);
        Path out = Files.createTempDirectory("dataset-writer-benchmark");
        try {
            for (int round = 1; round <= rounds; round++) {
                for (boolean defaults : new boolean[] {true, false}) {
                    long cpu = THREADS.getCurrentThreadCpuTime();
                    long bytes = writeAll(out, schema, rowsPerFile, compression, defaults);
                    double seconds = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
                    System.out.printf(
                            Locale.ROOT,
                            "round %d  %-22s %6.2f CPU s  %,9.0f rows/CPU s  %,12d bytes%n",
                            round,
                            defaults ? "parquet-java defaults" : "dataset settings",
                            seconds,
                            rows / seconds,
                            bytes);
                }
            }
        } finally {
            Files.deleteIfExists(out.resolve(PART_FILE));
            Files.delete(out);
        }
    }

    private static long writeAll(
            Path out, DatasetSchema schema, List<List<Object[]>> rowsPerFile, Compression compression, boolean defaults)
            throws IOException {
        SharedCodecFactory codecs = new SharedCodecFactory();
        long bytes = 0;
        try {
            Path file = out.resolve(PART_FILE);
            for (List<Object[]> fileRows : rowsPerFile) {
                LocalOutputFile output = new LocalOutputFile(file);
                try (ParquetWriter<Object[]> writer = defaults
                        ? DatasetWriteSupport.withParquetDefaults(output, schema, compression, Map.of(), codecs)
                                .build()
                        : DatasetWriteSupport.open(output, schema, compression, Map.of(), codecs)) {
                    for (Object[] row : fileRows) {
                        writer.write(row);
                    }
                }
                bytes += Files.size(file);
                Files.delete(file);
            }
        } finally {
            codecs.releaseCodecs();
        }
        return bytes;
    }

    /** The dataset schema a file was written with, from its Parquet schema (the inverse of the writer's mapping). */
    private static DatasetSchema schemaOf(Path file) throws IOException {
        MessageType message;
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            message = reader.getFooter().getFileMetaData().getSchema();
        }
        List<Column> columns = new ArrayList<>();
        String timeColumn = null;
        for (Type field : message.getFields()) {
            PrimitiveType primitive = field.asPrimitiveType();
            LogicalTypeAnnotation logical = primitive.getLogicalTypeAnnotation();
            ColumnType type = switch (primitive.getPrimitiveTypeName()) {
                case BINARY -> ColumnType.STRING;
                case INT32 -> ColumnType.INT;
                case INT64 ->
                    logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation
                            ? ColumnType.TIMESTAMP_MILLIS
                            : ColumnType.LONG;
                case DOUBLE -> ColumnType.DOUBLE;
                case BOOLEAN -> ColumnType.BOOLEAN;
                default -> throw new IllegalArgumentException("unexpected column type in " + field);
            };
            boolean nullable = field.getRepetition() == Type.Repetition.OPTIONAL;
            if (type == ColumnType.TIMESTAMP_MILLIS && !nullable && timeColumn == null) {
                timeColumn = field.getName();
            }
            columns.add(new Column(field.getName(), type, nullable, ""));
        }
        return new DatasetSchema(message.getName(), columns, timeColumn);
    }
}
