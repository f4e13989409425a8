package io.eventstream.features.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.datasets.Column;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The online candidate rule on hand-built table rows, every value computed by hand. */
class ReviewerOnlineCandidatesTest {
    private static final ReviewerJobConfig CONFIG = ReviewerJobConfig.parse("""
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
              max: 5
            """);
    private static final ReviewerOnlineCandidates CANDIDATES =
            new ReviewerOnlineCandidates(new ReviewerFeatureSet(CONFIG));
    private static final Instant NOW = Instant.parse("2024-03-10T12:00:00Z");
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long T = NOW.toEpochMilli();

    @Test
    void columnsAreTheOnlineSubsetOfTheCandidateRowsInOrder() {
        assertThat(CANDIDATES.columns().stream().map(Column::name))
                .containsExactly(
                        "project_id",
                        "author_id",
                        "candidate_id",
                        "candidate_rank",
                        "changed_path_count",
                        "path_prefix_count",
                        "is_member",
                        "access_level",
                        "days_since_last_activity",
                        "lookback_activity",
                        "open_review_load",
                        "reviews_30d",
                        "approvals_30d",
                        "mr_comments_30d",
                        "prefix_commits_30d",
                        "prefix_reviews_30d",
                        "as_of_time");
        ReviewerFeatureSet featureSet = CANDIDATES.featureSet();
        for (Column column : CANDIDATES.columns().subList(0, 16)) {
            assertThat(featureSet.candidateSchema().columns()).as(column.name()).contains(column);
        }
    }

    @Test
    void authorAndInactiveNonMembersOutOrderedByActivityRecencyAndIdCappedAtMax() {
        List<Map<String, Object>> users = List.of(
                user(1, true, 40, 9, T - HOUR), // the author: never a candidate
                user(2, true, 30, 0, null), // member, no activity: ranks after activity 0 with a time
                user(3, false, null, 0, T - 10 * DAY), // neither member nor active in the lookback: dropped
                user(4, false, null, 5, T - 3 * DAY - HOUR),
                user(5, true, 30, 5, T - HOUR),
                user(6, true, 50, 5, T - HOUR), // ties 5 on activity and time: the smaller id first
                user(8, true, null, 2, T - 40 * DAY),
                user(9, true, 30, 0, null), // after 2 (same activity, no time): cut by max = 5
                user(11, true, 20, 0, T - 100 * DAY));
        Map<List<Object>, Map<String, Object>> paths = new HashMap<>();
        for (Map<String, Object> row : List.of(
                path(5, "src", 3, 1),
                path(5, "src/main", 2, 0),
                path(5, "lib", 50, 50),
                path(6, "docs/guide", 0, 4),
                path(2, "src", 7, 7))) {
            paths.put(List.of(7L, row.get("user_id"), row.get("path_prefix")), row);
        }
        List<List<Object>> asked = new ArrayList<>();
        List<CandidateFeatures> candidates = CANDIDATES.candidates(
                7,
                1,
                users,
                keys -> {
                    asked.addAll(keys);
                    Map<List<Object>, Map<String, Object>> found = new HashMap<>();
                    keys.forEach(k -> {
                        if (paths.containsKey(k)) {
                            found.put(k, paths.get(k));
                        }
                    });
                    return found;
                },
                List.of(
                        "src/main/App.java",
                        "src/main/Util.java",
                        "docs/guide/intro.md",
                        "README.md",
                        "src/main/App.java"),
                NOW);

        // Prefixes at depth 2: docs, docs/guide, src, src/main; 4 distinct paths.
        assertThat(candidates).extracting(CandidateFeatures::candidateId).containsExactly(5L, 6L, 4L, 8L, 11L);
        assertThat(candidates).extracting(CandidateFeatures::rank).containsExactly(1, 2, 3, 4, 5);
        assertThat(candidates.get(0).values())
                .containsExactlyEntriesOf(expected(5, 1, true, 30, 0L, 5, 5, 1, T - HOUR));
        assertThat(candidates.get(1).values())
                .containsExactlyEntriesOf(expected(6, 2, true, 50, 0L, 5, 0, 4, T - HOUR));
        assertThat(candidates.get(2).values())
                .containsExactlyEntriesOf(expected(4, 3, false, null, 3L, 5, 0, 0, T - 3 * DAY - HOUR));
        assertThat(candidates.get(3).values())
                .containsExactlyEntriesOf(expected(8, 4, true, null, 40L, 2, 0, 0, T - 40 * DAY));
        assertThat(candidates.get(4).values())
                .containsExactlyEntriesOf(expected(11, 5, true, 20, 100L, 0, 0, 0, T - 100 * DAY));
        // One lookup of every (candidate, prefix), nothing else.
        assertThat(asked)
                .hasSize(5 * 4)
                .doesNotHaveDuplicates()
                .allMatch(k -> List.of(5L, 6L, 4L, 8L, 11L).contains(k.get(1))
                        && k.get(0).equals(7L))
                .extracting(k -> k.get(2))
                .containsOnly("docs", "docs/guide", "src", "src/main");
    }

