package io.eventstream.features.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.windows.WindowSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewerJobConfigTest {
    static final Path EXAMPLE = Path.of("..", "deploy", "config", "reviewers.yaml");
    private static final long DAY = 86_400_000L;

    private static List<String> names(List<WindowSpec> windows) {
        return windows.stream().map(WindowSpec::name).toList();
    }

    @Test
    void defaultsAreTheIssuesWindowsAndCandidates() {
        ReviewerJobConfig config = ReviewerJobConfig.defaults();
        assertThat(config.windows())
                .containsExactly(
                        new WindowSpec("30d", 30 * DAY, DAY),
                        new WindowSpec("90d", 90 * DAY, DAY),
                        new WindowSpec("365d", 365 * DAY, DAY));
        assertThat(names(config.windowsOf(ReviewerWindowedFeature.REVIEWS))).containsExactly("30d", "90d", "365d");
        assertThat(names(config.windowsOf(ReviewerWindowedFeature.PATH_COMMITS)))
                .containsExactly("90d", "365d");
        assertThat(names(config.windowsOf(ReviewerWindowedFeature.REVIEWS_OF_AUTHOR)))
                .containsExactly("365d");
        assertThat(config.lookbackWindow()).isEqualTo(new WindowSpec("lookback", 90 * DAY, DAY));
        assertThat(config.stateTtlMillis()).as("longest window + its hop").isEqualTo(366 * DAY);
        assertThat(config.prefixDepth()).isEqualTo(3);
        assertThat(config.maxPathsPerBranch()).isEqualTo(1000);
        assertThat(config.maxCandidates()).isEqualTo(20);
        assertThat(config.emitOnPathGrowth()).isTrue();
        assertThat(config.mergeRequestGraceMillis()).isEqualTo(7 * DAY);
        assertThat(config.onlineSqlitePath()).isEqualTo("out/online/reviewer_features.sqlite");
        assertThat(config.onlineTtlMillis()).isEqualTo(90 * DAY);
        assertThat(config.allowedLatenessMillis()).isEqualTo(300_000);
    }

    @Test
    void theCommittedExampleLoadsAndSpellsOutTheDefaults() {
        assertThat(ReviewerJobConfig.load(EXAMPLE).toString())
                .isEqualTo(ReviewerJobConfig.defaults().toString());
    }

    @Test
    void overridesAreTyped() {
        ReviewerJobConfig config = ReviewerJobConfig.parse("""
                windows:
                  7d: {length: 7d, hop: 1h}
                features: {reviews: [7d], approvals: [], mr_comments: [], path_commits: [], prefix_commits: [7d],
                  prefix_reviews: [], reviews_of_author: [7d], reviews_by_author: []}
                candidates: {lookback: 14d, lookback_hop: 12h, max: 5, emit_on_path_growth: false}
                paths: {prefix_depth: 2, max_per_branch: 50}
                merge_requests: {grace: 0s}
                state: {user_buckets: 3}
                """);
        assertThat(config.windowsOf(ReviewerWindowedFeature.APPROVALS)).isEmpty();
        assertThat(config.lookbackWindow()).isEqualTo(new WindowSpec("lookback", 14 * DAY, DAY / 2));
        assertThat(config.stateTtlMillis()).isEqualTo(14 * DAY + DAY / 2);
        assertThat(config.maxCandidates()).isEqualTo(5);
        assertThat(config.emitOnPathGrowth()).isFalse();
        assertThat(config.prefixDepth()).isEqualTo(2);
        assertThat(config.mergeRequestGraceMillis()).isZero();
        assertThat(config.userBuckets()).isEqualTo(3);
        assertThat(ReviewerJobConfig.defaults().userBuckets()).isZero();
        assertThat(config.get(ReviewerJobConfig.IDLENESS)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void problemsNameTheirKeys() {
        assertThat(error("candidates:\n  lookback: 10d\n  lookback_hop: 3d\n").getMessage())
                .isEqualTo("candidates.lookback_hop: 3d does not divide length 10d");
        assertThat(error("candidates:\n  max: 0\n").getMessage())
                .isEqualTo("candidates.max: must be between 1 and 1000, got 0");
        assertThat(error("state:\n  user_buckets: 257\n").getMessage())
                .isEqualTo("state.user_buckets: must be between 0 and 256, got 257");
        assertThat(error("candidates:\n  max: many\n").getMessage())
                .isEqualTo("candidates.max: 'many' is not a whole number");
        assertThat(error("candidates:\n  emit_on_path_growth: yes please\n").getMessage())
                .isEqualTo("candidates.emit_on_path_growth: 'yes please' is not true or false");
        assertThat(error("paths:\n  prefix_dept: 2\n").getMessage())
                .isEqualTo("paths.prefix_dept: unknown key; did you mean paths.prefix_depth?");
        assertThat(error("merge_request:\n  grace: 1d\n").getMessage())
                .isEqualTo("merge_request: unknown section; did you mean merge_requests?");
        assertThat(error("state:\n  ttl: 365d\n").getMessage())
                .isEqualTo("state.ttl: 365d is shorter than the longest "
                        + "reach of a window (length + hop) 366d; windowed features would lose events");
        assertThat(error("features:\n  review: [30d]\n").getMessage())
                .startsWith("features.review: unknown feature; did you mean reviews?");
        assertThat(error("windows:\n  Big: {length: 2h, hop: 1h}\n").getMessage())
                .contains("e.g. reviews_30d");
        assertThat(error("online:\n  redis_url: http://x\n").getMessage())
                .contains("online.redis_url: must start with redis://");
    }

    @Test
    void optionsTableListsEveryKey() {
        String table = ReviewerJobConfig.optionsTable();
        for (ConfigOption<?> option : ReviewerJobConfig.OPTIONS) {
            assertThat(table).contains("| `" + option.key() + "` |");
        }
        assertThat(table)
                .contains("| `features.path_commits` | list of window names | `[90d, 365d]` |")
                .contains("| `candidates.max` | integer 1..1000 | `20` |")
                .contains("| `candidates.emit_on_path_growth` | boolean | `true` |");
    }

    @Test
    void javaSerializationCarriesTheYaml() throws Exception {
        ReviewerJobConfig config = ReviewerJobConfig.parse("candidates:\n  max: 7\n");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(config);
        }
        try (java.io.ObjectInputStream in =
                new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            ReviewerJobConfig back = (ReviewerJobConfig) in.readObject();
            assertThat(back.toString()).isEqualTo(config.toString());
            assertThat(back.maxCandidates()).isEqualTo(7);
        }
    }

    private static ConfigException error(String yaml) {
        try {
            ReviewerJobConfig.parse(yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for:\n" + yaml);
    }
}
