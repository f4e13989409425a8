package io.eventstream.connectors.parquet;

import static io.eventstream.connectors.parquet.DatasetTestSupport.DAY;
import static io.eventstream.connectors.parquet.DatasetTestSupport.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.datasets.ColumnType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The datasets' Parquet settings, read back from a written file's footer. */
class DatasetWriteSupportTest {

    @Test
    void onlyStringColumnsAreDictionaryEncodedAndNoSizeStatisticsAreWritten(@TempDir Path dir) throws Exception {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(DatasetTestSupport.values(i % 7, DAY + i)); // repeated values: a dictionary would be kept
        }
        Path file = dir.resolve("part.parquet");
        ParquetRowFiles.write(file, SCHEMA, rows, Compression.ZSTD);

        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            List<ColumnChunkMetaData> chunks =
                    reader.getFooter().getBlocks().get(0).getColumns();
            assertThat(chunks).hasSize(SCHEMA.columns().size());
            for (int i = 0; i < chunks.size(); i++) {
                ColumnChunkMetaData chunk = chunks.get(i);
                boolean string = SCHEMA.columns().get(i).type() == ColumnType.STRING;
                assertThat(chunk.hasDictionaryPage())
                        .as(chunk.getPath().toDotString())
                        .isEqualTo(string);
                assertThat(chunk.getEncodingStats().hasDictionaryEncodedPages())
                        .as(chunk.getPath().toDotString())
                        .isEqualTo(string);
                assertThat(chunk.getSizeStatistics() == null
                                || !chunk.getSizeStatistics().isValid())
                        .as(chunk.getPath().toDotString())
                        .isTrue();
            }
        }
        List<Object[]> read = ParquetRowFiles.read(file, SCHEMA);
        assertThat(read).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(read.get(i)).containsExactly(rows.get(i));
        }
    }
}
