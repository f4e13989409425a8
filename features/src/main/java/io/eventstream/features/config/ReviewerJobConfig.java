package io.eventstream.features.config;

import io.eventstream.features.windows.WindowSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The reviewer-recommendation job's configuration, loaded from YAML
 * ({@code deploy/config/reviewers.yaml} is the documented example) and validated at start like
 * {@link SpamJobConfig}: unknown keys (with a did-you-mean), bad durations or numbers, hops that
 * do not divide lengths, features naming undefined windows and a state TTL shorter than what the
 * windows reach all fail with a {@link ConfigException} naming the key.
 *
 * <p>The shared core (time, dedup, checkpoint, dataset, online, dead letters, kafka, windows,
 * features, state TTL) is {@link WindowedJobConfig}'s; this class adds the path, candidate and
 * merge-request options and the candidate lookback window.
 */
public final class ReviewerJobConfig extends WindowedJobConfig<ReviewerWindowedFeature> {
    private static final long serialVersionUID = 1L;

    public static final ConfigOption<String> ONLINE_SQLITE_PATH = ConfigOption.string(
            "online.sqlite_path",
            "out/online/reviewer_features.sqlite",
            "SQLite database file holding both online tables (backend sqlite).");
    public static final ConfigOption<Duration> ONLINE_TTL = ConfigOption.duration(
            "online.ttl", Duration.ofDays(90), false, "Online rows not refreshed for this long expire (both tables).");
    public static final ConfigOption<Duration> STATE_TTL = ConfigOption.derivedDuration(
            "state.ttl",
            "longest reach",
            "A project's keyed state is dropped after this long without any relevant event; also how long a "
                    + "non-member's record, an idle branch and an idle merge request are kept. Must be at least the "
                    + "longest reach of any window (length + hop, including candidates.lookback), which is the default.");
    public static final ConfigOption<Integer> PREFIX_DEPTH = ConfigOption.integer(
            "paths.prefix_depth",
            3,
            1,
            16,
            "Directory prefixes of a path are taken at depths 1..D: src/main/App.java gives src and src/main.");
    public static final ConfigOption<Integer> MAX_PATHS = ConfigOption.integer(
            "paths.max_per_branch",
            1000,
            1,
            100_000,
            "At most this many distinct changed paths are kept per branch and per merge request; further paths are "
                    + "dropped and paths_truncated is set. Bounds state for long-lived branches such as main.");
    public static final ConfigOption<Duration> LOOKBACK = ConfigOption.duration(
            "candidates.lookback",
            Duration.ofDays(90),
            false,
            "Users with activity (MR notes, approvals, pushes) in this window are candidates besides the members; "
                    + "it also ranks them (lookback_activity).");
    public static final ConfigOption<Duration> LOOKBACK_HOP = ConfigOption.duration(
            "candidates.lookback_hop",
            Duration.ofDays(1),
            false,
            "Hop of the lookback window; must divide candidates.lookback.");
    public static final ConfigOption<Integer> MAX_CANDIDATES = ConfigOption.integer(
            "candidates.max",
            20,
            1,
            1000,
            "At most this many candidates (rows) per emission: the top K by lookback_activity, then last activity, "
                    + "then user id.");
    public static final ConfigOption<Boolean> EMIT_ON_PATH_GROWTH = ConfigOption.bool(
            "candidates.emit_on_path_growth",
            true,
            "Emit the candidate rows of an open MR again whenever its changed paths grow (a push to its source "
                    + "branch or an MR event listing new paths).");
    public static final ConfigOption<Duration> MR_GRACE = ConfigOption.duration(
            "merge_requests.grace",
            Duration.ofDays(7),
            true,
            "A merged or closed MR's state is kept this long (notes and approvals after the merge still count as "
                    + "reviews of it), then dropped.");

    private static final String USER_BUCKETS_KEY = "state.user_buckets";
    /** The most user buckets a project can have (the job keys a bucket by project id × this + bucket). */
    public static final int MAX_USER_BUCKETS = 256;