    @Test
    void rowsOfOtherProjectsAreIgnoredAndNoPathsMeanZeroSums() {
        List<Map<String, Object>> users = new ArrayList<>(List.of(user(5, true, 30, 1, T - 25 * HOUR)));
        Map<String, Object> otherProject = new LinkedHashMap<>(user(6, true, 30, 9, T));
        otherProject.put("project_id", 8L);
        users.add(otherProject);
        List<Collection<List<Object>>> lookups = new ArrayList<>();
        List<CandidateFeatures> candidates = CANDIDATES.candidates(
                7,
                1,
                users,
                keys -> {
                    lookups.add(keys);
                    return Map.of();
                },
                List.of("README.md"),
                NOW);
        assertThat(candidates).hasSize(1);
        Map<String, Object> values = candidates.get(0).values();
        assertThat(values)
                .containsEntry("candidate_id", 5L)
                .containsEntry("days_since_last_activity", 1L)
                .containsEntry("changed_path_count", 1)
                .containsEntry("path_prefix_count", 0)
                .containsEntry("prefix_commits_30d", 0)
                .containsEntry("prefix_reviews_30d", 0);
        assertThat(lookups).as("no prefixes, no path lookups").isEmpty();
        assertThat(CANDIDATES.candidates(7, 1, List.of(), keys -> Map.of(), List.of("a/b"), NOW))
                .isEmpty();
    }

    @Test
    void countsAreAsOfTheRequestTimeSoActivityThatLeftTheLookbackChangesTheRanking() {
        long day = Math.floorDiv(T, DAY); // NOW is 12:00 of this daily tile
        // User 3, row of NOW - 31 days: activities 4 in tile day-90 and 1 in day-31 (lookback 90d); reviews,
        // approvals and comments (30d) 7 in day-90 and 1 in day-31. User 4, row of NOW - 10 days: 2 activities
        // and 3 reviews in day-10. User 3's path row "src", of NOW - 30 days: 6 commits in day-30, 6 reviews in day-31.
        Map<String, Object> three = user(3, false, null, 5, T - 31 * DAY);
        three.put(
                ReviewerFeatureSet.COUNT_TILES,
                ReviewerCountTiles.of(
                                new long[] {DAY, DAY},
                                new long[][] {{day - 90, 4, day - 31, 1}, {day - 90, 7, day - 31, 1}},
                                new int[] {0, 1, 1, 1},
                                new long[] {90 * DAY, 30 * DAY, 30 * DAY, 30 * DAY})
                        .encode());
        Map<String, Object> four = user(4, false, null, 2, T - 10 * DAY);
        four.put(ReviewerFeatureSet.COUNT_TILES, tiles(T - 10 * DAY, 2, 3, 0, 0));
        Map<String, Object> path = path(3, "src", 6, 6);
        path.put("event_time", T - 30 * DAY);
        path.put(
                ReviewerFeatureSet.COUNT_TILES,
                ReviewerCountTiles.of(
                                new long[] {DAY, DAY},
                                new long[][] {{day - 30, 6}, {day - 31, 6}},
                                new int[] {0, 1},
                                new long[] {30 * DAY, 30 * DAY})
                        .encode());
        Map<List<Object>, Map<String, Object>> paths = Map.of(List.of(7L, 3L, "src"), path);
        List<Map<String, Object>> users = List.of(three, four);

        // At NOW - 31 days (rows newer than that are read as of their own times): lookback day-121..day-31 gives
        // 3 five activities, 30d day-61..day-31 one review; 4 (own time) 2 and 3; the path row (own time) 6 and 6.
        List<CandidateFeatures> before = CANDIDATES.candidates(
                7, 1, users, keys -> paths, List.of("src/A.java"), Instant.ofEpochMilli(T - 31 * DAY));
        assertThat(before).extracting(CandidateFeatures::candidateId).containsExactly(3L, 4L);
        assertThat(before.get(0).values())
                .containsEntry("lookback_activity", 5)
                .containsEntry("reviews_30d", 1)
                .containsEntry("prefix_commits_30d", 6)
                .containsEntry("prefix_reviews_30d", 6);
        assertThat(before.get(1).values()).containsEntry("lookback_activity", 2).containsEntry("reviews_30d", 3);
        // At NOW: lookback day-90..day keeps 4 + 1 for 3; 30d day-30..day drops both of its review tiles and the
        // path reviews of day-31, keeps the path commits of day-30.
        List<CandidateFeatures> now = CANDIDATES.candidates(7, 1, users, keys -> paths, List.of("src/A.java"), NOW);
        assertThat(now).extracting(CandidateFeatures::candidateId).containsExactly(3L, 4L);
        assertThat(now.get(0).values())
                .containsEntry("lookback_activity", 5)
                .containsEntry("reviews_30d", 0)
                .containsEntry("approvals_30d", 0)
                .containsEntry("mr_comments_30d", 0)
                .containsEntry("prefix_commits_30d", 6)
                .containsEntry("prefix_reviews_30d", 0)
                .containsEntry("as_of_time", T - 31 * DAY);
        assertThat(now.get(1).values()).containsEntry("lookback_activity", 2).containsEntry("reviews_30d", 3);
        // One day later the lookback starts at day-89: 3 has 1 activity, 4 still 2, so 4 ranks first; the path
        // commits of day-30 have left the 30d window (day-29..day+1).
        List<CandidateFeatures> later =
                CANDIDATES.candidates(7, 1, users, keys -> paths, List.of("src/A.java"), NOW.plus(Duration.ofDays(1)));
        assertThat(later).extracting(CandidateFeatures::candidateId).containsExactly(4L, 3L);
        assertThat(later.get(1).values()).containsEntry("lookback_activity", 1).containsEntry("prefix_commits_30d", 0);
        // 60 days after NOW the lookback starts at day-30: 3 has no activity and is no member, so it is no
        // candidate; 4 keeps its 2 activities of day-10 but its reviews (30d: day+30..day+60) are gone.
        List<CandidateFeatures> muchLater =
                CANDIDATES.candidates(7, 1, users, keys -> paths, List.of("src/A.java"), NOW.plus(Duration.ofDays(60)));
        assertThat(muchLater).extracting(CandidateFeatures::candidateId).containsExactly(4L);
        assertThat(muchLater.get(0).values())
                .containsEntry("lookback_activity", 2)
                .containsEntry("reviews_30d", 0);
    }

