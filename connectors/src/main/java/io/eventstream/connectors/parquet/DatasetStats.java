package io.eventstream.connectors.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;

/** Figures about a dataset version read from its committed part files' footers (no data pages read). */
public final class DatasetStats {
    private DatasetStats() {
    }

    /** Rows in all committed {@code *.parquet} files under a version directory; 0 when it has none. */
    public static long rowCount(Path versionDir) {
        if (!Files.isDirectory(versionDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(versionDir)) {
            long rows = 0;
            for (Path file : (Iterable<Path>) files.filter(DatasetStats::isCommittedPart)::iterator) {
                try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
                    rows += reader.getRecordCount();
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the footers under " + versionDir, e);
        }
    }

    private static boolean isCommittedPart(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".parquet") && !name.startsWith(".") && Files.isRegularFile(file);
    }
}
