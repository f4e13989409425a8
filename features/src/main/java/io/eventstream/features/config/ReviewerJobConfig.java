package io.eventstream.features.config;

import io.eventstream.features.windows.WindowSpec;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The reviewer-recommendation job's configuration, loaded from YAML
 * ({@code deploy/config/reviewers.yaml} is the documented example) and validated at start like
 * {@link SpamJobConfig}: unknown keys (with a did-you-mean), bad durations or numbers, hops that
 * do not divide lengths, features naming undefined windows and a state TTL shorter than what the
 * windows reach all fail with a {@link ConfigException} naming the key.
 *
 * <p>Immutable; Java-serializable as its YAML text, so a Flink function can carry it and build its
 * engine in {@code open()}.
 */
public final class ReviewerJobConfig implements JobSettings, Serializable {
    private static final long serialVersionUID = 1L;

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = CommonJobOptions.MAX_OUT_OF_ORDERNESS;
    public static final ConfigOption<Duration> IDLENESS = CommonJobOptions.IDLENESS;
    public static final ConfigOption<Duration> ALLOWED_LATENESS = CommonJobOptions.ALLOWED_LATENESS;
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = CommonJobOptions.CHECKPOINT_INTERVAL;
    public static final ConfigOption<String> DATASET_ROOT = CommonJobOptions.DATASET_ROOT;
    public static final ConfigOption<DatasetCompression> DATASET_COMPRESSION = CommonJobOptions.DATASET_COMPRESSION;
    public static final ConfigOption<OnlineBackend> ONLINE_BACKEND = CommonJobOptions.ONLINE_BACKEND;
    public static final ConfigOption<String> ONLINE_SQLITE_PATH = ConfigOption.string(
            "online.sqlite_path", "out/online/reviewer_features.sqlite",
            "SQLite database file holding both online tables (backend sqlite).");
    public static final ConfigOption<String> ONLINE_REDIS_URL = CommonJobOptions.ONLINE_REDIS_URL;
    public static final ConfigOption<Duration> ONLINE_MAX_OUTAGE = CommonJobOptions.ONLINE_MAX_OUTAGE;
    public static final ConfigOption<Duration> ONLINE_TTL = ConfigOption.duration(
            "online.ttl", Duration.ofDays(90), false,
            "Online rows not refreshed for this long expire (both tables).");
    public static final ConfigOption<Duration> STATE_TTL = ConfigOption.derivedDuration(
            "state.ttl", "longest reach",
            "A project's keyed state is dropped after this long without any relevant event; also how long a "
                    + "non-member's record, an idle branch and an idle merge request are kept. Must be at least the "
                    + "longest reach of any window (length + hop, including candidates.lookback), which is the default.");
    public static final ConfigOption<Integer> PREFIX_DEPTH = ConfigOption.integer(
            "paths.prefix_depth", 3, 1, 16,
            "Directory prefixes of a path are taken at depths 1..D: src/main/App.java gives src and src/main.");
    public static final ConfigOption<Integer> MAX_PATHS = ConfigOption.integer(
            "paths.max_per_branch", 1000, 1, 100_000,
            "At most this many distinct changed paths are kept per branch and per merge request; further paths are "
                    + "dropped and paths_truncated is set. Bounds state for long-lived branches such as main.");
    public static final ConfigOption<Duration> LOOKBACK = ConfigOption.duration(
            "candidates.lookback", Duration.ofDays(90), false,
            "Users with activity (MR notes, approvals, pushes) in this window are candidates besides the members; "
                    + "it also ranks them (lookback_activity).");
    public static final ConfigOption<Duration> LOOKBACK_HOP = ConfigOption.duration(
            "candidates.lookback_hop", Duration.ofDays(1), false,
            "Hop of the lookback window; must divide candidates.lookback.");
    public static final ConfigOption<Integer> MAX_CANDIDATES = ConfigOption.integer(
            "candidates.max", 20, 1, 1000,
            "At most this many candidates (rows) per emission: the top K by lookback_activity, then last activity, "
                    + "then user id.");
    public static final ConfigOption<Boolean> EMIT_ON_PATH_GROWTH = ConfigOption.bool(
            "candidates.emit_on_path_growth", true,
            "Emit the candidate rows of an open MR again whenever its changed paths grow (a push to its source "
                    + "branch or an MR event listing new paths).");
    public static final ConfigOption<Duration> MR_GRACE = ConfigOption.duration(
            "merge_requests.grace", Duration.ofDays(7), true,
            "A merged or closed MR's state is kept this long (notes and approvals after the merge still count as "
                    + "reviews of it), then dropped.");

