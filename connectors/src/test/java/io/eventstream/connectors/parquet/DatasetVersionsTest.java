package io.eventstream.connectors.parquet;

import static io.eventstream.connectors.parquet.DatasetTestSupport.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Version resolution: same fingerprint, same version; a new one gets {@code v<max+1>}. */
class DatasetVersionsTest {

    @TempDir
    Path root;

    @Test
    void sameFingerprintReusesItsVersionAndANewOneGetsTheNextNumber() throws Exception {
        Path v1 = DatasetVersions.resolve(root, SCHEMA, "{\"windows\":[\"1h\"]}", "fp-a");
        Path v2 = DatasetVersions.resolve(root, SCHEMA, "{\"windows\":[\"2h\"]}", "fp-b");
        String v1File = Files.readString(v1.resolve(DatasetVersions.FEATURE_SET_FILE));

        assertThat(v1).isEqualTo(root.resolve("test_rows/v1"));
        assertThat(v2).isEqualTo(root.resolve("test_rows/v2"));
        assertThat(DatasetVersions.resolve(root, SCHEMA, "{\"windows\":[\"1h\"]}", "fp-a"))
                .isEqualTo(v1);
        assertThat(DatasetVersions.resolve(root, SCHEMA, "{\"windows\":[\"2h\"]}", "fp-b"))
                .isEqualTo(v2);
        assertThat(Files.readString(v1.resolve(DatasetVersions.FEATURE_SET_FILE)))
                .isEqualTo(v1File);

        JsonNode recorded = new ObjectMapper()
                .readTree(v2.resolve(DatasetVersions.FEATURE_SET_FILE).toFile());
        assertThat(recorded.path("dataset").asText()).isEqualTo("test_rows");
        assertThat(recorded.path("version").asInt()).isEqualTo(2);
        assertThat(recorded.path("fingerprint").asText()).isEqualTo("fp-b");
        assertThat(recorded.path("feature_set").path("windows").get(0).asText()).isEqualTo("2h");
        assertThat(recorded.path("columns").get(1).path("parquet_type").asText())
                .isEqualTo("required int64 event_time (TIMESTAMP(MILLIS,true))");
        assertThat(recorded.path("columns").get(3).path("nullable").asBoolean()).isTrue();
    }

    @Test
    void numberingContinuesAfterTheHighestVersionAndSkipsInterruptedOnes() throws Exception {
        Files.createDirectories(root.resolve("test_rows/v3")); // creation interrupted: no _feature_set.json
        Files.createDirectories(root.resolve("test_rows/notes"));
        assertThat(DatasetVersions.resolve(root, SCHEMA, "{}", "fp-a")).isEqualTo(root.resolve("test_rows/v4"));
        assertThat(DatasetVersions.versions(root.resolve("test_rows"))).containsExactly(3, 4);
    }

    @Test
    void aFingerprintReusedForOtherColumnsIsRefused() {
        DatasetVersions.resolve(root, SCHEMA, "{}", "fp-a");
        List<Column> columns = new ArrayList<>(SCHEMA.columns());
        columns.set(2, Column.nullable("user_id", ColumnType.LONG, "user id"));
        DatasetSchema changed = new DatasetSchema(SCHEMA.name(), columns, SCHEMA.timeColumn());

        assertThatThrownBy(() -> DatasetVersions.resolve(root, changed, "{}", "fp-a"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fingerprint must cover the schema");
        assertThatThrownBy(() -> DatasetVersions.resolve(root, SCHEMA, "not json", "fp-c"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builderRequiresItsSettingsAndTakesLocalPathsAndUris() {
        assertThatThrownBy(() -> DatasetSink.builder().root(root).schema(SCHEMA).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("featureSet");
        assertThatThrownBy(() -> DatasetSink.builder()
                        .root("nofs://bucket/datasets")
                        .schema(SCHEMA)
                        .featureSet("{}", "fp")
                        .build())
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("nofs://bucket/datasets");
        assertThat(DatasetSink.builder()
                        .root(root.toUri().toString())
                        .schema(SCHEMA)
                        .featureSet("{}", "fp")
                        .build()
                        .versionDir())
                .isEqualTo(root.toAbsolutePath().resolve("test_rows/v1"));
    }
}
