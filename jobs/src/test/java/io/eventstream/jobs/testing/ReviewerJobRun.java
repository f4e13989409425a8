package io.eventstream.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.deadletter.DeadLetters;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.reviewers.NaiveReviewerReference;
import io.eventstream.features.reviewers.ReviewerCountTiles;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.jobs.common.LateRows;
import io.eventstream.jobs.reviewers.ReviewerOutputs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run of the reviewer job ({@link ReviewerTestData#JOB}): its datasets and SQLite online tables,
 * read back independently. Online rows are keyed by the list of their key columns' values, as
 * {@code NaiveReviewerReference} and {@code OnlineTableReader} key them.
 */
public final class ReviewerJobRun extends JobRun {
    private static final ReviewerFeatureSet FEATURE_SET = ReviewerTestData.FEATURE_SET;

    /** A candidate row is unique by the event that emitted it and the candidate. */
    public static final List<String> CANDIDATE_KEY = List.of("event_id", "candidate_id");
    /** A label row is unique by the label event, the user and the kind. */
    public static final List<String> LABEL_KEY = List.of("label_event_id", "user_id", "kind");

    public ReviewerJobRun(JobRun run) {
        super(run);
    }

    /**
     * Asserts this run wrote exactly what the naive reference computed: every candidate and label
     * row, every column; both online tables, every row stamped with the feature set's fingerprint;
     * no late event and no dead letter.
     */
    public void assertEqualsReference(NaiveReviewerReference.Result expected, String what) {
        assertSameRows(
                what,
                expected.candidateRows(),
                expected.labelRows(),
                expected.onlineUserRows(),
                expected.onlinePathRows(),
                true);
        assertThat(onlineUsers().versions().values())
                .as(what + ": feature_set_version of the (project, user) rows")
                .containsOnly(FEATURE_SET.fingerprint());
        assertThat(onlinePaths().versions().values())
                .as(what + ": feature_set_version of the path rows")
                .containsOnly(FEATURE_SET.fingerprint());
    }

    /**
     * Asserts a run over {@link ReviewerTestData#mixedInput()} wrote exactly the reference's rows for
     * the clean events (as {@link #assertEqualsReference}), the expected dead letters (line and
     * reason) and one late row per late copy.
     */
    public void assertMixedRun(NaiveReviewerReference.Result expected, MixedInput mixed, String what) {
        RowSets.assertSameRows(
                what + ": " + ReviewerFeatureSet.CANDIDATES_DATASET,
                FEATURE_SET.candidateSchema(),
                CANDIDATE_KEY,
                expected.candidateRows(),
                candidates());
        RowSets.assertSameRows(
                what + ": " + ReviewerFeatureSet.LABELS_DATASET,
                FEATURE_SET.labelSchema(),
                LABEL_KEY,
                expected.labelRows(),
                labels());
        RowSets.assertSameRows(
                what + ": " + ReviewerFeatureSet.ONLINE_USER_TABLE,
                FEATURE_SET.onlineUserSchema(),
                expected.onlineUserRows(),
                withoutTiles(
                        onlineUsers().rows(), FEATURE_SET.onlineUserSchema(), FEATURE_SET.onlineUserCountColumns()));
        RowSets.assertSameRows(
                what + ": " + ReviewerFeatureSet.ONLINE_PATH_TABLE,
                FEATURE_SET.onlinePathSchema(),
                expected.onlinePathRows(),
                withoutTiles(
                        onlinePaths().rows(), FEATURE_SET.onlinePathSchema(), FEATURE_SET.onlinePathCountColumns()));
        assertThat(deadLetters().stream()
                        .map(row -> List.<Object>of(MixedInput.lineOf(row[0]), row[1]))
                        .toList())
                .as(what + ": dead letters (line, reason)")
                .containsExactlyInAnyOrderElementsOf(mixed.deadLetters());
        assertThat(lateEvents().stream().map(row -> row[0]).toList())
                .as(what + ": late event ids")
                .containsExactlyInAnyOrderElementsOf(mixed.lateIds());
    }

    /** Asserts this run wrote exactly what another one did (datasets and online tables), as {@link #assertEqualsReference}. */
    public void assertSameOutputsAs(ReviewerJobRun expected, String what) {
        SqliteOnlineTable.Content<List<Object>> users = expected.onlineUsers();
        SqliteOnlineTable.Content<List<Object>> paths = expected.onlinePaths();
        assertSameRows(what, expected.candidates(), expected.labels(), users.rows(), paths.rows(), false);
        assertThat(onlineUsers().versions())
                .as(what + ": feature_set_version of the (project, user) rows")
                .isEqualTo(users.versions());
        assertThat(onlinePaths().versions())
                .as(what + ": feature_set_version of the path rows")
                .isEqualTo(paths.versions());
    }

    /**
     * @param reference  whether the expected online rows are the naive reference's, which leaves
     *                   {@code count_tiles} out (null): then each written row's tiles are checked to
     *                   give its counts at its {@code event_time} and left out of the comparison
     *                   (the counts they give later are compared with the reference in
     *                   {@code ReviewerOnlineAsOfReferenceTest})
     */
    private void assertSameRows(
            String what,
            List<Object[]> candidates,
            List<Object[]> labels,
            Map<List<Object>, Object[]> users,
            Map<List<Object>, Object[]> paths,
            boolean reference) {
        RowSets.assertSameRows(
                what + ": " + ReviewerFeatureSet.CANDIDATES_DATASET,
                FEATURE_SET.candidateSchema(),
                CANDIDATE_KEY,
                candidates,
                candidates());
        RowSets.assertSameRows(
                what + ": " + ReviewerFeatureSet.LABELS_DATASET,
                FEATURE_SET.labelSchema(),
                LABEL_KEY,
                labels,
                labels());
        assertThat(lateEvents()).as(what + ": late events").isEmpty();
        assertThat(deadLetters()).as(what + ": dead letters").isEmpty();
        Map<List<Object>, Object[]> writtenUsers = onlineUsers().rows();
        Map<List<Object>, Object[]> writtenPaths = onlinePaths().rows();
        if (reference) {
            writtenUsers =
                    withoutTiles(writtenUsers, FEATURE_SET.onlineUserSchema(), FEATURE_SET.onlineUserCountColumns());
            writtenPaths =
                    withoutTiles(writtenPaths, FEATURE_SET.onlinePathSchema(), FEATURE_SET.onlinePathCountColumns());
        }
        RowSets.assertSameRows(
                what + ": " + ReviewerFeatureSet.ONLINE_USER_TABLE,
                FEATURE_SET.onlineUserSchema(),
                users,
                writtenUsers);
        RowSets.assertSameRows(
                what + ": " + ReviewerFeatureSet.ONLINE_PATH_TABLE,
                FEATURE_SET.onlinePathSchema(),
                paths,
                writtenPaths);
    }

    /** The rows with {@code count_tiles} null, after checking that the tiles give each row's counts at its event_time. */
    public static Map<List<Object>, Object[]> withoutTiles(
            Map<List<Object>, Object[]> rows, DatasetSchema schema, List<String> countColumns) {
        int tiles = schema.indexOf(ReviewerFeatureSet.COUNT_TILES);
        int time = schema.indexOf("event_time");
        Map<List<Object>, Object[]> out = new LinkedHashMap<>();
        rows.forEach((key, row) -> {
            int[] counts = ReviewerCountTiles.decode((String) row[tiles]).countsAt((Long) row[time]);
            for (int i = 0; i < counts.length; i++) {
                assertThat(row[schema.indexOf(countColumns.get(i))])
                        .as("%s %s %s from count_tiles", schema.name(), key, countColumns.get(i))
                        .isEqualTo(counts[i]);
            }
            Object[] copy = row.clone();
            copy[tiles] = null;
            out.put(key, copy);
        });
        return out;
    }

    public List<Object[]> candidates() {
        return rows(ReviewerFeatureSet.CANDIDATES_DATASET, FEATURE_SET.candidateSchema());
    }

    public List<Object[]> labels() {
        return rows(ReviewerFeatureSet.LABELS_DATASET, FEATURE_SET.labelSchema());
    }

    public List<Object[]> lateEvents() {
        return rows(ReviewerOutputs.LATE_EVENTS, LateRows.SCHEMA);
    }

    public List<Object[]> deadLetters() {
        return rows(ReviewerOutputs.DEAD_LETTERS, DeadLetters.schema());
    }

    /** The SQLite online table {@code reviewer_project_user_features} by (project, user). */
    public SqliteOnlineTable.Content<List<Object>> onlineUsers() {
        return SqliteOnlineTable.read(sqliteFile(), FEATURE_SET.onlineUserSchema(), ReviewerFeatureSet.ONLINE_USER_KEY);
    }

    /** The SQLite online table {@code reviewer_project_user_path_features} by (project, user, path prefix). */
    public SqliteOnlineTable.Content<List<Object>> onlinePaths() {
        return SqliteOnlineTable.read(sqliteFile(), FEATURE_SET.onlinePathSchema(), ReviewerFeatureSet.ONLINE_PATH_KEY);
    }
}
