package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.RowSets;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import io.eventstream.jobs.testing.SqliteOnlineTable;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job against the naive reference on about 107,000 generated events: the command-line
 * run ({@code eventstream run spam}, file source, parallelism 2) writes exactly the reference's
 * rows, every column, read back with DuckDB; the SQLite online table holds exactly the reference's
 * latest row per user, stamped with the feature set's fingerprint. Runs at parallelism 1 and 4
 * write the same datasets and online table.
 */
@ExtendWith(FlinkTestCluster.class)
class SpamJobReferenceTest {

    @Test
    void featuresLabelsAndOnlineTableEqualTheNaiveReference() throws Exception {
        SpamJobRun run = SpamTestData.cliRun();
        SpamTestData.Expected expected = SpamTestData.expected();
        assertThat(SpamTestData.events()).hasSizeGreaterThanOrEqualTo(100_000);
        assertThat(expected.features()).as("content events in the generated data").hasSizeGreaterThan(40_000);
        assertThat(expected.labels()).as("label events in the generated data").hasSizeGreaterThan(500);

        RowSets.assertSameRows("spam_features", SpamTestData.FEATURE_SET.featureSchema(), "event_id",
                expected.features(), run.features());
        RowSets.assertSameRows("spam_labels", SpamLabels.SCHEMA, "label_event_id", expected.labels(), run.labels());
        assertThat(run.lateEvents()).as("late events: the generator's jitter stays within the watermark bound").isEmpty();
        assertThat(run.deadLetters()).as("dead letters: every generated event is valid").isEmpty();

        SqliteOnlineTable.Content<Long> online = run.online();
        RowSets.assertSameRows(SpamFeatureSet.ONLINE_TABLE, SpamTestData.FEATURE_SET.onlineSchema(), expected.online(),
                online.rows());
        assertThat(online.versions().values()).as("feature_set_version of every online row")
                .containsOnly(SpamTestData.FEATURE_SET.fingerprint());
    }

    @Test
    void parallelismOneAndFourWriteTheSameDatasetsAndOnlineTable(@TempDir Path p1, @TempDir Path p4) throws Exception {
        SpamJobRun two = SpamTestData.cliRun();
        for (Map.Entry<Integer, Path> run : Map.of(1, p1, 4, p4).entrySet()) {
            SpamJobRun other = JobUnderTest.files(SpamTestData.JOB, SpamTestData.eventsFile()).parallelism(run.getKey()).run(run.getValue());
            String what = " at parallelism " + run.getKey() + " vs 2";
            RowSets.assertSameRows("spam_features" + what, SpamTestData.FEATURE_SET.featureSchema(), "event_id",
                    two.features(), other.features());
            RowSets.assertSameRows("spam_labels" + what, SpamLabels.SCHEMA, "label_event_id", two.labels(), other.labels());
            assertThat(other.lateEvents()).isEmpty();
            assertThat(other.deadLetters()).isEmpty();
            RowSets.assertSameRows("online table" + what, SpamTestData.FEATURE_SET.onlineSchema(), two.online().rows(),
                    other.online().rows());
            assertThat(other.online().versions()).isEqualTo(two.online().versions());
        }
    }
}