    /** Every scalar option, in documentation order. */
    public static final List<ConfigOption<?>> OPTIONS = List.of(
            MAX_OUT_OF_ORDERNESS, IDLENESS, ALLOWED_LATENESS, CommonJobOptions.MAX_FUTURE,
            CommonJobOptions.DEDUP_HORIZON, CHECKPOINT_INTERVAL, DATASET_ROOT, DATASET_COMPRESSION,
            ONLINE_BACKEND, ONLINE_SQLITE_PATH, ONLINE_REDIS_URL, ONLINE_TTL, ONLINE_MAX_OUTAGE, STATE_TTL, PREFIX_DEPTH, MAX_PATHS,
            LOOKBACK, LOOKBACK_HOP, MAX_CANDIDATES, EMIT_ON_PATH_GROWTH, MR_GRACE,
            CommonJobOptions.DEAD_LETTERS_RAW_ROOT, CommonJobOptions.DEAD_LETTERS_RAW_RETENTION);

    /** The default windows: name, length, hop. */
    public static final List<WindowSpec> DEFAULT_WINDOWS = List.of(
            new WindowSpec("30d", 30 * 86_400_000L, 86_400_000L),
            new WindowSpec("90d", 90 * 86_400_000L, 86_400_000L),
            new WindowSpec("365d", 365 * 86_400_000L, 86_400_000L));

    /** Name of the lookback window in {@link #lookbackWindow()}. */
    public static final String LOOKBACK_WINDOW = "lookback";

    private static final List<String> SECTIONS = List.of(
            "time", "dedup", "checkpoint", "dataset", "online", "state", "paths", "candidates", "merge_requests",
            "dead_letters", WindowedConfigLoader.KAFKA_SECTION);

    private final String yaml;
    private final Map<String, WindowSpec> windows;
    private final Map<ReviewerWindowedFeature, List<WindowSpec>> featureWindows;
    private final Map<ConfigOption<?>, Object> values;
    private final WindowSpec lookback;
    private final Duration stateTtl;

    private ReviewerJobConfig(String yaml, Map<String, WindowSpec> windows,
            Map<ReviewerWindowedFeature, List<WindowSpec>> featureWindows, Map<ConfigOption<?>, Object> values,
            WindowSpec lookback, Duration stateTtl) {
        this.yaml = yaml;
        this.windows = windows;
        this.featureWindows = featureWindows;
        this.values = values;
        this.lookback = lookback;
        this.stateTtl = stateTtl;
    }

    // ---------------------------------------------------------------- loading

    /** The configuration with every default. */
    public static ReviewerJobConfig defaults() {
        return parse("");
    }

    /** Loads and validates a YAML file. */
    public static ReviewerJobConfig load(Path file) {
        return parse(WindowedConfigLoader.readFile(file));
    }

    /** Parses and validates YAML text; an empty document means all defaults. */
    public static ReviewerJobConfig parse(String yaml) {
        WindowedConfigLoader<ReviewerWindowedFeature> loader = new WindowedConfigLoader<>(ReviewerWindowedFeature.class,
                OPTIONS, SECTIONS, DEFAULT_WINDOWS, "reviews_30d");
        WindowedConfigLoader.Parsed<ReviewerWindowedFeature> parsed = loader.load(WindowedConfigLoader.readTree(yaml));
        Map<ConfigOption<?>, Object> values = parsed.values();
        WindowSpec lookback = loader.window(LOOKBACK_HOP.key(), LOOKBACK_WINDOW,
                (Duration) values.getOrDefault(LOOKBACK, LOOKBACK.defaultValue()),
                (Duration) values.getOrDefault(LOOKBACK_HOP, LOOKBACK_HOP.defaultValue()));
        long reach = longestReach(parsed.featureWindows(), lookback);
        Duration stateTtl = (Duration) values.get(STATE_TTL);
        if (stateTtl == null) {
            stateTtl = Duration.ofMillis(reach);
        } else if (stateTtl.toMillis() < reach) {
            loader.problem(STATE_TTL.key(), Durations.format(stateTtl) + " is shorter than the longest reach of a window "
                    + "(length + hop) " + Durations.formatMillis(reach) + "; windowed features would lose events");
        }
        loader.checkRedisUrl(values, ONLINE_REDIS_URL);
        loader.checkRawDeadLetterRetention(values);
        CommonJobOptions.checkDedupHorizon(loader, values);
        loader.failIfProblems();
        return new ReviewerJobConfig(yaml, parsed.windows(), parsed.featureWindows(),
                CommonJobOptions.withDerivedDefaults(values), lookback,
                stateTtl);
    }

