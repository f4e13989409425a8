package io.eventstream.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.parquet.DatasetSink;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.generator.GeneratorConfig;
import io.eventstream.generator.SyntheticEventGenerator;
import io.eventstream.jobs.cli.SourceOptions;
import io.eventstream.jobs.spam.SpamOutputs;
import io.eventstream.jobs.spam.SpamTopology;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs' execution environment: where checkpoints go, and object reuse, which it turns on; this
 * proves that safe for the spam job (the same events give the same datasets and online table with and
 * without it).
 */
class JobEnvironmentTest {

    private static final SpamJobConfig CONFIG =
            SpamJobConfig.parse("hashing:\n  key: object-reuse-test-key-0123\ncheckpoint:\n  interval: 1s\n");

    @TempDir
    Path temp;

    @Test
    void environmentReusesObjects() throws Exception {
        assertThat(JobEnvironment.create(null, 1000).getConfig().isObjectReuseEnabled())
                .isTrue();
    }

    @Test
    void checkpointsGoToFilesNeverToTheJobManagersMemory() throws Exception {
        // Flink's default storage refuses a subtask's state above 5 MiB: a busy project's reviewer state.
        Path explicit = temp.resolve("checkpoints");
        ReadableConfig given = JobEnvironment.create(null, 1000, explicit).getConfiguration();
        assertThat(given.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
        assertThat(given.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
                .isEqualTo(explicit.toUri().toString());

        ReadableConfig local = JobEnvironment.create(null, 1000).getConfiguration();
        assertThat(local.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
        assertThat(Path.of(URI.create(local.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))))
                .isDirectory();
    }

    @Test
    void checkpointsGoToTheGivenUriOfAnyFilesystem() throws Exception {
        ReadableConfig onS3 = JobEnvironment.checkpointingTo(2, 1000, "s3://bench/run-1-checkpoints")
                .getConfiguration();
        assertThat(onS3.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
        assertThat(onS3.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("s3://bench/run-1-checkpoints");
    }

    @Test
    void objectReuseLeavesTheSpamOutputsUnchanged() throws Exception {
        Path events = temp.resolve("events.jsonl");
        CloudEventJson json = new CloudEventJson();
        SyntheticEventGenerator generator = new SyntheticEventGenerator(GeneratorConfig.of(3, 40, 6, 10));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(events))) {
            for (int i = 0; i < 2500 && generator.hasNext(); i++) {
                out.write(json.write(generator.next()));
                out.write('\n');
            }
        }

        Outputs reused = run(events, temp.resolve("reuse"), true);
        Outputs copied = run(events, temp.resolve("copy"), false);

        assertThat(reused.features()).hasSizeGreaterThan(300).isEqualTo(copied.features());
        assertThat(reused.labels()).isNotEmpty().isEqualTo(copied.labels());
        assertThat(reused.online()).hasSizeGreaterThan(10).isEqualTo(copied.online());
    }

    private record Outputs(List<List<Object>> features, List<List<Object>> labels, List<List<Object>> online) {}

    private Outputs run(Path events, Path out, boolean objectReuse) throws Exception {
        StreamExecutionEnvironment env = JobEnvironment.create(2, CONFIG.checkpointIntervalMillis());
        if (!objectReuse) {
            env.getConfig().disableObjectReuse();
        }
        Path online = out.resolve("online.sqlite");
        byte[] key = CONFIG.resolveHashKey(Map.of());
        Map<String, Path> datasets = DatasetSink.localDirs(SpamTopology.defineWorkflow(
                env,
                SourceOptions.files(List.of(events)),
                new SpamFeatureSet(CONFIG),
                key,
                new SpamOutputs(out.resolve("datasets"), "sqlite:" + online, null, null)));
        env.execute("object reuse " + objectReuse);
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + online)) {
            return new Outputs(
                    query(
                            duckdb,
                            "SELECT * FROM read_parquet('" + datasets.get(SpamFeatureSet.FEATURES_DATASET)
                                    + "/**/*.parquet') ORDER BY ALL"),
                    query(
                            duckdb,
                            "SELECT * FROM read_parquet('" + datasets.get(SpamLabels.DATASET)
                                    + "/**/*.parquet') ORDER BY ALL"),
                    // expires_at is set from the wall clock at write time.
                    query(sqlite, "SELECT * FROM " + SpamFeatureSet.ONLINE_TABLE + " ORDER BY user_id", "expires_at"));
        }
    }

    private static List<List<Object>> query(Connection connection, String sql, String... skipColumns) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    if (!List.of(skipColumns).contains(meta.getColumnName(i))) {
                        row.add(String.valueOf(rs.getObject(i)));
                    }
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
