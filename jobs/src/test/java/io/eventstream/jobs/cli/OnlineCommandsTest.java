package io.eventstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.online.OnlineStore;
import io.eventstream.connectors.online.OnlineStores;
import io.eventstream.connectors.reviewers.ReviewerOnlineTables;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.reviewers.ReviewerCountTiles;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code suggest-reviewers} and {@code online dump} on a SQLite store written with the real store: exact output. */
class OnlineCommandsTest {
    private static final ReviewerFeatureSet DEFAULTS = new ReviewerFeatureSet(ReviewerJobConfig.defaults());
    private static final long T = 1_704_672_000_000L; // 2024-01-08T00:00:00Z

    @TempDir
    Path dir;

    private String store;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeTables() {
        store = "sqlite:" + dir.resolve("reviewer_features.sqlite");
        try (OnlineStore users = OnlineStores.open(store, ReviewerOnlineTables.userTable(DEFAULTS));
                OnlineStore paths = OnlineStores.open(store, ReviewerOnlineTables.pathTable(DEFAULTS))) {
            users.upsert(List.of(
                    new Object[] {
                        7L,
                        3L,
                        T - 1000,
                        true,
                        40,
                        T - 1000,
                        4,
                        1,
                        1,
                        2,
                        3,
                        0,
                        1,
                        1,
                        5,
                        6,
                        7,
                        tiles(T - 1000, 4, 1, 2, 3, 0, 1, 1, 5, 6, 7)
                    },
                    new Object[] {
                        7L,
                        2L,
                        T - 2000,
                        false,
                        null,
                        T - 86_400_000L - 2000,
                        2,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        2,
                        2,
                        2,
                        tiles(T - 2000, 2, 0, 0, 0, 0, 0, 0, 2, 2, 2)
                    },
                    new Object[] {
                        7L,
                        1L,
                        T - 3000,
                        true,
                        50,
                        null,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        tiles(T - 3000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                    },
                    new Object[] {
                        8L,
                        3L,
                        T - 3000,
                        true,
                        50,
                        null,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        tiles(T - 3000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                    }));
            paths.upsert(
                    List.<Object[]>of(new Object[] {7L, 3L, "src", T - 1000, 1, 2, 3, 4, tiles(T - 1000, 1, 2, 3, 4)}));
        }
    }

    /** count_tiles holding the counts at {@code time} in daily tiles of 30-day windows: as of T the stored counts. */
    private static String tiles(long time, int... counts) {
        return ReviewerCountTiles.singleTile(time, 86_400_000L, 30 * 86_400_000L, counts)
                .encode();
    }

    private int run(String... args) {
        return EventstreamCli.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void suggestReviewersPrintsRankedCandidatesAsJsonLinesInColumnOrder() {
        int code = run(
                "suggest-reviewers",
                "--online",
                store,
                "--project",
                "7",
                "--author",
                "1",
                "--path",
                "src/main/App.java",
                "--path",
                "README.md",
                "--now",
                "2024-01-08T00:00:00Z");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().lines())
                .containsExactly(
                        "{\"project_id\":7,\"author_id\":1,\"candidate_id\":3,\"candidate_rank\":1,\"changed_path_count\":2,"
                                + "\"path_prefix_count\":2,\"is_member\":true,\"access_level\":40,\"days_since_last_activity\":0,"
                                + "\"lookback_activity\":4,\"open_review_load\":1,\"reviews_30d\":1,\"reviews_90d\":2,"
                                + "\"reviews_365d\":3,\"approvals_30d\":0,\"approvals_90d\":1,\"approvals_365d\":1,"
                                + "\"mr_comments_30d\":5,\"mr_comments_90d\":6,\"mr_comments_365d\":7,\"prefix_commits_90d\":1,"
                                + "\"prefix_commits_365d\":2,\"prefix_reviews_90d\":3,\"prefix_reviews_365d\":4,"
                                + "\"as_of_time\":" + (T - 1000) + "}",
                        "{\"project_id\":7,\"author_id\":1,\"candidate_id\":2,\"candidate_rank\":2,\"changed_path_count\":2,"
                                + "\"path_prefix_count\":2,\"is_member\":false,\"access_level\":null,\"days_since_last_activity\":1,"
                                + "\"lookback_activity\":2,\"open_review_load\":0,\"reviews_30d\":0,\"reviews_90d\":0,"
                                + "\"reviews_365d\":0,\"approvals_30d\":0,\"approvals_90d\":0,\"approvals_365d\":0,"
                                + "\"mr_comments_30d\":2,\"mr_comments_90d\":2,\"mr_comments_365d\":2,\"prefix_commits_90d\":0,"
                                + "\"prefix_commits_365d\":0,\"prefix_reviews_90d\":0,\"prefix_reviews_365d\":0,"
                                + "\"as_of_time\":" + (T - 2000) + "}");
        // 31 days later every count's tile (the day before T) has left the 30-day windows: user 2, no member,
        // has no lookback activity left and is no candidate; member 3 stays with zero counts.
        out.getBuffer().setLength(0);
        assertThat(run(
                        "suggest-reviewers",
                        "--online",
                        store,
                        "--project",
                        "7",
                        "--author",
                        "1",
                        "--path",
                        "src/main/App.java",
                        "--now",
                        "2024-02-08T00:00:00Z"))
                .as(err.toString())
                .isZero();
        assertThat(out.toString().lines())
                .singleElement()
                .asString()
                .contains(
                        "\"candidate_id\":3,",
                        "\"lookback_activity\":0,",
                        "\"reviews_30d\":0,",
                        "\"mr_comments_365d\":0,",
                        "\"prefix_commits_90d\":0,",
                        "\"days_since_last_activity\":31,");
    }

    @Test
    void onlineDumpPrintsRowsSortedByKeyAndByKeyPrefix() {
        assertThat(run("online", "dump", "--table", "reviewer_project_user_features", "--online", store, "--key", "7"))
                .as(err.toString())
                .isZero();
        assertThat(out.toString().lines().map(l -> l.substring(0, l.indexOf(",\"event_time\""))))
                .containsExactly(
                        "{\"project_id\":7,\"user_id\":1",
                        "{\"project_id\":7,\"user_id\":2",
                        "{\"project_id\":7,\"user_id\":3");
        assertThat(out.toString().lines().findFirst().orElseThrow())
                .endsWith("\"mr_comments_365d\":0,\"count_tiles\":\"" + tiles(T - 3000, new int[10])
                        + "\",\"feature_set_version\":\"" + DEFAULTS.fingerprint() + "\"}");
        out.getBuffer().setLength(0);
        assertThat(run("online", "dump", "--table", "reviewer_project_user_path_features", "--online", store))
                .isZero();
        assertThat(out.toString())
                .isEqualTo("{\"project_id\":7,\"user_id\":3,\"path_prefix\":\"src\",\"event_time\":"
                        + (T - 1000) + ",\"commits_90d\":1,\"commits_365d\":2,\"reviews_90d\":3,\"reviews_365d\":4,"
                        + "\"count_tiles\":\"" + tiles(T - 1000, 1, 2, 3, 4) + "\",\"feature_set_version\":\""
                        + DEFAULTS.fingerprint() + "\"}" + System.lineSeparator());
    }

    @Test
    void badInputExitsWithTwoAndAMessage() {
        assertThat(run("online", "dump", "--table", "nope", "--online", store)).isEqualTo(2);
        assertThat(err.toString()).contains("unknown table nope; tables: spam_user_features");
        assertThat(run("online", "dump", "--table", "reviewer_project_user_features", "--online", store, "--key", "x"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("key column project_id is a number, got --key x");
        assertThat(run(
                        "suggest-reviewers",
                        "--online",
                        "sqlite:" + dir.resolve("absent.sqlite"),
                        "--project",
                        "7",
                        "--author",
                        "1"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("no SQLite online store file");
    }
}
