package io.eventstream.features.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstream.features.windows.WindowSpec;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The spam features job's configuration, loaded from YAML ({@code deploy/config/spam.yaml} is the
 * documented example) and validated at start: unknown keys (with a did-you-mean), bad durations,
 * hops that do not divide lengths, features referring to undefined windows and zero or negative
 * values all fail with a {@link ConfigException} naming the key.
 *
 * <p>Immutable. Windows keep the order of the file; each feature's windows are sorted by
 * (length, hop, name), which fixes the column order. Java-serializable as its YAML text (parsed
 * again on deserialization), so a Flink function can carry it and build its engine in
 * {@code open()}.
 */
public final class SpamJobConfig implements JobSettings, Serializable {
    private static final long serialVersionUID = 1L;

    /** At most this many tiles per window (length / hop), which bounds state per user. */
    public static final int MAX_TILES_PER_WINDOW = CommonJobOptions.MAX_TILES_PER_WINDOW;
    /** Keyed-hash keys shorter than this are refused. */
    public static final int MIN_HASH_KEY_LENGTH = 16;

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = CommonJobOptions.MAX_OUT_OF_ORDERNESS;
    public static final ConfigOption<Duration> IDLENESS = CommonJobOptions.IDLENESS;
    public static final ConfigOption<Duration> ALLOWED_LATENESS = CommonJobOptions.ALLOWED_LATENESS;
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = CommonJobOptions.CHECKPOINT_INTERVAL;
    public static final ConfigOption<String> DATASET_ROOT = CommonJobOptions.DATASET_ROOT;
    public static final ConfigOption<DatasetCompression> DATASET_COMPRESSION = CommonJobOptions.DATASET_COMPRESSION;
    public static final ConfigOption<OnlineBackend> ONLINE_BACKEND = CommonJobOptions.ONLINE_BACKEND;
    public static final ConfigOption<String> ONLINE_SQLITE_PATH = ConfigOption.string(
            "online.sqlite_path", "out/online/spam_user_features.sqlite",
            "SQLite database file of the online table (backend sqlite).");
    public static final ConfigOption<String> ONLINE_REDIS_URL = CommonJobOptions.ONLINE_REDIS_URL;
    public static final ConfigOption<Duration> ONLINE_MAX_OUTAGE = CommonJobOptions.ONLINE_MAX_OUTAGE;
    public static final ConfigOption<Duration> ONLINE_TTL = CommonJobOptions.ONLINE_TTL;
    public static final ConfigOption<Duration> STATE_TTL = ConfigOption.derivedDuration(
            "state.ttl", "longest window + its hop",
            "A user's keyed state is dropped after this long without any relevant event (see \"Which events keep "
                    + "a user's state\"); must be at least the longest reach of a window, length + hop (the default), "
                    + "so that no event a window still covers is forgotten. After that the user's sign-up time, email "
                    + "domain and memberships are forgotten (account_age_seconds becomes null) until new events arrive.");
    public static final ConfigOption<String> HASH_KEY_ENV = ConfigOption.string(
            "hashing.key_env", "EVENTSTREAM_HASH_KEY",
            "Name of the environment variable holding the key of email_domain_hash (HMAC-SHA256), at least "
                    + MIN_HASH_KEY_LENGTH + " characters.");
    public static final ConfigOption<String> HASH_KEY = ConfigOption.secret(
            "hashing.key",
            "The hash key written in the file itself. Discouraged (tests and demos only): it wins over hashing.key_env.");
    public static final ConfigOption<String> GITLAB_HOST = ConfigOption.string(
            "gitlab.host", "gitlab.example.com",
            "Host of the GitLab instance: links to it or its subdomains are internal, all others count as "
                    + "external_link_count.");

    /** Every scalar option, in documentation order. */
    public static final List<ConfigOption<?>> OPTIONS = List.of(
            MAX_OUT_OF_ORDERNESS, IDLENESS, ALLOWED_LATENESS, CommonJobOptions.MAX_FUTURE,
            CommonJobOptions.DEDUP_HORIZON, CHECKPOINT_INTERVAL, DATASET_ROOT, DATASET_COMPRESSION,
            ONLINE_BACKEND, ONLINE_SQLITE_PATH, ONLINE_REDIS_URL, ONLINE_TTL, ONLINE_MAX_OUTAGE, STATE_TTL, HASH_KEY_ENV, HASH_KEY,
            GITLAB_HOST,
            CommonJobOptions.DEAD_LETTERS_RAW_ROOT, CommonJobOptions.DEAD_LETTERS_RAW_RETENTION);

