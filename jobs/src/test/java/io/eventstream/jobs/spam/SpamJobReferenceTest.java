package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.online.OnlineTableReader;
import io.eventstream.connectors.spam.SpamOnlineReader;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.OrderedInput;
import io.eventstream.features.spam.SpamFeatureEngine;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamInputs;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.features.spam.SpamUserState;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.MixedInput;
import io.eventstream.jobs.testing.RowSets;
import io.eventstream.jobs.testing.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import io.eventstream.jobs.testing.SqliteOnlineTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole job against the naive reference on about 107,000 generated events: the command-line
 * run ({@code eventstream run spam}, file source, parallelism 2) writes exactly the reference's
 * rows, every column, read back with DuckDB; the SQLite online table holds exactly the reference's
 * latest row per user, stamped with the feature set's fingerprint. Runs at parallelism 1 and 4 over
 * the same events with bad, duplicated, future-dated and late input mixed in write the same.
 */
@ExtendWith(FlinkTestCluster.class)
class SpamJobReferenceTest {

    @Test
    void featuresLabelsAndOnlineTableEqualTheNaiveReference() throws Exception {
        SpamJobRun run = SpamTestData.cliRun();
        SpamTestData.Expected expected = SpamTestData.expected();
        assertThat(SpamTestData.events()).hasSizeGreaterThanOrEqualTo(100_000);
        assertThat(expected.features())
                .as("content events in the generated data")
                .hasSizeGreaterThan(40_000);
        assertThat(expected.labels()).as("label events in the generated data").hasSizeGreaterThan(500);

        RowSets.assertSameRows(
                "spam_features",
                SpamTestData.FEATURE_SET.featureSchema(),
                "event_id",
                expected.features(),
                run.features());
        RowSets.assertSameRows("spam_labels", SpamLabels.SCHEMA, "label_event_id", expected.labels(), run.labels());
        assertThat(run.lateEvents())
                .as("late events: the generator's jitter stays within the watermark bound")
                .isEmpty();
        assertThat(run.deadLetters())
                .as("dead letters: every generated event is valid")
                .isEmpty();

        SqliteOnlineTable.Content<Long> online = run.online();
        RowSets.assertSameRows(
                SpamFeatureSet.ONLINE_TABLE, SpamTestData.FEATURE_SET.onlineSchema(), expected.online(), online.rows());
        assertThat(online.versions().values())
                .as("feature_set_version of every online row")
                .containsOnly(SpamTestData.FEATURE_SET.fingerprint());
    }

    /**
     * The same events with duplicates, conflicting copies, future-dated, malformed and very late
     * events mixed in ({@link MixedInput}), at parallelism 1 and 4 (2, after a failure, is
     * {@link SpamJobFailureTest}): exactly the reference's rows, the expected dead letters and late rows.
     */
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 4})
    void mixedInputGivesTheReferenceRowsPlusDeadLettersAndLateRows(int parallelism, @TempDir Path out)
            throws Exception {
        MixedInput mixed = SpamTestData.mixedInput();
        assertThat(mixed.duplicates()).as("identical redeliveries").isGreaterThan(100);
        assertThat(mixed.deadLetters())
                .extracting(d -> d.get(1))
                .contains("DUPLICATE_CONFLICT", "FUTURE_TIME", "MALFORMED_JSON", "INVALID_FIELD", "BAD_TIMESTAMP");
        SpamJobRun run = JobUnderTest.files(SpamTestData.JOB, mixed.file())
                .parallelism(parallelism)
                .run(out);
        SpamTestData.assertMixedRun(run, "at parallelism " + parallelism);
    }

    /**
     * {@code spam_user_state} holds, for every user, a state that reads exactly like the engine's state
     * after all of the user's events (driven here event by event, without Flink), as of the user's last
     * event, an hour later and when the stream ends; and {@code event_time} is that last event.
     */
    @Test
    void stateTableReadsLikeTheEngineAfterEveryEventOfTheUser() throws Exception {
        SpamJobRun run = SpamTestData.cliRun();
        SpamFeatureEngine engine = new SpamFeatureEngine(SpamTestData.FEATURE_SET);
        SpamInputs reduce = new SpamInputs(SpamTestData.CONFIG, SpamTestData.hashKey());
        List<SpamInput> inputs = new ArrayList<>();
        for (CloudEvent event : SpamTestData.events()) {
            SpamInput input = reduce.from(event);
            if (input != null) {
                inputs.add(input);
            }
        }
        inputs.sort(OrderedInput::compareOrder);
        Map<Long, SpamUserState> states = new TreeMap<>();
        for (SpamInput input : inputs) {
            engine.apply(states.computeIfAbsent(input.userId, u -> engine.newState()), input);
        }
        long end = inputs.get(inputs.size() - 1).timeMillis;
        Map<List<Object>, Map<String, Object>> rows;
        try (OnlineTableReader table = OnlineTableReader.open(
                "sqlite:" + run.sqliteFile(), SpamOnlineReader.stateTable(SpamTestData.FEATURE_SET))) {
            rows = table.scan();
        }
        assertThat(rows).hasSameSizeAs(states);
        try (SpamOnlineReader reader = SpamOnlineReader.open("sqlite:" + run.sqliteFile(), SpamTestData.CONFIG)) {
            for (Map.Entry<Long, SpamUserState> user : states.entrySet()) {
                long last = user.getValue().lastActivityMillis();
                assertThat(rows.get(List.of(user.getKey())))
                        .as("row of user %d", user.getKey())
                        .containsEntry("event_time", last);
                for (long t : new long[] {last, last + 3_600_000L, end}) {
                    assertThat(reader.asOf(user.getKey(), t))
                            .as("user %d at %d", user.getKey(), t)
                            .isEqualTo(named(engine.asOf(user.getKey(), user.getValue(), t)));
                }
            }
        }
    }

    private static Map<String, Object> named(Object[] row) {
        Map<String, Object> named = new LinkedHashMap<>();
        for (Column column : SpamTestData.FEATURE_SET.onlineSchema().columns()) {
            named.put(
                    column.name(), row[SpamTestData.FEATURE_SET.featureSchema().indexOf(column.name())]);
        }
        return named;
    }
}
