package io.eventstream.connectors.parquet;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * Whole Parquet files of dataset rows outside Flink (small logs such as what the serving endpoint
 * served), written with the datasets' own column mapping ({@link DatasetWriteSupport}) so any
 * Parquet reader sees the same types as in the datasets.
 */
public final class ParquetRowFiles {
    private ParquetRowFiles() {}

    /**
     * Writes {@code rows} (checked against the schema) as one file: first to a hidden file beside
     * it, then renamed, so a reader listing the directory never sees a partial file.
     */
    public static void write(Path file, DatasetSchema schema, List<Object[]> rows, Compression compression)
            throws IOException {
        for (Object[] row : rows) {
            String problem = schema.check(row);
            if (problem != null) {
                throw new IllegalArgumentException("row does not fit " + schema.name() + ": " + problem);
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path hidden = file.resolveSibling("." + file.getFileName() + ".inprogress");
        Files.deleteIfExists(hidden);
        SharedCodecFactory codecs = new SharedCodecFactory();
        try (ParquetWriter<Object[]> writer =
                DatasetWriteSupport.open(new LocalOutputFile(hidden), schema, compression, Map.of(), codecs)) {
            for (Object[] row : rows) {
                writer.write(row);
            }
        } finally {
            codecs.releaseCodecs();
        }
        Files.move(hidden, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The rows of a file written with {@code schema}'s columns (by name), in file order. */
    public static List<Object[]> read(Path file, DatasetSchema schema) throws IOException {
        List<Object[]> rows = new ArrayList<>();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory()
                        .getColumnIO(fileSchema)
                        .getRecordReader(pages, new GroupRecordConverter(fileSchema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    rows.add(values(records.read(), schema));
                }
            }
        }
        return rows;
    }

    private static Object[] values(Group group, DatasetSchema schema) {
        Object[] row = new Object[schema.columns().size()];
        for (int i = 0; i < row.length; i++) {
            Column c = schema.columns().get(i);
            if (group.getFieldRepetitionCount(c.name()) == 0) {
                continue;
            }
            row[i] = switch (c.type()) {
                case STRING -> group.getString(c.name(), 0);
                case INT -> group.getInteger(c.name(), 0);
                case LONG, TIMESTAMP_MILLIS -> group.getLong(c.name(), 0);
                case DOUBLE -> group.getDouble(c.name(), 0);
                case BOOLEAN -> group.getBoolean(c.name(), 0);
            };
        }
        return row;
    }
}