    /** How far back the furthest window reaches from an event: max of length + hop (at least the lookback's). */
    private static long longestReach(Map<ReviewerWindowedFeature, List<WindowSpec>> featureWindows, WindowSpec lookback) {
        long reach = lookback == null ? 0 : lookback.lengthMillis() + lookback.hopMillis();
        for (List<WindowSpec> list : featureWindows.values()) {
            for (WindowSpec w : list) {
                reach = Math.max(reach, w.lengthMillis() + w.hopMillis());
            }
        }
        return reach;
    }

    /** The YAML text this configuration was parsed from (empty for {@link #defaults()}). */
    public String yaml() {
        return yaml;
    }

    private Object writeReplace() {
        return new SerializedForm(yaml);
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("ReviewerJobConfig is serialized as its YAML text");
    }

    /** The serialized form: the YAML text, validated again when read. */
    private record SerializedForm(String yaml) implements Serializable {
        private Object readResolve() {
            return parse(yaml);
        }
    }

    // ---------------------------------------------------------------- access

    /** A scalar option's value (its default when not set). */
    @SuppressWarnings("unchecked")
    @Override
    public <T> T get(ConfigOption<T> option) {
        if (option == STATE_TTL) {
            return (T) stateTtl;
        }
        Object value = values.get(option);
        return value != null ? (T) value : option.defaultValue();
    }

    /** Windows in file order. */
    public List<WindowSpec> windows() {
        return List.copyOf(windows.values());
    }

    /** The windows of a feature, sorted by (length, hop, name); empty when disabled. */
    public List<WindowSpec> windowsOf(ReviewerWindowedFeature feature) {
        return featureWindows.get(feature);
    }

    /** The candidate lookback as a sawtooth window named {@value #LOOKBACK_WINDOW}. */
    public WindowSpec lookbackWindow() {
        return lookback;
    }








    public String onlineSqlitePath() {
        return get(ONLINE_SQLITE_PATH);
    }


    public long onlineTtlMillis() {
        return get(ONLINE_TTL).toMillis();
    }

    public long stateTtlMillis() {
        return stateTtl.toMillis();
    }

    public int prefixDepth() {
        return get(PREFIX_DEPTH);
    }

    public int maxPathsPerBranch() {
        return get(MAX_PATHS);
    }

    public int maxCandidates() {
        return get(MAX_CANDIDATES);
    }

    public boolean emitOnPathGrowth() {
        return get(EMIT_ON_PATH_GROWTH);
    }

    public long mergeRequestGraceMillis() {
        return get(MR_GRACE).toMillis();
    }

    /** Markdown reference of every key: windows, features and the scalar options. */
    public static String optionsTable() {
        StringBuilder out = new StringBuilder("| key | type | default | description |\n|---|---|---|---|\n");
        out.append(WindowedConfigLoader.windowAndFeatureRows(DEFAULT_WINDOWS, ReviewerWindowedFeature.class, "reviews"));
        for (ConfigOption<?> option : OPTIONS) {
            out.append(ConfigOption.row(option.key(), option.typeName(), option.defaultText(), option.description()));
        }
        out.append(WindowedConfigLoader.kafkaRow());
        return out.toString();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("ReviewerJobConfig{windows=");
        out.append(windows.values().stream()
                .map(w -> w.name() + "(" + Durations.formatMillis(w.lengthMillis()) + "/" + Durations.formatMillis(w.hopMillis()) + ")")
                .collect(Collectors.joining(", ")));
        out.append(", features=").append(featureWindows.entrySet().stream()
                .map(e -> e.getKey().key() + e.getValue().stream().map(WindowSpec::name).toList())
                .collect(Collectors.joining(", ")));
        for (ConfigOption<?> option : OPTIONS) {
            Object value = get(option);
            out.append(", ").append(option.key()).append('=')
                    .append(value instanceof Duration d ? Durations.format(d)
                            : value instanceof ConfigChoice c ? c.configName() : value);
        }
        return out.append('}').toString();
    }
}
