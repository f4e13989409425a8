package io.eventstream.features.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.events.CloudEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The windowed counts the readers compute from the final online rows as of later request times
 * ({@link ReviewerOnlineCandidates#asOf}) against {@link NaiveReviewerReference} counting the
 * events again at those times: every count of every row, at times chosen around the windows'
 * edges so that tiles leave their windows in between.
 */
class ReviewerOnlineAsOfReferenceTest {
    private static final long S = 1_000;
    private static final long M = 60 * S;
    private static final long H = 60 * M;
    private static final long D = 24 * H;

    @Test
    void defaultWindowsAsOfLaterTimesEqualTheEventsCountedAgain() {
        ReviewerFeatureSet featureSet = new ReviewerFeatureSet(ReviewerJobConfig.defaults());
        List<CloudEvent> events = new RandomReviewerEvents(11, 20, 3, 0, H, 6 * H, 12 * H, 10 * D).events(1_500);
        int changed = check(featureSet, events, new long[] {
            0, H, D, 3 * D, 7 * D, 8 * D, 15 * D, 29 * D, 31 * D, 45 * D, 61 * D, 91 * D, 120 * D, 200 * D, 366 * D
        });
        assertThat(changed)
                .as("counts that moved between the row's time and a request time")
                .isGreaterThan(100);
    }

    @Test
    void shortWindowsAsOfLaterTimesEqualTheEventsCountedAgain() {
        String yaml = """
                windows:
                  w1: {length: 6m, hop: 2m}
                  w2: {length: 10m, hop: 5m}
                  w3: {length: 4m, hop: 1m}
                features:
                  reviews: [w1, w3]
                  approvals: [w2]
                  mr_comments: [w1, w2]
                  path_commits: [w1]
                  prefix_commits: [w3, w2]
                  prefix_reviews: [w1]
                  reviews_of_author: []
                  reviews_by_author: [w2]
                candidates:
                  lookback: 8m
                  lookback_hop: 2m
                """;
        ReviewerFeatureSet featureSet = new ReviewerFeatureSet(ReviewerJobConfig.parse(yaml));
        List<CloudEvent> events = new RandomReviewerEvents(3, 10, 2, 0, S, M, 3 * M, 20 * M).events(600);
        long[] offsets = new long[40];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = i * 17 * S; // every 17 s over 11 minutes: crosses every tile edge of every window
        }
        int changed = check(featureSet, events, offsets);
        assertThat(changed).isGreaterThan(100);
    }

    /** Compares at the last event's time plus each offset; returns how many counts differed from the stored ones. */
    private static int check(ReviewerFeatureSet featureSet, List<CloudEvent> events, long[] offsets) {
        NaiveReviewerReference reference = new NaiveReviewerReference(featureSet);
        NaiveReviewerReference.Result expected = reference.compute(events);
        ReviewerFeatureEngineReferenceTest.Run actual = ReviewerFeatureEngineReferenceTest.run(
                new ReviewerFeatureEngine(featureSet), events, new SplittableRandom(9), true);
        assertThat(actual.onlineUsers.keySet())
                .isEqualTo(expected.onlineUserRows().keySet());
        assertThat(actual.onlinePaths.keySet())
                .isEqualTo(expected.onlinePathRows().keySet());
        long last = events.stream().mapToLong(CloudEvent::timeMillis).max().orElseThrow();
        int changed = 0;
        for (long offset : offsets) {
            long at = last + offset;
            Map<List<Object>, Map<String, Object>> counted = reference.onlineCountsAsOf(at);
            changed += compare(
                    featureSet.onlineUserSchema().name(),
                    featureSet.onlineUserSchema().columns().stream()
                            .map(c -> c.name())
                            .toList(),
                    actual.onlineUsers,
                    featureSet.onlineUserCountColumns(),
                    counted,
                    at);
            changed += compare(
                    featureSet.onlinePathSchema().name(),
                    featureSet.onlinePathSchema().columns().stream()
                            .map(c -> c.name())
                            .toList(),
                    actual.onlinePaths,
                    featureSet.onlinePathCountColumns(),
                    counted,
                    at);
        }
        return changed;
    }

    private static int compare(
            String table,
            List<String> columnNames,
            Map<List<Object>, Object[]> rows,
            List<String> countColumns,
            Map<List<Object>, Map<String, Object>> counted,
            long at) {
        int changed = 0;
        for (Map.Entry<List<Object>, Object[]> entry : rows.entrySet()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < columnNames.size(); i++) {
                row.put(columnNames.get(i), entry.getValue()[i]);
            }
            Map<String, Object> asOf = ReviewerOnlineCandidates.asOf(row, countColumns, at);
            for (String column : countColumns) {
                assertThat(asOf.get(column))
                        .as("%s %s %s as of %d", table, entry.getKey(), column, at)
                        .isEqualTo(counted.get(entry.getKey()).get(column));
                if (!asOf.get(column).equals(row.get(column))) {
                    changed++;
                }
            }
        }
        return changed;
    }
}
