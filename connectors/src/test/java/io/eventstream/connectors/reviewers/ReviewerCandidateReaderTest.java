package io.eventstream.connectors.reviewers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstream.connectors.online.OnlineStore;
import io.eventstream.connectors.online.OnlineStoreException;
import io.eventstream.connectors.online.OnlineStores;
import io.eventstream.connectors.online.OnlineTableReader;
import io.eventstream.connectors.online.OnlineTableSpec;
import io.eventstream.connectors.online.RedisServer;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.reviewers.CandidateFeatures;
import io.eventstream.features.reviewers.ReviewerCountTiles;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.reviewers.ReviewerOnlineCandidates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader on hand-built rows written with the real stores, SQLite and a real redis-server:
 * exact candidate lists computed by hand, and both backends giving the same answer.
 */
class ReviewerCandidateReaderTest {
    private static final String YAML = """
            windows:
              30d: { length: 30d, hop: 1d }
            features:
              reviews: [30d]
              approvals: [30d]
              mr_comments: [30d]
              path_commits: [30d]
              prefix_commits: [30d]
              prefix_reviews: [30d]
              reviews_of_author: [30d]
              reviews_by_author: [30d]
            paths:
              prefix_depth: 2
            candidates:
              max: 4
            """;
    private static final ReviewerJobConfig CONFIG = ReviewerJobConfig.parse(YAML);
    private static final ReviewerFeatureSet FEATURE_SET = new ReviewerFeatureSet(CONFIG);
    private static final List<Column> COLUMNS = new ReviewerOnlineCandidates(FEATURE_SET).columns();
    private static final Instant NOW = Instant.parse("2024-03-10T12:00:00Z");
    private static final long T = NOW.toEpochMilli();
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final List<String> PATHS = List.of("src/main/App.java", "docs/x.md", "build.gradle");

    @TempDir
    static Path dir;

    private static RedisServer redis;