    /** The default windows: name, length, hop. */
    public static final List<WindowSpec> DEFAULT_WINDOWS = List.of(
            new WindowSpec("1m", 60_000L, 10_000L),
            new WindowSpec("10m", 600_000L, 60_000L),
            new WindowSpec("1h", 3_600_000L, 300_000L),
            new WindowSpec("24h", 86_400_000L, 3_600_000L),
            new WindowSpec("7d", 7 * 86_400_000L, 86_400_000L),
            new WindowSpec("30d", 30 * 86_400_000L, 86_400_000L));

    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final List<String> SECTIONS = List.of(
            "time", "dedup", "checkpoint", "dataset", "online", "state", "hashing", "gitlab", "dead_letters",
            WindowedConfigLoader.KAFKA_SECTION);

    private final Map<String, WindowSpec> windows;
    private final Map<SpamWindowedFeature, List<WindowSpec>> featureWindows;
    private final Map<ConfigOption<?>, Object> values;
    private final Duration stateTtl;
    private final String yaml;

    private SpamJobConfig(String yaml, Map<String, WindowSpec> windows,
            Map<SpamWindowedFeature, List<WindowSpec>> featureWindows, Map<ConfigOption<?>, Object> values,
            Duration stateTtl) {
        this.yaml = yaml;
        this.windows = windows;
        this.featureWindows = featureWindows;
        this.values = values;
        this.stateTtl = stateTtl;
    }

    // ---------------------------------------------------------------- loading

    /** The configuration with every default: the default columns. */
    public static SpamJobConfig defaults() {
        return parse("");
    }

    /** Loads and validates a YAML file. */
    public static SpamJobConfig load(Path file) {
        return parse(WindowedConfigLoader.readFile(file));
    }

    /** Parses and validates YAML text; an empty document means all defaults. */
    public static SpamJobConfig parse(String yaml) {
        return load(yaml, WindowedConfigLoader.readTree(yaml));
    }

    /** The YAML text this configuration was parsed from (empty for {@link #defaults()}). */
    public String yaml() {
        return yaml;
    }

    private Object writeReplace() {
        return new SerializedForm(yaml);
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("SpamJobConfig is serialized as its YAML text");
    }

    /** The serialized form: the YAML text, validated again when read. */
    private record SerializedForm(String yaml) implements Serializable {
        private Object readResolve() {
            return parse(yaml);
        }
    }

    /** Validates a document: the shared sections through {@link WindowedConfigLoader}, then spam's own checks. */
    private static SpamJobConfig load(String yaml, JsonNode root) {
        WindowedConfigLoader<SpamWindowedFeature> loader = new WindowedConfigLoader<>(SpamWindowedFeature.class,
                OPTIONS, SECTIONS, DEFAULT_WINDOWS, "notes_1h");
        WindowedConfigLoader.Parsed<SpamWindowedFeature> parsed = loader.load(root);
        Map<ConfigOption<?>, Object> values = parsed.values();
        // At event time t a window covers [floor(t/h)*h - W, t]: an event up to W + h - 1 ms old can still count,
        // so state kept for less than W + h would forget events the documented window includes.
        WindowSpec widest = parsed.windows().values().stream()
                .max(java.util.Comparator.comparingLong(w -> w.lengthMillis() + w.hopMillis())).orElse(null);
        long reach = widest == null ? 0 : widest.lengthMillis() + widest.hopMillis();
        Duration stateTtl = (Duration) values.get(STATE_TTL);
        if (stateTtl == null) {
            stateTtl = Duration.ofMillis(reach);
        } else if (stateTtl.toMillis() < reach) {
            loader.problem(STATE_TTL.key(), Durations.format(stateTtl) + " is shorter than the longest window plus its hop, "
                    + Durations.formatMillis(reach) + " (window " + widest.name() + ": "
                    + Durations.formatMillis(widest.lengthMillis()) + " + " + Durations.formatMillis(widest.hopMillis())
                    + "); windowed features would lose events the window still covers");
        }
        String host = (String) values.get(GITLAB_HOST);
        if (host != null && !HOST.matcher(host).matches()) {
            loader.problem(GITLAB_HOST.key(), "'" + host + "' is not a lowercase host name (no scheme, port or path), "
                    + "e.g. gitlab.example.com");
        }
        loader.checkRedisUrl(values, ONLINE_REDIS_URL);
        Object key = values.get(HASH_KEY);
        if (key != null && ((String) key).length() < MIN_HASH_KEY_LENGTH) {
            loader.problem(HASH_KEY.key(), "must be at least " + MIN_HASH_KEY_LENGTH + " characters");
        }
        loader.checkRawDeadLetterRetention(values);
        CommonJobOptions.checkDedupHorizon(loader, values);
        loader.failIfProblems();
        return new SpamJobConfig(yaml, parsed.windows(), parsed.featureWindows(),
                CommonJobOptions.withDerivedDefaults(values), stateTtl);
    }

