package io.eventstream.connectors.archive;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.GroupType;

/**
 * Reads archive part files back into rows of {@link EventArchive#schema()} (values as the dataset
 * writer takes them: timestamps as epoch-millis {@code Long}), through Flink's {@link FileSystem}.
 * Parquet's example {@link Group} model is enough for flat rows; the adapter from Flink's input
 * streams to Parquet's {@link InputFile} is the only plumbing, because Parquet ships one for local
 * files and Hadoop paths only.
 */
public final class ArchiveFiles {

    private ArchiveFiles() {}

    /** Every row of one part file, in file order. Columns missing from the file (older versions) are null. */
    public static List<Object[]> read(Path file) throws IOException {
        List<Object[]> rows = new ArrayList<>();
        forEachRow(file, rows::add);
        return rows;
    }

    /** Streams the rows of one part file. */
    public static void forEachRow(Path file, Consumer<Object[]> consumer) throws IOException {
        DatasetSchema schema = EventArchive.schema();
        List<Column> columns = schema.columns();
        try (ParquetReader<Group> reader = new GroupReaderBuilder(new FlinkInputFile(file)).build()) {
            Group group;
            while ((group = reader.read()) != null) {
                GroupType type = group.getType();
                Object[] row = new Object[columns.size()];
                for (int i = 0; i < row.length; i++) {
                    String name = columns.get(i).name();
                    if (!type.containsField(name)) {
                        continue;
                    }
                    int field = type.getFieldIndex(name);
                    if (group.getFieldRepetitionCount(field) == 0) {
                        continue;
                    }
                    row[i] = switch (columns.get(i).type()) {
                        case STRING -> group.getString(field, 0);
                        case INT -> group.getInteger(field, 0);
                        case LONG, TIMESTAMP_MILLIS -> group.getLong(field, 0);
                        case DOUBLE -> group.getDouble(field, 0);
                        case BOOLEAN -> group.getBoolean(field, 0);
                    };
                }
                consumer.accept(row);
            }
        }
    }

    private static final class GroupReaderBuilder extends ParquetReader.Builder<Group> {
        GroupReaderBuilder(InputFile file) {
            super(file);
        }

        @Override
        protected ReadSupport<Group> getReadSupport() {
            return new GroupReadSupport();
        }
    }

    /** A Parquet input file over a Flink filesystem path. */
    private record FlinkInputFile(Path path) implements InputFile {
        @Override
        public long getLength() throws IOException {
            return path.getFileSystem().getFileStatus(path).getLen();
        }

        @Override
        public SeekableInputStream newStream() throws IOException {
            FSDataInputStream in = path.getFileSystem().open(path);
            return new DelegatingSeekableInputStream(in) {
                @Override
                public long getPos() throws IOException {
                    return in.getPos();
                }

                @Override
                public void seek(long position) throws IOException {
                    in.seek(position);
                }
            };
        }
    }
}