    @BeforeAll
    static void writeBothStores() throws InterruptedException {
        redis = RedisServer.start();
        for (String uri : List.of("sqlite:" + dir.resolve("online.sqlite"), redis.uri())) {
            write(uri);
        }
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    /**
     * Rows of project 7 (and one of project 8), some of them written with a 300 ms TTL so that they
     * have expired when the tests read: user 10 (who would rank first) and user 5's row for "src".
     */
    private static void write(String uri) throws InterruptedException {
        OnlineTableSpec users = ReviewerOnlineTables.userTable(FEATURE_SET);
        OnlineTableSpec paths = ReviewerOnlineTables.pathTable(FEATURE_SET);
        OnlineTableSpec shortUsers = new OnlineTableSpec(
                users.schema(),
                users.keyColumns(),
                Duration.ofMillis(300),
                users.featureSetVersion(),
                users.prefixIndexColumns());
        OnlineTableSpec shortPaths = new OnlineTableSpec(
                paths.schema(), paths.keyColumns(), Duration.ofMillis(300), paths.featureSetVersion());
        try (OnlineStore store = OnlineStores.open(uri, shortUsers)) {
            store.upsert(List.<Object[]>of(user(7, 10, T - HOUR, true, 30, T - HOUR, 99, 0, 1, 1, 1)));
        }
        try (OnlineStore store = OnlineStores.open(uri, shortPaths)) {
            store.upsert(List.<Object[]>of(path(7, 5, "src", 50, 50)));
        }
        try (OnlineStore store = OnlineStores.open(uri, users)) {
            store.upsert(List.of(
                    user(7, 1, T - HOUR, true, 40, T - HOUR, 9, 0, 5, 5, 5), // the author
                    user(7, 2, T - 3 * DAY, true, 30, null, 0, 1, 0, 0, 0), // member without activity: cut by max
                    user(7, 3, T - 10 * DAY, false, null, T - 40 * DAY, 0, 0, 2, 0, 3), // neither member nor active
                    user(7, 4, T - 2 * DAY, false, null, T - 2 * DAY, 3, 0, 1, 0, 2),
                    user(7, 5, T - 2 * DAY, true, 30, T - 2 * DAY, 3, 2, 2, 1, 0), // ties 4: the smaller id first
                    user(7, 6, T - 5 * HOUR, true, 40, T - 5 * HOUR, 7, 1, 4, 2, 9),
                    user(7, 6, T - 6 * HOUR, true, 40, T - 6 * HOUR, 100, 0, 0, 0, 0), // older: refused by the store
                    user(7, 8, T - 30 * DAY, true, 20, T - 30 * DAY, 1, 0, 0, 1, 0),
                    user(8, 9, T - HOUR, true, 50, T - HOUR, 50, 0, 0, 0, 0))); // another project
        }
        try (OnlineStore store = OnlineStores.open(uri, paths)) {
            store.upsert(List.of(
                    path(7, 6, "src", 2, 1),
                    path(7, 6, "src/main", 1, 1),
                    path(7, 4, "docs", 0, 3),
                    path(7, 5, "lib", 9, 9),
                    path(8, 6, "src", 100, 100),
                    path(7, 1, "src", 8, 8)));
        }
        try (OnlineTableReader usersRead = OnlineTableReader.open(uri, users);
                OnlineTableReader pathsRead = OnlineTableReader.open(uri, paths)) {
            long deadline = System.currentTimeMillis() + 10_000;
            while ((usersRead.get(List.of(7L, 10L)).isPresent()
                            || pathsRead.get(List.of(7L, 5L, "src")).isPresent())
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
        }
    }

    @Test
    void sqliteGivesTheHandComputedCandidates() {
        assertThat(read("sqlite:" + dir.resolve("online.sqlite"))).containsExactlyElementsOf(expected());
    }

    @Test
    void redisGivesTheSameCandidatesAsSqlite() {
        assertThat(read(redis.uri())).containsExactlyElementsOf(expected());
    }

    @Test
    void aProjectWithoutRowsHasNoCandidates() {
        for (String uri : List.of("sqlite:" + dir.resolve("online.sqlite"), redis.uri())) {
            try (ReviewerCandidateReader reader = ReviewerCandidateReader.open(uri, CONFIG)) {
                assertThat(reader.candidates(99, 1, PATHS, NOW)).as(uri).isEmpty();
            }
        }
    }

    @Test
    void rowsOfAnotherFeatureSetFailTheRequest() {
        // Same columns, another candidates.max: another fingerprint, so the rows may not be read as this one's.
        ReviewerJobConfig other = ReviewerJobConfig.parse(YAML.replace("max: 4", "max: 5"));
        for (String uri : List.of("sqlite:" + dir.resolve("online.sqlite"), redis.uri())) {
            try (ReviewerCandidateReader reader = ReviewerCandidateReader.open(uri, other)) {
                assertThatThrownBy(() -> reader.candidates(7, 1, PATHS, NOW))
                        .isInstanceOf(OnlineStoreException.class)
                        .hasMessageContaining("hold rows of feature set " + FEATURE_SET.fingerprint());
            }
        }
    }

    private static List<Map<String, Object>> read(String uri) {
        try (ReviewerCandidateReader reader = ReviewerCandidateReader.open(uri, CONFIG)) {
            List<Map<String, Object>> values = new ArrayList<>();
            for (CandidateFeatures candidate : reader.candidates(7, 1, PATHS, NOW)) {
                assertThat(candidate.values())
                        .containsEntry("candidate_id", candidate.candidateId())
                        .containsEntry("candidate_rank", candidate.rank());
                values.add(candidate.values());
            }
            return values;
        }
    }

    /**
     * By hand: candidates 6 (activity 7), 4 and 5 (activity 3, same last activity: id order), 8
     * (activity 1); 2 is fifth (cut by max 4), 3 is not a candidate, 1 is the author, 10 expired.
     * Prefixes of the paths at depth 2: docs, src, src/main. User 6: commits 2 + 1, reviews 1 + 1;
     * user 4: reviews 3 under docs; user 5: its "src" row expired, "lib" is not a prefix.
     */
    private static List<Map<String, Object>> expected() {
        return List.of(
                candidate(6, 1, true, 40, 0L, 7, 1, 4, 2, 9, 3, 2, T - 5 * HOUR),
                candidate(4, 2, false, null, 2L, 3, 0, 1, 0, 2, 0, 3, T - 2 * DAY),
                candidate(5, 3, true, 30, 2L, 3, 2, 2, 1, 0, 0, 0, T - 2 * DAY),
                candidate(8, 4, true, 20, 30L, 1, 0, 0, 1, 0, 0, 0, T - 30 * DAY));
    }

    private static Object[] user(
            long project,
            long user,
            long time,
            boolean member,
            Integer access,
            Long last,
            int activity,
            int load,
            int reviews,
            int approvals,
            int comments) {
        return withCountTiles(
                new Object[] {project, user, time, member, access, last, activity, load, reviews, approvals, comments},
                ReviewerOnlineTables.userTable(FEATURE_SET),
                FEATURE_SET.onlineUserCountColumns(),
                time);
    }

    private static Object[] path(long project, long user, String prefix, int commits, int reviews) {
        return withCountTiles(
                new Object[] {project, user, prefix, T - DAY, commits, reviews},
                ReviewerOnlineTables.pathTable(FEATURE_SET),
                FEATURE_SET.onlinePathCountColumns(),
                T - DAY);
    }

    /**
     * The row with its {@code count_tiles}: each count in the daily tile of the row's time, in 30-day
     * windows, so that as of {@link #NOW} (within 30 days of every row) the counts read as written.
     */
    private static Object[] withCountTiles(Object[] row, OnlineTableSpec table, List<String> countColumns, long time) {
        int[] counts = countColumns.stream()
                .mapToInt(c -> ((Number) row[table.schema().indexOf(c)]).intValue())
                .toArray();
        Object[] full = Arrays.copyOf(row, row.length + 1);
        full[row.length] =
                ReviewerCountTiles.singleTile(time, DAY, 30 * DAY, counts).encode();
        return full;
    }

    private static Map<String, Object> candidate(
            long id,
            int rank,
            boolean member,
            Integer access,
            Long days,
            int activity,
            int load,
            int reviews,
            int approvals,
            int comments,
            int prefixCommits,
            int prefixReviews,
            long asOf) {
        List<Object> values = Arrays.asList(
                7L,
                1L,
                id,
                rank,
                3,
                3,
                member,
                access,
                days,
                activity,
                load,
                reviews,
                approvals,
                comments,
                prefixCommits,
                prefixReviews,
                asOf);
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            row.put(COLUMNS.get(i).name(), values.get(i));
        }
        return row;
    }
}
