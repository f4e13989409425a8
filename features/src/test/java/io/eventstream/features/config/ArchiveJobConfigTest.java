package io.eventstream.features.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ArchiveJobConfigTest {

    @Test
    void theCommittedFileSpellsOutTheDefaults() {
        ArchiveJobConfig file = ArchiveJobConfig.load(Path.of("..", "deploy", "config", "archive.yaml"));
        ArchiveJobConfig defaults = ArchiveJobConfig.defaults();
        for (ConfigOption<?> option : ArchiveJobConfig.OPTIONS) {
            assertThat((Object) file.get(option)).as(option.key()).isEqualTo(defaults.get(option));
        }
        assertThat(defaults.archiveRoot()).isEqualTo("out/archive");
        assertThat(defaults.retention()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void readsItsKeys() {
        ArchiveJobConfig config = ArchiveJobConfig.parse("""
                archive: { root: /data/archive, retention: 30d }
                time: { max_out_of_orderness: 10s, allowed_lateness: 1m }
                checkpoint: { interval: 5s }
                dataset: { compression: snappy }
                """);
        assertThat(config.archiveRoot()).isEqualTo("/data/archive");
        assertThat(config.retention()).isEqualTo(Duration.ofDays(30));
        assertThat(config.maxOutOfOrdernessMillis()).isEqualTo(10_000);
        assertThat(config.allowedLatenessMillis()).isEqualTo(60_000);
        assertThat(config.checkpointIntervalMillis()).isEqualTo(5_000);
        assertThat(config.datasetCompression()).isEqualTo(DatasetCompression.SNAPPY);
    }

    @Test
    void problemsNameTheirKeys() {
        assertThatThrownBy(() -> ArchiveJobConfig.parse("archive: { retention: forever, rot: x }\nwindows: {}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("archive.retention")
                .hasMessageContaining("archive.rot")
                .hasMessageContaining("windows");
        assertThatThrownBy(() -> ArchiveJobConfig.parse("archive: { retention: 0d }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("archive.retention");
    }
}
