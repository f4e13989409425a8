package io.eventstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.generator.GeneratorConfig;
import io.eventstream.features.generator.SyntheticEventGenerator;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.spam.SpamOutputs;
import io.eventstream.jobs.spam.SpamTopology;
import java.io.BufferedOutputStream;
import java.net.URI;
import java.io.OutputStream;
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
 * Where the run commands write (command-line options over the config file), and the jobs'
 * execution environment: it turns object reuse on, and this proves that safe for the spam job (the
 * same events give the same datasets and online table with and without it).
 */
class JobOutputOptionsTest {

    private static final SpamJobConfig CONFIG = SpamJobConfig.parse(
            "hashing:\n  key: object-reuse-test-key-0123\ncheckpoint:\n  interval: 1s\n");

    @TempDir
    Path temp;

    @Test
    void environmentReusesObjects() throws Exception {
        assertThat(JobOutputOptions.environment(null, 1000).getConfig().isObjectReuseEnabled()).isTrue();
    }

    @Test
    void checkpointsGoToFilesNeverToTheJobManagersMemory() throws Exception {
        // Flink's default storage refuses a subtask's state above 5 MiB: a busy project's reviewer state.
        Path explicit = temp.resolve("checkpoints");
        ReadableConfig given = JobOutputOptions.environment(null, 1000, explicit).getConfiguration();
        assertThat(given.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
        assertThat(given.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo(explicit.toUri().toString());

        ReadableConfig local = JobOutputOptions.environment(null, 1000).getConfiguration();
        assertThat(local.get(CheckpointingOptions.CHECKPOINT_STORAGE)).isEqualTo("filesystem");
        assertThat(Path.of(URI.create(local.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)))).isDirectory();
    }

    @Test
    void commandLineOutputsOverrideTheConfig() {
        SpamJobConfig redis = SpamJobConfig.parse(CONFIG.yaml() + "dataset:\n  root: /data/ds\n"
                + "online:\n  backend: redis\n  redis_url: redis://10.0.0.5:6380\n");
        ReviewerJobConfig sqlite = ReviewerJobConfig.parse("online:\n  sqlite_path: /var/features/reviewers.db\n");
        JobOutputOptions none = new JobOutputOptions();
        assertThat(none.datasetRoot(redis)).isEqualTo("/data/ds");
        assertThat(new JobOutputOptions().datasetRoot(SpamJobConfig.parse(CONFIG.yaml()
                + "dataset:\n  root: s3://training/datasets\n"))).isEqualTo("s3://training/datasets");
        assertThat(none.onlineStore(redis)).isEqualTo("redis://10.0.0.5:6380");
        assertThat(none.onlineStore(sqlite)).isEqualTo("sqlite:/var/features/reviewers.db");

        JobOutputOptions out = new JobOutputOptions();
        out.out = "/tmp/run1";
        assertThat(out.datasetRoot(redis)).isEqualTo("/tmp/run1");
        assertThat(out.onlineStore(redis)).as("redis stays where the config says").isEqualTo("redis://10.0.0.5:6380");
        assertThat(out.onlineStore(sqlite)).isEqualTo("sqlite:/tmp/run1/online/reviewers.db");

        out.online = "sqlite:/elsewhere.db";
        assertThat(out.onlineStore(redis)).isEqualTo("sqlite:/elsewhere.db");
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

    private record Outputs(List<List<Object>> features, List<List<Object>> labels, List<List<Object>> online) {
    }

    private Outputs run(Path events, Path out, boolean objectReuse) throws Exception {
        StreamExecutionEnvironment env = JobOutputOptions.environment(2, CONFIG.checkpointIntervalMillis());
        if (!objectReuse) {
            env.getConfig().disableObjectReuse();
        }
        Path online = out.resolve("online.sqlite");
        byte[] key = CONFIG.resolveHashKey(Map.of());
        Map<String, Path> datasets = new SpamOutputs(out.resolve("datasets"), "sqlite:" + online, null, null)
                .attach(SpamTopology.define(SourceOptions.files(List.of(events)).create(env, SpamTopology.watermarks(CONFIG)), CONFIG, key), CONFIG);
        env.execute("object reuse " + objectReuse);
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
             Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + online)) {
            return new Outputs(
                    query(duckdb, "SELECT * FROM read_parquet('" + datasets.get(SpamFeatureSet.FEATURES_DATASET)
                            + "/**/*.parquet') ORDER BY ALL"),
                    query(duckdb, "SELECT * FROM read_parquet('" + datasets.get(SpamLabels.DATASET)
                            + "/**/*.parquet') ORDER BY ALL"),
                    // expires_at is set from the wall clock at write time.
                    query(sqlite, "SELECT * FROM " + SpamFeatureSet.ONLINE_TABLE + " ORDER BY user_id", "expires_at"));
        }
    }

    private static List<List<Object>> query(Connection connection, String sql, String... skipColumns) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
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