    // ---------------------------------------------------------------- access

    /** A scalar option's value (its default when not set; null when unset without default). */
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

    public WindowSpec window(String name) {
        WindowSpec spec = windows.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("no window " + name);
        }
        return spec;
    }

    /** The windows of a feature, sorted by (length, hop, name); empty when disabled. */
    public List<WindowSpec> windowsOf(SpamWindowedFeature feature) {
        return featureWindows.get(feature);
    }

    /** Length of the longest window any feature uses (0 when none). */
    public long longestFeatureWindowMillis() {
        return featureWindows.values().stream().flatMap(List::stream).mapToLong(WindowSpec::lengthMillis).max().orElse(0);
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

    public String hashKeyEnv() {
        return get(HASH_KEY_ENV);
    }

    public String gitlabHost() {
        return get(GITLAB_HOST);
    }

    /**
     * The email-domain hash key: {@code hashing.key} when set, else the environment variable named by
     * {@code hashing.key_env}. Fails naming the key (never showing the value) when absent or too short.
     */
    public byte[] resolveHashKey(Map<String, String> environment) {
        String literal = (String) values.get(HASH_KEY);
        if (literal != null) {
            return literal.getBytes(StandardCharsets.UTF_8);
        }
        String variable = hashKeyEnv();
        String key = environment.get(variable);
        if (key == null || key.isEmpty()) {
            throw new ConfigException(HASH_KEY_ENV.key(), "environment variable " + variable
                    + " is not set; set it to a secret of at least " + MIN_HASH_KEY_LENGTH
                    + " characters (or hashing.key in test configs)");
        }
        if (key.length() < MIN_HASH_KEY_LENGTH) {
            throw new ConfigException(HASH_KEY_ENV.key(), "environment variable " + variable
                    + " holds a key shorter than " + MIN_HASH_KEY_LENGTH + " characters");
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** Markdown reference of every key: windows, features and the scalar options. */
    public static String optionsTable() {
        StringBuilder out = new StringBuilder("| key | type | default | description |\n|---|---|---|---|\n");
        out.append(WindowedConfigLoader.windowAndFeatureRows(DEFAULT_WINDOWS, SpamWindowedFeature.class, "notes"));
        for (ConfigOption<?> option : OPTIONS) {
            out.append(ConfigOption.row(option.key(), option.typeName(), option.defaultText(), option.description()));
        }
        out.append(WindowedConfigLoader.kafkaRow());
        return out.toString();
    }

    /** A summary without secrets. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("SpamJobConfig{windows=");
        out.append(windows.values().stream()
                .map(w -> w.name() + "(" + Durations.formatMillis(w.lengthMillis()) + "/" + Durations.formatMillis(w.hopMillis()) + ")")
                .collect(Collectors.joining(", ")));
        for (ConfigOption<?> option : OPTIONS) {
            if (!option.isSecret()) {
                Object value = get(option);
                out.append(", ").append(option.key()).append('=')
                        .append(value instanceof Duration d ? Durations.format(d)
                                : value instanceof ConfigChoice c ? c.configName() : value);
            }
        }
        out.append(", hashing.key=").append(values.containsKey(HASH_KEY) ? "(set)" : "(unset)");
        return out.append('}').toString();
    }
}
