package io.eventstream.features.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.eventstream.features.windows.WindowSpec;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
public final class SpamJobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** At most this many tiles per window (length / hop), which bounds state per user. */
    public static final int MAX_TILES_PER_WINDOW = 10_000;
    /** Keyed-hash keys shorter than this are refused. */
    public static final int MIN_HASH_KEY_LENGTH = 16;

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = ConfigOption.duration(
            "time.max_out_of_orderness", Duration.ofSeconds(30), true,
            "Watermark bound: how far behind the newest event time an event may arrive and still be in order.");
    public static final ConfigOption<Duration> IDLENESS = ConfigOption.duration(
            "time.idleness", Duration.ofMinutes(1), false,
            "A source partition without events for this long is marked idle so it does not hold back the watermark.");
    public static final ConfigOption<Duration> ALLOWED_LATENESS = ConfigOption.duration(
            "time.allowed_lateness", Duration.ofMinutes(5), true,
            "Events later than the watermark by more than this go to the late_events dataset instead of the features.");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = ConfigOption.duration(
            "checkpoint.interval", Duration.ofSeconds(10), false,
            "Flink checkpoint interval; dataset part files are committed on checkpoints.");
    public static final ConfigOption<String> DATASET_ROOT = ConfigOption.string(
            "dataset.root", "out/datasets",
            "Directory (or URI) under which `<dataset>/v<N>/dt=.../hour=.../` Parquet files are written.");
    public static final ConfigOption<DatasetCompression> DATASET_COMPRESSION = ConfigOption.choice(
            "dataset.compression", DatasetCompression.class, DatasetCompression.ZSTD,
            "Parquet compression codec.");
    public static final ConfigOption<OnlineBackend> ONLINE_BACKEND = ConfigOption.choice(
            "online.backend", OnlineBackend.class, OnlineBackend.SQLITE,
            "Online table store: an embedded SQLite file (local default) or Redis (production).");
    public static final ConfigOption<String> ONLINE_SQLITE_PATH = ConfigOption.string(
            "online.sqlite_path", "out/online/spam_user_features.sqlite",
            "SQLite database file of the online table (backend sqlite).");
    public static final ConfigOption<String> ONLINE_REDIS_URL = ConfigOption.string(
            "online.redis_url", "redis://127.0.0.1:6379",
            "Redis URL (backend redis): redis://host:port or rediss://host:port for TLS. Keep passwords out of "
                    + "this file; pass them through the environment.");
    public static final ConfigOption<Duration> ONLINE_TTL = ConfigOption.duration(
            "online.ttl", Duration.ofDays(30), false,
            "Online rows not refreshed for this long expire.");
    public static final ConfigOption<Duration> STATE_TTL = ConfigOption.derivedDuration(
            "state.ttl", "longest window",
            "A user's keyed state is dropped after this long without any relevant event; must be at least the "
                    + "longest window. After that the user's sign-up time, email domain and memberships are "
                    + "forgotten (account_age_seconds becomes null) until new events arrive.");
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
            MAX_OUT_OF_ORDERNESS, IDLENESS, ALLOWED_LATENESS, CHECKPOINT_INTERVAL, DATASET_ROOT, DATASET_COMPRESSION,
            ONLINE_BACKEND, ONLINE_SQLITE_PATH, ONLINE_REDIS_URL, ONLINE_TTL, STATE_TTL, HASH_KEY_ENV, HASH_KEY,
            GITLAB_HOST);

    /** The default windows: name, length, hop. */
    public static final List<WindowSpec> DEFAULT_WINDOWS = List.of(
            new WindowSpec("1m", 60_000L, 10_000L),
            new WindowSpec("10m", 600_000L, 60_000L),
            new WindowSpec("1h", 3_600_000L, 300_000L),
            new WindowSpec("24h", 86_400_000L, 3_600_000L),
            new WindowSpec("7d", 7 * 86_400_000L, 86_400_000L),
            new WindowSpec("30d", 30 * 86_400_000L, 86_400_000L));

    private static final YAMLMapper YAML =
            YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final Pattern WINDOW_NAME = Pattern.compile("[a-z0-9][a-z0-9_]*");
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final List<String> SECTIONS = List.of(
            "windows", "features", "time", "checkpoint", "dataset", "online", "state", "hashing", "gitlab");
    private static final Comparator<WindowSpec> WINDOW_ORDER = Comparator.comparingLong(WindowSpec::lengthMillis)
            .thenComparingLong(WindowSpec::hopMillis).thenComparing(WindowSpec::name);

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
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("<file>", "cannot read " + file + ": " + e.getMessage());
        }
        return parse(text);
    }

    /** Parses and validates YAML text; an empty document means all defaults. */
    public static SpamJobConfig parse(String yaml) {
        JsonNode root;
        try {
            root = yaml.isBlank() ? null : YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw new ConfigException("<yaml>", "not valid YAML" + where + ": " + e.getOriginalMessage());
        }
        return new Loader().load(yaml, root);
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

    /** Collects every problem of a document before failing, so one run shows them all. */
    private static final class Loader {
        private final List<ConfigException.Problem> problems = new ArrayList<>();
        // Windows that are present but invalid: already reported, so features naming them are not.
        private final Set<String> brokenWindows = new java.util.HashSet<>();

        SpamJobConfig load(String yaml, JsonNode root) {
            Map<String, JsonNode> scalars = new HashMap<>();
            JsonNode windowsNode = null;
            JsonNode featuresNode = null;
            if (root != null && !root.isNull()) {
                if (!root.isObject()) {
                    throw new ConfigException("<yaml>", "the document must be a map of sections");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> section = it.next();
                    String name = section.getKey();
                    JsonNode value = section.getValue();
                    switch (name) {
                        case "windows" -> windowsNode = value;
                        case "features" -> featuresNode = value;
                        default -> {
                            if (!SECTIONS.contains(name)) {
                                problem(name, ConfigKeys.unknownKeyMessage("section", name, SECTIONS));
                            } else {
                                collectScalars(name, value, scalars);
                            }
                        }
                    }
                }
            }

            Map<ConfigOption<?>, Object> values = new HashMap<>();
            for (ConfigOption<?> option : OPTIONS) {
                try {
                    Object value = option.parse(scalars.get(option.key()));
                    if (value != null) {
                        values.put(option, value);
                    }
                } catch (ConfigException e) {
                    problems.addAll(e.problems());
                }
            }
            Map<String, WindowSpec> windows = windowsNode == null || windowsNode.isNull()
                    ? defaultWindows() : parseWindows(windowsNode);
            Map<SpamWindowedFeature, List<WindowSpec>> featureWindows = parseFeatures(featuresNode, windows);

            long longest = windows.values().stream().mapToLong(WindowSpec::lengthMillis).max().orElse(0);
            Duration stateTtl = (Duration) values.get(STATE_TTL);
            if (stateTtl == null) {
                stateTtl = Duration.ofMillis(longest);
            } else if (stateTtl.toMillis() < longest) {
                problem(STATE_TTL.key(), Durations.format(stateTtl) + " is shorter than the longest window "
                        + Durations.formatMillis(longest) + "; windowed features would lose events");
            }
            checkHost(values);
            checkRedisUrl(values);
            Object key = values.get(HASH_KEY);
            if (key != null && ((String) key).length() < MIN_HASH_KEY_LENGTH) {
                problem(HASH_KEY.key(), "must be at least " + MIN_HASH_KEY_LENGTH + " characters");
            }
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            return new SpamJobConfig(yaml, windows, featureWindows, Map.copyOf(values), stateTtl);
        }

        private void collectScalars(String prefix, JsonNode node, Map<String, JsonNode> scalars) {
            if (node == null || node.isNull()) {
                return;
            }
            if (!node.isObject()) {
                problem(prefix, "expected a map of settings");
                return;
            }
            Set<String> known = OPTIONS.stream().map(ConfigOption::key).collect(Collectors.toSet());
            node.fields().forEachRemaining(entry -> {
                String key = prefix + "." + entry.getKey();
                if (!known.contains(key)) {
                    problem(key, ConfigKeys.unknownKeyMessage("key", key, known));
                } else {
                    scalars.put(key, entry.getValue());
                }
            });
        }

        private Map<String, WindowSpec> parseWindows(JsonNode node) {
            Map<String, WindowSpec> windows = new LinkedHashMap<>();
            if (!node.isObject() || node.isEmpty()) {
                problem("windows", "expected a non-empty map of window name to {length, hop}");
                return windows;
            }
            node.fields().forEachRemaining(entry -> {
                String name = entry.getKey();
                String prefix = "windows." + name;
                brokenWindows.add(name);
                if (!WINDOW_NAME.matcher(name).matches()) {
                    problem(prefix, "window names are lowercase letters, digits and _ (they end column names, "
                            + "e.g. notes_1h)");
                    return;
                }
                JsonNode spec = entry.getValue();
                if (spec == null || !spec.isObject()) {
                    problem(prefix, "expected a map with length and hop");
                    return;
                }
                spec.fieldNames().forEachRemaining(field -> {
                    if (!field.equals("length") && !field.equals("hop")) {
                        problem(prefix + "." + field, ConfigKeys.unknownKeyMessage("key", field, List.of("length", "hop")));
                    }
                });
                Duration length = windowDuration(prefix + ".length", spec.get("length"));
                Duration hop = windowDuration(prefix + ".hop", spec.get("hop"));
                if (length == null || hop == null) {
                    return;
                }
                long l = length.toMillis();
                long h = hop.toMillis();
                if (l % h != 0) {
                    problem(prefix + ".hop", Durations.format(hop) + " does not divide length " + Durations.format(length));
                    return;
                }
                if (l / h > MAX_TILES_PER_WINDOW) {
                    problem(prefix + ".hop", Durations.format(hop) + " makes " + (l / h) + " tiles per window of "
                            + Durations.format(length) + "; at most " + MAX_TILES_PER_WINDOW + " are allowed");
                    return;
                }
                Duration named = namedDuration(name);
                if (named != null && !named.equals(length)) {
                    problem(prefix + ".length", "the window is named " + name + " but its length is "
                            + Durations.format(length) + "; name it after its length to keep column names honest");
                    return;
                }
                windows.put(name, new WindowSpec(name, l, h));
                brokenWindows.remove(name);
            });
            return windows;
        }

        private Duration windowDuration(String key, JsonNode node) {
            if (node == null || node.isNull()) {
                problem(key, "missing (every window needs a length and a hop)");
                return null;
            }
            try {
                return ConfigOption.duration(key, null, false, "").parse(node);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
                return null;
            }
        }

        private Map<SpamWindowedFeature, List<WindowSpec>> parseFeatures(JsonNode node, Map<String, WindowSpec> windows) {
            Map<SpamWindowedFeature, List<String>> names = new EnumMap<>(SpamWindowedFeature.class);
            for (SpamWindowedFeature feature : SpamWindowedFeature.values()) {
                names.put(feature, feature.defaultWindows());
            }
            Set<SpamWindowedFeature> explicit = new TreeSet<>();
            List<String> featureKeys = java.util.Arrays.stream(SpamWindowedFeature.values())
                    .map(SpamWindowedFeature::key).toList();
            if (node != null && !node.isNull()) {
                if (!node.isObject()) {
                    problem("features", "expected a map of feature name to a list of window names");
                } else {
                    node.fields().forEachRemaining(entry -> {
                        String key = "features." + entry.getKey();
                        SpamWindowedFeature feature = java.util.Arrays.stream(SpamWindowedFeature.values())
                                .filter(f -> f.key().equals(entry.getKey())).findFirst().orElse(null);
                        if (feature == null) {
                            problem(key, ConfigKeys.unknownKeyMessage("feature", entry.getKey(), featureKeys)
                                    + " (features: " + String.join(", ", featureKeys) + ")");
                            return;
                        }
                        JsonNode list = entry.getValue();
                        List<String> windowNames = new ArrayList<>();
                        if (list == null || list.isNull()) {
                            windowNames = List.of();
                        } else if (!list.isArray()) {
                            problem(key, "expected a list of window names, e.g. [1h, 24h]");
                            return;
                        } else {
                            for (JsonNode item : list) {
                                if (!item.isValueNode()) {
                                    problem(key, "expected a list of window names, e.g. [1h, 24h]");
                                    return;
                                }
                                if (windowNames.contains(item.asText())) {
                                    problem(key, "window " + item.asText() + " is listed twice");
                                    return;
                                }
                                windowNames.add(item.asText());
                            }
                        }
                        names.put(feature, windowNames);
                        explicit.add(feature);
                    });
                }
            }
            Map<SpamWindowedFeature, List<WindowSpec>> result = new EnumMap<>(SpamWindowedFeature.class);
            for (Map.Entry<SpamWindowedFeature, List<String>> entry : names.entrySet()) {
                String key = "features." + entry.getKey().key();
                List<WindowSpec> specs = new ArrayList<>();
                for (String name : entry.getValue()) {
                    WindowSpec spec = windows.get(name);
                    if (spec == null && brokenWindows.contains(name)) {
                        continue;
                    }
                    if (spec == null) {
                        problem(key, "window " + name + " is not defined under windows (defined: "
                                + String.join(", ", windows.keySet()) + ")"
                                + (explicit.contains(entry.getKey()) ? ""
                                : "; this is the default " + entry.getValue() + ", set " + key + " explicitly"));
                        continue;
                    }
                    specs.add(spec);
                }
                specs.sort(WINDOW_ORDER);
                result.put(entry.getKey(), List.copyOf(specs));
            }
            return result;
        }

        private void checkHost(Map<ConfigOption<?>, Object> values) {
            String host = (String) values.get(GITLAB_HOST);
            if (host != null && !HOST.matcher(host).matches()) {
                problem(GITLAB_HOST.key(), "'" + host + "' is not a lowercase host name (no scheme, port or path), "
                        + "e.g. gitlab.example.com");
            }
        }

        private void checkRedisUrl(Map<ConfigOption<?>, Object> values) {
            String url = (String) values.get(ONLINE_REDIS_URL);
            if (url != null && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
                // The URL may carry a password: never echo it.
                problem(ONLINE_REDIS_URL.key(), "must start with redis:// or rediss://");
            }
        }

        private void problem(String key, String message) {
            problems.add(new ConfigException.Problem(key, message));
        }
    }

    private static Map<String, WindowSpec> defaultWindows() {
        Map<String, WindowSpec> windows = new LinkedHashMap<>();
        DEFAULT_WINDOWS.forEach(w -> windows.put(w.name(), w));
        return windows;
    }

    /** The duration a window name spells, e.g. {@code 24h}; null when the name is not a duration. */
    private static Duration namedDuration(String name) {
        try {
            return Durations.parse("", name);
        } catch (ConfigException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- access

    /** A scalar option's value (its default when not set; null when unset without default). */
    @SuppressWarnings("unchecked")
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

    public long maxOutOfOrdernessMillis() {
        return get(MAX_OUT_OF_ORDERNESS).toMillis();
    }

    public long idlenessMillis() {
        return get(IDLENESS).toMillis();
    }

    public long allowedLatenessMillis() {
        return get(ALLOWED_LATENESS).toMillis();
    }

    public long checkpointIntervalMillis() {
        return get(CHECKPOINT_INTERVAL).toMillis();
    }

    public String datasetRoot() {
        return get(DATASET_ROOT);
    }

    public DatasetCompression datasetCompression() {
        return get(DATASET_COMPRESSION);
    }

    public OnlineBackend onlineBackend() {
        return get(ONLINE_BACKEND);
    }

    public String onlineSqlitePath() {
        return get(ONLINE_SQLITE_PATH);
    }

    public String onlineRedisUrl() {
        return get(ONLINE_REDIS_URL);
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
        out.append(ConfigOption.row("windows.<name>.length", "duration",
                DEFAULT_WINDOWS.stream().map(w -> Durations.formatMillis(w.lengthMillis())).collect(Collectors.joining(", ")),
                "Length W of a window. The name ends column names (`notes_<name>`); a name that reads as a "
                        + "duration must equal the length. Default windows: "
                        + DEFAULT_WINDOWS.stream().map(WindowSpec::name).collect(Collectors.joining(", "))
                        + "; a windows section replaces them all."));
        out.append(ConfigOption.row("windows.<name>.hop", "duration",
                DEFAULT_WINDOWS.stream().map(w -> Durations.formatMillis(w.hopMillis())).collect(Collectors.joining(", ")),
                "Hop h (tile size) of a window; must divide the length, at most " + MAX_TILES_PER_WINDOW
                        + " tiles. At event time t the window covers [floor(t/h)*h - W, t]."));
        for (SpamWindowedFeature feature : SpamWindowedFeature.values()) {
            out.append(ConfigOption.row("features." + feature.key(), "list of window names",
                    "[" + String.join(", ", feature.defaultWindows()) + "]",
                    feature.description() + " One column `" + feature.key() + "_<window>` per listed window; `[]` disables it."));
        }
        for (ConfigOption<?> option : OPTIONS) {
            out.append(ConfigOption.row(option.key(), option.typeName(), option.defaultText(), option.description()));
        }
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
