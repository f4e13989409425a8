package io.eventstream.connectors.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;

/**
 * Figures about a dataset version read from its committed part files' footers (no data pages
 * read), on any Flink filesystem ({@code file://}, {@code hdfs://}, {@code s3://}).
 */
public final class DatasetStats {
    private static final ParquetReadOptions READ_OPTIONS =
            ParquetReadOptions.builder(new PlainParquetConfiguration()).build();

    private DatasetStats() {}

    /** Rows in all committed {@code *.parquet} files under a local version directory; 0 when it has none. */
    public static long rowCount(java.nio.file.Path versionDir) {
        return rowCount(new Path(versionDir.toAbsolutePath().toUri()));
    }

    /** Rows in all committed {@code *.parquet} files under a version directory (any URI); 0 when it has none. */
    public static long rowCount(Path versionDir) {
        try {
            FileSystem fs = versionDir.getFileSystem();
            return fs.exists(versionDir) ? rowCount(fs, versionDir) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the footers under " + versionDir, e);
        }
    }

    /** Committed part files ({@code *.parquet}, not hidden) under a version directory (any URI); 0 when it has none. */
    public static long partFileCount(Path versionDir) {
        try {
            FileSystem fs = versionDir.getFileSystem();
            return fs.exists(versionDir) ? partFileCount(fs, versionDir) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the part files under " + versionDir, e);
        }
    }

    private static long partFileCount(FileSystem fs, Path dir) throws IOException {
        long files = 0;
        for (FileStatus child : fs.listStatus(dir)) {
            String name = child.getPath().getName();
            if (child.isDir()) {
                files += partFileCount(fs, child.getPath());
            } else if (name.endsWith(".parquet") && !name.startsWith(".")) {
                files++;
            }
        }
        return files;
    }

    private static long rowCount(FileSystem fs, Path dir) throws IOException {
        long rows = 0;
        for (FileStatus child : fs.listStatus(dir)) {
            String name = child.getPath().getName();
            if (child.isDir()) {
                rows += rowCount(fs, child.getPath());
            } else if (name.endsWith(".parquet") && !name.startsWith(".")) {
                // Plain options: the default ones build a Hadoop Configuration (XML parsing) per file.
                try (ParquetFileReader reader =
                        ParquetFileReader.open(new FlinkInputFile(fs, child.getPath(), child.getLen()), READ_OPTIONS)) {
                    rows += reader.getRecordCount();
                }
            }
        }
        return rows;
    }
}
