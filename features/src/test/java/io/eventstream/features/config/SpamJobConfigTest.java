package io.eventstream.features.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstream.features.windows.WindowSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpamJobConfigTest {
    static final Path EXAMPLE = Path.of("..", "deploy", "config", "spam.yaml");

    private static String names(List<WindowSpec> windows) {
        return String.join(",", windows.stream().map(WindowSpec::name).toList());
    }

    @Test
    void defaultsAreTheIssuesColumns() {
        SpamJobConfig config = SpamJobConfig.defaults();
        assertThat(config.windows())
                .containsExactly(
                        new WindowSpec("1m", 60_000, 10_000), new WindowSpec("10m", 600_000, 60_000),
                        new WindowSpec("1h", 3_600_000, 300_000), new WindowSpec("24h", 86_400_000, 3_600_000),
                        new WindowSpec("7d", 604_800_000, 86_400_000),
                                new WindowSpec("30d", 2_592_000_000L, 86_400_000));
        assertThat(names(config.windowsOf(SpamWindowedFeature.NOTES))).isEqualTo("1m,10m,1h,24h");
        assertThat(names(config.windowsOf(SpamWindowedFeature.ISSUES))).isEqualTo("1h,24h");
        assertThat(names(config.windowsOf(SpamWindowedFeature.MERGE_REQUESTS))).isEqualTo("24h");
        assertThat(names(config.windowsOf(SpamWindowedFeature.DISTINCT_PROJECTS)))
                .isEqualTo("1h,24h");
        assertThat(names(config.windowsOf(SpamWindowedFeature.LINKS))).isEqualTo("1h");
        assertThat(names(config.windowsOf(SpamWindowedFeature.CONTENT_EVENTS))).isEqualTo("7d");
        assertThat(names(config.windowsOf(SpamWindowedFeature.TEXT_REPEAT_COUNT)))
                .isEqualTo("24h");
        assertThat(names(config.windowsOf(SpamWindowedFeature.PRIOR_SPAM_VERDICTS)))
                .isEqualTo("30d");
        assertThat(config.maxOutOfOrdernessMillis()).isEqualTo(30_000);
        assertThat(config.idlenessMillis()).isEqualTo(60_000);
        assertThat(config.allowedLatenessMillis()).isEqualTo(300_000);
        assertThat(config.checkpointIntervalMillis()).isEqualTo(10_000);
        assertThat(config.datasetRoot()).isEqualTo("out/datasets");
        assertThat(config.datasetCompression()).isEqualTo(DatasetCompression.ZSTD);
        assertThat(config.onlineBackend()).isEqualTo(OnlineBackend.SQLITE);
        assertThat(config.onlineTtlMillis()).isEqualTo(30 * 86_400_000L);
        assertThat(config.stateTtlMillis()).isEqualTo(31 * 86_400_000L); // the 30d window plus its 1d hop
        assertThat(config.hashKeyEnv()).isEqualTo("EVENTSTREAM_HASH_KEY");
        assertThat(config.gitlabHost()).isEqualTo("gitlab.example.com");
    }

    @Test
    void theCommittedExampleLoadsAndSpellsOutTheDefaults() {
        SpamJobConfig example = SpamJobConfig.load(EXAMPLE);
        SpamJobConfig defaults = SpamJobConfig.defaults();
        assertThat(example.toString()).isEqualTo(defaults.toString());
        for (SpamWindowedFeature feature : SpamWindowedFeature.values()) {
            assertThat(example.windowsOf(feature)).as(feature.key()).isEqualTo(defaults.windowsOf(feature));
        }
    }

    @Test
    void overridesAreTyped() {
        SpamJobConfig config = SpamJobConfig.parse("""
                windows:
                  2h: {length: 2h, hop: 1500ms}
                  hourly: {length: 1h, hop: 15m}
                features:
                  notes: [hourly, 2h]
                  issues: []
                  merge_requests: [2h]
                  distinct_projects: [2h]
                  links: [hourly]
                  content_events: [2h]
                  text_repeat_count: [hourly]
                  prior_spam_verdicts: [2h]
                time: {max_out_of_orderness: 0s, allowed_lateness: 0ms}
                dataset: {compression: snappy}
                online: {backend: redis, redis_url: "rediss://cache:6380"}
                state: {ttl: 3d}
                gitlab: {host: git.corp.example}
                """);
        assertThat(names(config.windowsOf(SpamWindowedFeature.NOTES))).isEqualTo("hourly,2h");
        assertThat(config.windowsOf(SpamWindowedFeature.ISSUES)).isEmpty();
        assertThat(config.window("2h").hopMillis()).isEqualTo(1500);
        assertThat(config.maxOutOfOrdernessMillis()).isZero();
        assertThat(config.datasetCompression()).isEqualTo(DatasetCompression.SNAPPY);
        assertThat(config.onlineBackend()).isEqualTo(OnlineBackend.REDIS);
        assertThat(config.onlineRedisUrl()).isEqualTo("rediss://cache:6380");
        assertThat(config.stateTtlMillis()).isEqualTo(3 * 86_400_000L);
        assertThat(config.gitlabHost()).isEqualTo("git.corp.example");
        assertThat(config.get(SpamJobConfig.IDLENESS)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aHopThatDoesNotDivideTheLengthIsNamed() {
        assertThatThrownBy(() -> SpamJobConfig.parse("windows:\n  1h: {length: 1h, hop: 7m}\nfeatures: {notes: [1h], "
                        + "issues: [1h], merge_requests: [], distinct_projects: [], links: [], content_events: [], "
                        + "text_repeat_count: [], prior_spam_verdicts: []}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("windows.1h.hop: 7m does not divide length 1h");
    }

    @Test
    void unknownKeysAreNamedWithASuggestion() {
        ConfigException e = error("time:\n  max_out_of_order: 1m\nwindow: {}\nfeatures:\n  note: [1h]\n"
                + "windows:\n  1h: {length: 1h, hop: 5m, hops: 1m}\n");
        assertThat(e.problems())
                .extracting(ConfigException.Problem::toString)
                .contains(
                        "time.max_out_of_order: unknown key; did you mean time.max_out_of_orderness?",
                        "window: unknown section; did you mean windows?",
                        "windows.1h.hops: unknown key; did you mean hop?");
        assertThat(e.getMessage()).contains("features.note: unknown feature; did you mean notes?");
    }

    @Test
    void inputGuardsHaveDefaultsAndAShortDedupHorizonIsRefusedByName() {
        SpamJobConfig defaults = SpamJobConfig.defaults();
        assertThat(defaults.maxFutureMillis()).isEqualTo(600_000L);
        assertThat(defaults.dedupHorizonMillis()).as("allowed lateness 5m + 1d").isEqualTo(86_700_000L);
        assertThat(SpamJobConfig.parse("time:\n  allowed_lateness: 1h\n").dedupHorizonMillis())
                .isEqualTo(90_000_000L);
        SpamJobConfig set = SpamJobConfig.parse("time:\n  max_future: 1h\ndedup:\n  horizon: 2d\n");
        assertThat(set.maxFutureMillis()).isEqualTo(3_600_000L);
        assertThat(set.dedupHorizonMillis()).isEqualTo(172_800_000L);
        assertThat(ReviewerJobConfig.parse("dedup:\n  horizon: 7d\n").dedupHorizonMillis())
                .isEqualTo(604_800_000L);
        assertThat(error("dedup:\n  horizon: 4m\n").getMessage())
                .isEqualTo("dedup.horizon: 4m is shorter than "
                        + "time.allowed_lateness 5m; a redelivery that is not late could be counted twice");
        assertThat(error("dedup:\n  horizon: 0s\n").getMessage()).startsWith("dedup.horizon: must be positive");
        assertThat(error("time:\n  max_future: 0s\n").getMessage()).startsWith("time.max_future: must be positive");
        assertThat(error("dedup:\n  horizn: 1d\n").getMessage())
                .contains("dedup.horizn: unknown key; did you mean dedup.horizon?");
    }

    @Test
    void badDurationsAndNonPositiveValuesAreNamed() {
        assertThat(error("time:\n  idleness: 10x\n").getMessage()).startsWith("time.idleness: '10x' is not a duration");
        assertThat(error("time:\n  idleness: 60\n").getMessage()).startsWith("time.idleness: '60' is not a duration");
        assertThat(error("checkpoint:\n  interval: 0s\n").getMessage())
                .isEqualTo("checkpoint.interval: must be positive, got 0s");
        assertThat(error("online:\n  ttl: -1d\n").getMessage()).isEqualTo("online.ttl: must be positive, got -1d");
        assertThat(error("time:\n  allowed_lateness: -5m\n").getMessage())
                .isEqualTo("time.allowed_lateness: must be zero or positive, got -5m");
        assertThat(error("dataset:\n  compression: gzip\n").getMessage())
                .isEqualTo("dataset.compression: 'gzip' is not one of zstd, snappy");
        assertThat(error("windows:\n  1h: {length: 1h}\n").getMessage()).contains("windows.1h.hop: missing");
        assertThat(error("windows:\n  1h: {length: 0s, hop: 0s}\n").getMessage())
                .contains("windows.1h.length: must be positive, got 0s");
    }

    @Test
    void featuresMustReferToDefinedWindows() {
        assertThat(error("windows:\n  2h: {length: 2h, hop: 1h}\nfeatures:\n  notes: [2h, 3h]\n")
                        .problems())
                .extracting(ConfigException.Problem::toString)
                .contains("features.notes: window 3h is not defined under windows (defined: 2h)")
                .anyMatch(p -> p.startsWith("features.issues: window 1h is not defined under windows (defined: 2h); "
                        + "this is the default [1h, 24h], set features.issues explicitly"));
    }

    @Test
    void crossChecks() {
        assertThat(error("state:\n  ttl: 7d\n").getMessage())
                .isEqualTo(
                        "state.ttl: 7d is shorter than the longest "
                                + "window plus its hop, 31d (window 30d: 30d + 1d); windowed features would lose events the window still covers");
        // The longest reach need not be the longest window's: 2d + 1d > 49h + 1h. Exactly the reach is enough.
        String windows =
                "windows:\n  a: {length: 2d, hop: 1d}\n  b: {length: 49h, hop: 1h}\nfeatures:\n  notes: [a, b]\n"
                        + "  issues: []\n  merge_requests: []\n  distinct_projects: []\n  links: []\n  content_events: []\n"
                        + "  text_repeat_count: []\n  prior_spam_verdicts: []\n";
        assertThat(error(windows + "state:\n  ttl: 71h\n").getMessage())
                .isEqualTo(
                        "state.ttl: 71h is shorter than the "
                                + "longest window plus its hop, 3d (window a: 2d + 1d); windowed features would lose events the window still covers");
        assertThat(SpamJobConfig.parse(windows + "state:\n  ttl: 3d\n").stateTtlMillis())
                .isEqualTo(3 * 86_400_000L);
        assertThat(SpamJobConfig.parse(windows).stateTtlMillis()).isEqualTo(3 * 86_400_000L);
        assertThat(SpamJobConfig.defaults().stateTtlMillis()).isEqualTo(31 * 86_400_000L);
        assertThat(error("windows:\n  1h: {length: 2h, hop: 1h}\n").getMessage())
                .contains("windows.1h.length: the window is named 1h but its length is 2h");
        assertThat(error("windows:\n  30d: {length: 30d, hop: 1m}\n").getMessage())
                .contains("windows.30d.hop: 1m makes 43200 tiles per window of 30d; at most 10000 are allowed");
        assertThat(error("windows:\n  Big: {length: 2h, hop: 1h}\n").getMessage())
                .contains("windows.Big: window names are lowercase");
        assertThat(error("gitlab:\n  host: https://gitlab.example.com\n").key()).isEqualTo("gitlab.host");
        assertThat(error("features:\n  notes: [1h, 1h]\n").getMessage())
                .isEqualTo("features.notes: window 1h is listed twice");
    }

    @Test
    void syntaxErrorsAndDuplicatesAreReported() {
        assertThat(error("time: [unclosed\n").key()).isEqualTo("<yaml>");
        assertThat(error("time:\n  idleness: 1m\n  idleness: 2m\n").getMessage())
                .contains("idleness");
        assertThat(error("- a\n- b\n").key()).isEqualTo("<yaml>");
    }

    @Test
    void secretsAreNeverEchoed() {
        ConfigException shortKey = error("hashing:\n  key: tooShortSecret\n");
        assertThat(shortKey.getMessage())
                .isEqualTo("hashing.key: must be at least 16 characters")
                .doesNotContain("tooShortSecret");
        ConfigException url = error("online:\n  redis_url: http://user:hunter2@cache:6379\n");
        assertThat(url.getMessage()).isEqualTo("online.redis_url: must start with redis:// or rediss://");
        SpamJobConfig literal = SpamJobConfig.parse("hashing:\n  key: a-long-enough-test-key\n");
        assertThat(literal.toString()).contains("hashing.key=(set)").doesNotContain("a-long-enough-test-key");
    }

    @Test
    void hashKeyComesFromTheEnvironmentOrTheLiteral() {
        SpamJobConfig config = SpamJobConfig.defaults();
        assertThat(config.resolveHashKey(Map.of("EVENTSTREAM_HASH_KEY", "0123456789abcdef")))
                .isEqualTo("0123456789abcdef".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> config.resolveHashKey(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("hashing.key_env: environment variable EVENTSTREAM_HASH_KEY is not set");
        assertThatThrownBy(() -> config.resolveHashKey(Map.of("EVENTSTREAM_HASH_KEY", "short-secret")))
                .hasMessage(
                        "hashing.key_env: environment variable EVENTSTREAM_HASH_KEY holds a key shorter than 16 characters");
        SpamJobConfig literal = SpamJobConfig.parse("hashing:\n  key: a-long-enough-test-key\n  key_env: OTHER\n");
        assertThat(literal.resolveHashKey(Map.of("OTHER", "ignored-because-literal")))
                .isEqualTo("a-long-enough-test-key".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void durationsParseAndFormat() {
        assertThat(Durations.parse("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("k", "10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("k", "1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("k", "24h")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("k", "30d")).isEqualTo(Duration.ofDays(30));
        assertThat(Durations.format(Duration.ofMillis(90_000))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofHours(48))).isEqualTo("2d");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThatThrownBy(() -> Durations.parse("k", "99999999999999999999d"))
                .hasMessage("k: '99999999999999999999d' is too large");
    }

    @Test
    void optionsTableListsEveryKey() {
        String table = SpamJobConfig.optionsTable();
        for (ConfigOption<?> option : SpamJobConfig.OPTIONS) {
            assertThat(table).contains("| `" + option.key() + "` |");
        }
        assertThat(table)
                .contains("| `windows.<name>.hop` |")
                .contains("| `features.notes` | list of window names | `[1m, 10m, 1h, 24h]` |")
                .contains("| `time.max_out_of_orderness` | duration | `30s` |")
                .contains("| `dataset.compression` | one of zstd \\| snappy | `zstd` |");
    }

    @Test
    void javaSerializationCarriesTheYaml() throws Exception {
        SpamJobConfig config = SpamJobConfig.parse("gitlab:\n  host: git.example.org\nstate:\n  ttl: 40d\n");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(config);
        }
        try (java.io.ObjectInputStream in =
                new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            SpamJobConfig back = (SpamJobConfig) in.readObject();
            assertThat(back.toString()).isEqualTo(config.toString());
            assertThat(back.gitlabHost()).isEqualTo("git.example.org");
            assertThat(back.stateTtlMillis()).isEqualTo(40 * 86_400_000L);
        }
    }

    private static ConfigException error(String yaml) {
        try {
            SpamJobConfig.parse(yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for:\n" + yaml);
    }
}
