package io.eventstream.connectors.parquet;

import static io.eventstream.connectors.parquet.DatasetTestSupport.DAY;
import static io.eventstream.connectors.parquet.DatasetTestSupport.SCHEMA;
import static io.eventstream.connectors.parquet.DatasetTestSupport.duckdb;
import static io.eventstream.connectors.parquet.DatasetTestSupport.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.ParquetWriter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Part files written one after another through one shared codec factory are the files a fresh factory writes. */
class SharedCodecFactoryTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Compression.class)
    void aSharedFactoryWritesTheSameBytesAsAFreshFactoryPerFile(Compression compression) throws IOException {
        SharedCodecFactory shared = new SharedCodecFactory();
        try {
            // Row counts: several pages per column (more than the 1 MiB page buffer holds), then small files.
            for (int rows : List.of(200_000, 300, 1, 4_000)) {
                Path viaShared = dir.resolve(compression + "-shared-" + rows + ".parquet");
                Path viaFresh = dir.resolve(compression + "-fresh-" + rows + ".parquet");
                write(viaShared, rows, compression, shared);
                SharedCodecFactory fresh = new SharedCodecFactory();
                write(viaFresh, rows, compression, fresh);
                fresh.releaseCodecs();

                assertThat(Files.readAllBytes(viaShared)).isEqualTo(Files.readAllBytes(viaFresh));
                assertThat(duckdb("SELECT count(*), sum(user_id), count(project_id) FROM read_parquet('" + viaShared
                                + "')"))
                        .containsExactly(List.of(
                                Integer.toString(rows),
                                Long.toString(expectedUserIdSum(rows)),
                                Integer.toString(rows - (rows + 4) / 5)));
            }
        } finally {
            shared.releaseCodecs();
        }
    }

    private static void write(Path file, int rows, Compression compression, SharedCodecFactory codecs)
            throws IOException {
        try (ParquetWriter<Object[]> writer = DatasetWriteSupport.open(
                new org.apache.parquet.io.LocalOutputFile(file), SCHEMA, compression, Map.of(), codecs)) {
            for (int i = 0; i < rows; i++) {
                writer.write(values(i, DAY + i));
            }
        }
    }

    /** {@code values(i, t)} has user id {@code 1000 + i % 7}. */
    private static long expectedUserIdSum(int rows) {
        long sum = 0;
        for (int i = 0; i < rows; i++) {
            sum += 1000 + i % 7;
        }
        return sum;
    }
}