    public static final ConfigOption<Integer> USER_BUCKETS = ConfigOption.integer(
            USER_BUCKETS_KEY,
            0,
            0,
            MAX_USER_BUCKETS,
            "0: a project's whole state is one key, kept by one keyed function. N > 0: a project's path, prefix and "
                    + "pair counts, and the candidate rows built from them, are kept in N keyed buckets of its users "
                    + "(by user id) by a second keyed function, so that a busy project's work spreads over more than "
                    + "one subtask on the heap backend, for about a fifth more CPU per event (docs/benchmarks.md). The rows do not depend "
                    + "on it. A change through a savepoint starts the per-user counts empty, like a change of their "
                    + "windows; between 0 and N > 0 it needs --allowNonRestoredState.");

    /** Every scalar option, in documentation order. */
    public static final List<ConfigOption<?>> OPTIONS = options(
            ONLINE_SQLITE_PATH,
            ONLINE_TTL,
            STATE_TTL,
            List.of(
                    USER_BUCKETS,
                    PREFIX_DEPTH,
                    MAX_PATHS,
                    LOOKBACK,
                    LOOKBACK_HOP,
                    MAX_CANDIDATES,
                    EMIT_ON_PATH_GROWTH,
                    MR_GRACE));

    /** The default windows: name, length, hop. */
    public static final List<WindowSpec> DEFAULT_WINDOWS = List.of(
            new WindowSpec("30d", 30 * 86_400_000L, 86_400_000L),
            new WindowSpec("90d", 90 * 86_400_000L, 86_400_000L),
            new WindowSpec("365d", 365 * 86_400_000L, 86_400_000L));

    /** Name of the lookback window in {@link #lookbackWindow()}. */
    public static final String LOOKBACK_WINDOW = "lookback";

    private static final Spec<ReviewerWindowedFeature> SPEC = new Spec<>(
            "ReviewerJobConfig",
            ReviewerWindowedFeature.class,
            OPTIONS,
            sections("paths", "candidates", "merge_requests"),
            DEFAULT_WINDOWS,
            ReviewerWindowedFeature.REVIEWS,
            "reviews_30d",
            ONLINE_SQLITE_PATH,
            ONLINE_TTL,
            STATE_TTL,
            ReviewerJobConfig::parse);

    private final WindowSpec lookback;

    private ReviewerJobConfig(Core<ReviewerWindowedFeature> core, WindowSpec lookback) {
        super(core);
        this.lookback = lookback;
    }

    // ---------------------------------------------------------------- loading

    /** The configuration with every default. */
    public static ReviewerJobConfig defaults() {
        return parse("");
    }

    /** Loads and validates a YAML file. */
    public static ReviewerJobConfig load(Path file) {
        return parse(readFile(file));
    }

    /** Parses and validates YAML text; an empty document means all defaults. */
    public static ReviewerJobConfig parse(String yaml) {
        Loading<ReviewerWindowedFeature> loading = loading(SPEC, yaml);
        WindowSpec lookback = loading.window(
                LOOKBACK_HOP.key(), LOOKBACK_WINDOW, loading.value(LOOKBACK), loading.value(LOOKBACK_HOP));
        long reach = longestReach(loading.featureWindows(), lookback);
        Duration stateTtl = loading.stateTtl(
                reach,
                () -> "the longest reach of a window (length + hop) " + Durations.formatMillis(reach)
                        + "; windowed features would lose events");
        loading.checkRedisUrl();
        return new ReviewerJobConfig(loading.finish(stateTtl), lookback);
    }

    /** How far back the furthest window reaches from an event: max of length + hop (at least the lookback's). */
    private static long longestReach(
            Map<ReviewerWindowedFeature, List<WindowSpec>> featureWindows, WindowSpec lookback) {
        long reach = lookback == null ? 0 : lookback.lengthMillis() + lookback.hopMillis();
        for (List<WindowSpec> list : featureWindows.values()) {
            for (WindowSpec w : list) {
                reach = Math.max(reach, w.lengthMillis() + w.hopMillis());
            }
        }
        return reach;
    }

    // ---------------------------------------------------------------- access

    /** The candidate lookback as a sawtooth window named {@value #LOOKBACK_WINDOW}. */
    public WindowSpec lookbackWindow() {
        return lookback;
    }

    /** {@value #USER_BUCKETS_KEY}: how many user buckets a project's path, prefix and pair counts are spread over (0: none). */
    public int userBuckets() {
        return get(USER_BUCKETS);
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
        return optionsTable(SPEC);
    }
}
