package io.eventstream.jobs.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.deadletter.DeadLetters;
import io.eventstream.connectors.online.OnlineTableReader;
import io.eventstream.connectors.online.OnlineTableSpec;
import io.eventstream.connectors.source.EventSources;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.generator.GeneratorConfig;
import io.eventstream.features.generator.SyntheticEventGenerator;
import io.eventstream.features.reviewers.NaiveReviewerReference;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.jobs.common.LateRows;
import io.eventstream.jobs.testing.DuckDbDatasets;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.RowSets;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reviewer job against the naive reference on a generated year of activity in a few projects:
 * every candidate row, label row and final online row, every column, read back independently
 * (DuckDB for the datasets, the store's reader for SQLite), at parallelism 2 and 4.
 */
@ExtendWith(FlinkTestCluster.class)
class ReviewerJobReferenceTest {
    private static final ReviewerJobConfig CONFIG = ReviewerJobConfig.parse("checkpoint:\n  interval: 2s\n");
    private static final ReviewerFeatureSet FEATURE_SET = new ReviewerFeatureSet(CONFIG);

    @TempDir
    static Path data;

    private static List<CloudEvent> events;
    private static Path eventsFile;
    private static NaiveReviewerReference.Result expected;

    @BeforeAll
    static void generate() throws Exception {
        events = SyntheticEventGenerator.generateAll(GeneratorConfig.of(2024_0601L, 16, 2, 365));
        eventsFile = data.resolve("events.jsonl");
        CloudEventJson json = new CloudEventJson();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(eventsFile))) {
            for (CloudEvent event : events) {
                out.write(json.write(event));
                out.write('\n');
            }
        }
        expected = new NaiveReviewerReference(FEATURE_SET).compute(events);
    }

    @Test
    void candidatesLabelsAndOnlineTablesEqualTheNaiveReference() throws Exception {
        assertThat(expected.candidateRows()).as("candidate rows of the generated year").hasSizeGreaterThan(200);
        assertThat(expected.labelRows()).as("label rows of the generated year").hasSizeGreaterThan(100);
        Run run = run(data.resolve("p2"), 2);

        assertSameRows("reviewer_candidates", FEATURE_SET.candidateSchema(), List.of("event_id", "candidate_id"),
                expected.candidateRows(), run.rows(ReviewerFeatureSet.CANDIDATES_DATASET, FEATURE_SET.candidateSchema()));
        assertSameRows("reviewer_labels", FEATURE_SET.labelSchema(), List.of("label_event_id", "user_id", "kind"),
                expected.labelRows(), run.rows(ReviewerFeatureSet.LABELS_DATASET, FEATURE_SET.labelSchema()));
        assertThat(run.rows(ReviewerOutputs.LATE_EVENTS, LateRows.SCHEMA)).as("late events").isEmpty();
        assertThat(run.rows(ReviewerOutputs.DEAD_LETTERS, DeadLetters.schema())).as("dead letters").isEmpty();

        RowSets.assertSameRows(ReviewerFeatureSet.ONLINE_USER_TABLE, FEATURE_SET.onlineUserSchema(),
                expected.onlineUserRows(), run.online(FEATURE_SET.onlineUserSchema(), ReviewerFeatureSet.ONLINE_USER_KEY));
        RowSets.assertSameRows(ReviewerFeatureSet.ONLINE_PATH_TABLE, FEATURE_SET.onlinePathSchema(),
                expected.onlinePathRows(), run.online(FEATURE_SET.onlinePathSchema(), ReviewerFeatureSet.ONLINE_PATH_KEY));
    }

    @Test
    void parallelismFourWritesTheReferenceRowsToo() throws Exception {
        Run four = run(data.resolve("p4"), 4);
        assertSameRows("reviewer_candidates at parallelism 4", FEATURE_SET.candidateSchema(),
                List.of("event_id", "candidate_id"), expected.candidateRows(),
                four.rows(ReviewerFeatureSet.CANDIDATES_DATASET, FEATURE_SET.candidateSchema()));
        RowSets.assertSameRows("online (project, user) at parallelism 4", FEATURE_SET.onlineUserSchema(),
                expected.onlineUserRows(), four.online(FEATURE_SET.onlineUserSchema(), ReviewerFeatureSet.ONLINE_USER_KEY));
    }

    /** A finished run: its dataset versions and online store. */
    private record Run(Map<String, Path> versions, String onlineUri) {
        List<Object[]> rows(String dataset, DatasetSchema schema) {
            Path version = versions.get(dataset);
            return DuckDbDatasets.parquetFiles(version).isEmpty() ? List.of() : DuckDbDatasets.rows(version, schema);
        }

        Map<List<Object>, Object[]> online(DatasetSchema schema, List<String> key) {
            OnlineTableSpec spec = new OnlineTableSpec(schema, key, Duration.ofMillis(CONFIG.onlineTtlMillis()),
                    FEATURE_SET.fingerprint());
            Map<List<Object>, Object[]> rows = new LinkedHashMap<>();
            try (OnlineTableReader reader = OnlineTableReader.open(onlineUri, spec)) {
                reader.scan().forEach((k, values) -> {
                    assertThat(values.get(OnlineTableSpec.FEATURE_SET_VERSION)).isEqualTo(FEATURE_SET.fingerprint());
                    Object[] row = new Object[schema.columns().size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = values.get(schema.columns().get(i).name());
                    }
                    rows.put(k, row);
                });
            }
            return rows;
        }
    }

    private static Run run(Path out, int parallelism) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false); // any Kryo fallback fails the job
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(CONFIG.checkpointIntervalMillis());
        DataStream<RawEvent> raw = env.fromSource(
                EventSources.jsonLines(new org.apache.flink.core.fs.Path(eventsFile.toUri())),
                ReviewerTopology.watermarks(CONFIG), "events").returns(TypeInformation.of(RawEvent.class));
        String onlineUri = "sqlite:" + out.resolve("online/reviewer_features.sqlite");
        Map<String, Path> versions = new ReviewerOutputs(out, onlineUri).attach(ReviewerTopology.define(raw, CONFIG), CONFIG);
        env.execute("reviewer reference p" + parallelism);
        return new Run(versions, onlineUri);
    }

    /** Same rows under a composite key; row order does not matter. */
    private static void assertSameRows(String what, DatasetSchema schema, List<String> keyColumns,
            List<Object[]> expectedRows, List<Object[]> actualRows) {
        RowSets.assertSameRows(what, schema, byKey(schema, keyColumns, expectedRows), byKey(schema, keyColumns, actualRows));
    }

    private static Map<List<Object>, Object[]> byKey(DatasetSchema schema, List<String> keyColumns, List<Object[]> rows) {
        Map<List<Object>, Object[]> keyed = new LinkedHashMap<>();
        for (Object[] row : rows) {
            List<Object> key = new ArrayList<>();
            keyColumns.forEach(c -> key.add(row[schema.indexOf(c)]));
            assertThat(keyed.put(key, row)).as("one row per key %s", key).isNull();
        }
        return keyed;
    }
}