    private static Map<String, Object> user(long id, boolean member, Integer access, int activity, Long last) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("project_id", 7L);
        row.put("user_id", id);
        row.put("event_time", last == null ? T - 2 * DAY : last);
        row.put("is_member", member);
        row.put("access_level", access);
        row.put("last_activity_time", last);
        row.put("lookback_activity", activity);
        row.put("open_review_load", (int) id % 3);
        row.put("reviews_30d", (int) id * 10);
        row.put("approvals_30d", (int) id * 100);
        row.put("mr_comments_30d", (int) id * 1000);
        // The same counts in the tile of NOW: as of NOW they are the stored values.
        row.put(ReviewerFeatureSet.COUNT_TILES, tiles(T, activity, (int) id * 10, (int) id * 100, (int) id * 1000));
        row.put("feature_set_version", "v");
        return row;
    }

    /**
     * {@code count_tiles} with every count in the daily tile of {@code time}: lookback (90d) first
     * when four counts are given (a user row), then 30d windows.
     */
    private static String tiles(long time, int... counts) {
        long[] hops = new long[counts.length];
        long[][] series = new long[counts.length][];
        int[] columnSeries = new int[counts.length];
        long[] lengths = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            hops[i] = DAY;
            series[i] = counts[i] == 0 ? new long[0] : new long[] {Math.floorDiv(time, DAY), counts[i]};
            columnSeries[i] = i;
            lengths[i] = (counts.length == 4 && i == 0 ? 90 : 30) * DAY;
        }
        return ReviewerCountTiles.of(hops, series, columnSeries, lengths).encode();
    }

    private static Map<String, Object> path(long user, String prefix, int commits, int reviews) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("project_id", 7L);
        row.put("user_id", user);
        row.put("path_prefix", prefix);
        row.put("event_time", T - DAY);
        row.put("commits_30d", commits);
        row.put("reviews_30d", reviews);
        row.put(ReviewerFeatureSet.COUNT_TILES, tiles(T, commits, reviews));
        row.put("feature_set_version", "v");
        return row;
    }

    private static Map<String, Object> expected(
            long id,
            int rank,
            boolean member,
            Integer access,
            Long days,
            int activity,
            int prefixCommits,
            int prefixReviews,
            long asOf) {
        Map<String, Object> values = new LinkedHashMap<>();
        List<Object> list = Arrays.asList(
                7L,
                1L,
                id,
                rank,
                4,
                4,
                member,
                access,
                days,
                activity,
                (int) id % 3,
                (int) id * 10,
                (int) id * 100,
                (int) id * 1000,
                prefixCommits,
                prefixReviews,
                asOf);
        for (int i = 0; i < list.size(); i++) {
            values.put(CANDIDATES.columns().get(i).name(), list.get(i));
        }
        return values;
    }
}
