package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstream.connectors.parquet.DatasetSink;
import io.eventstream.features.config.HashKeyId;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.jobs.cli.SourceOptions;
import io.eventstream.jobs.testing.SpamTestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hash key takes part in the spam_features fingerprint through its id: another key is another
 * version, the same key finds its version again (and, as a fresh run, is refused there), and
 * {@code _feature_set.json} records the id, never the key. Only the job graphs are built. The
 * other datasets hold no hash, so they keep their version: a run with a rotated key into the same
 * root must replace them (or write to another root), or it would duplicate their rows.
 */
class SpamDatasetKeyVersionTest {

    @Test
    void anotherHashKeyWritesAnotherVersion(@TempDir Path out) throws Exception {
        byte[] key = SpamTestData.hashKey();
        byte[] other = "a-rotated-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

        Path v1 = attach(out, key, false);
        assertThatThrownBy(() -> attach(out, other, false))
                .as("spam_labels v1 holds the first run's rows")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("spam_labels");
        Path v2 = attach(out, other, true);
        assertThat(v1).isEqualTo(out.resolve(SpamFeatureSet.FEATURES_DATASET).resolve("v1"));
        assertThat(v2).isEqualTo(out.resolve(SpamFeatureSet.FEATURES_DATASET).resolve("v2"));

        String recorded = Files.readString(v1.resolve("_feature_set.json"));
        assertThat(recorded)
                .contains("\"hash_key_id\" : \"" + HashKeyId.of(key) + "\"")
                .doesNotContain(new String(key, StandardCharsets.UTF_8));
        assertThat(Files.readString(v2.resolve("_feature_set.json"))).contains(HashKeyId.of(other));

        assertThatThrownBy(() -> attach(out, key, false))
                .as("the first key's version again: a rerun, refused")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(v1.toString());
    }

    private static Path attach(Path out, byte[] key, boolean replace) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(1000);
        SpamOutputs outputs =
                new SpamOutputs(out.toString(), "sqlite:" + out.resolve("online.sqlite"), null, null, replace);
        return DatasetSink.localDirs(SpamTopology.defineWorkflow(
                        env,
                        SourceOptions.files(List.of(SpamTestData.eventsFile())),
                        SpamTestData.FEATURE_SET,
                        key,
                        outputs))
                .get(SpamFeatureSet.FEATURES_DATASET);
    }
}
