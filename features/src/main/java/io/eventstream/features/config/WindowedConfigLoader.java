package io.eventstream.features.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.eventstream.features.windows.WindowSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The part of loading a job's YAML config that every feature job shares: sections of scalar
 * options, a {@code windows} section ({@code name: {length, hop}}) and a {@code features} section
 * (feature key to a list of window names). It collects every problem of a document (unknown keys
 * with a did-you-mean, bad durations, hops that do not divide lengths, undefined windows) instead
 * of stopping at the first, so one run shows them all; the job's config class adds its own
 * cross-checks through {@link #problem} and then calls {@link #failIfProblems}.
 *
 * @param <F> the job's windowed-feature enum
 */
final class WindowedConfigLoader<F extends Enum<F> & WindowedFeature> {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Pattern WINDOW_NAME = Pattern.compile("[a-z0-9][a-z0-9_]*");
    /** Each feature's windows are sorted this way, which fixes the column order. */
    static final Comparator<WindowSpec> WINDOW_ORDER = Comparator.comparingLong(WindowSpec::lengthMillis)
            .thenComparingLong(WindowSpec::hopMillis)
            .thenComparing(WindowSpec::name);

    private final Class<F> featureClass;
    private final List<ConfigOption<?>> options;
    private final List<String> sections;
    private final List<WindowSpec> defaultWindows;
    private final String exampleColumn;

    private final List<ConfigException.Problem> problems = new ArrayList<>();
    // Windows that are present but invalid: already reported, so features naming them are not.
    private final Set<String> brokenWindows = new HashSet<>();

    /** The parsed document: option values (only those set or defaulted), windows in file order, feature windows. */
    record Parsed<F extends Enum<F>>(
            Map<ConfigOption<?>, Object> values,
            Map<String, WindowSpec> windows,
            Map<F, List<WindowSpec>> featureWindows) {}

    /**
     * @param sections       every section name besides windows and features, in suggestion order
     * @param exampleColumn  a column name shown in messages about window names, e.g. {@code notes_1h}
     */
    WindowedConfigLoader(
            Class<F> featureClass,
            List<ConfigOption<?>> options,
            List<String> sections,
            List<WindowSpec> defaultWindows,
            String exampleColumn) {
        this.featureClass = featureClass;
        this.options = options;
        this.sections = sections;
        this.defaultWindows = defaultWindows;
        this.exampleColumn = exampleColumn;
    }

    /** Reads a YAML file's text; a failure names the pseudo-key {@code <file>}. */
    static String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("<file>", "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Parses YAML text into a tree (null for an empty document); syntax errors name {@code <yaml>}. */
    static JsonNode readTree(String yaml) {
        try {
            return yaml.isBlank() ? null : YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new ConfigException("<yaml>", "not valid YAML" + where + ": " + e.getOriginalMessage());
        }
    }

    Parsed<F> load(JsonNode root) {
        Map<String, JsonNode> scalars = new HashMap<>();
        JsonNode windowsNode = null;
        JsonNode featuresNode = null;
        List<String> allSections = new ArrayList<>(List.of("windows", "features"));
        allSections.addAll(sections);
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
                    case KAFKA_SECTION -> checkKafkaSection(value);
                    default -> {
                        if (!sections.contains(name)) {
                            problem(name, ConfigKeys.unknownKeyMessage("section", name, allSections));
                        } else {
                            collectScalars(name, value, scalars);
                        }
                    }
                }
            }
        }

        Map<ConfigOption<?>, Object> values = parseValues(options, scalars, problems);
        Map<String, WindowSpec> windows =
                windowsNode == null || windowsNode.isNull() ? defaultWindowMap() : parseWindows(windowsNode);
        Map<F, List<WindowSpec>> featureWindows = parseFeatures(featuresNode, windows);
        return new Parsed<>(values, windows, featureWindows);
    }

    /**
     * Each option's value from the scalars of a document, keyed by dotted key; options not set and without a
     * default are left out. Every value that does not parse adds its problems instead.
     */
    static Map<ConfigOption<?>, Object> parseValues(
            List<ConfigOption<?>> options, Map<String, JsonNode> scalars, List<ConfigException.Problem> problems) {
        Map<ConfigOption<?>, Object> values = new HashMap<>();
        for (ConfigOption<?> option : options) {
            try {
                Object value = option.parse(scalars.get(option.key()));
                if (value != null) {
                    values.put(option, value);
                }
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        return values;
    }

    /**
     * The {@value #KAFKA_SECTION} section: Kafka client properties (names as Kafka spells them, e.g.
     * {@code security.protocol}), free-form here; which names are allowed and which values may appear in
     * a committed file is checked where Kafka's own definitions are known ({@code KafkaClientProperties}
     * in connectors). Here: a map of single values.
     */
    static final String KAFKA_SECTION = "kafka";

    /** The documentation row of the {@value #KAFKA_SECTION} section. */
    static String kafkaRow() {
        return ConfigOption.row(
                KAFKA_SECTION + ".<property>",
                "string",
                "",
                "Kafka client properties for the source and the dead-letter producer (e.g. security.protocol: SASL_SSL, "
                        + "sasl.mechanism: SCRAM-SHA-512, ssl.truststore.location). Only known Kafka client property "
                        + "names; not bootstrap.servers, group.id or (de)serializers, which the job sets. A secret "
                        + "(password-type property such as sasl.jaas.config or ssl.truststore.password) may appear only "
                        + "as a reference resolved where the client runs: ${env:VAR}, ${file:PATH:KEY} or ${dir:DIR:FILE}; "
                        + "literal secrets go in --kafka-properties FILE. See deploy/README.md, Secured Kafka.");
    }

    private void checkKafkaSection(JsonNode node) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            problem(KAFKA_SECTION, "expected a map of Kafka client properties, e.g. security.protocol: SASL_SSL");
            return;
        }
        node.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                problem(KAFKA_SECTION + "." + entry.getKey(), "expected a single value");
            }
        });
    }

    /** The {@value #KAFKA_SECTION} section of a (valid) document as name to value, in file order; empty when absent. */
    static Map<String, String> kafkaSection(String yaml) {
        JsonNode root = readTree(yaml);
        JsonNode kafka = root == null ? null : root.get(KAFKA_SECTION);
        Map<String, String> properties = new java.util.LinkedHashMap<>();
        if (kafka != null && kafka.isObject()) {
            kafka.fields()
                    .forEachRemaining(entry ->
                            properties.put(entry.getKey(), entry.getValue().asText()));
        }
        return properties;
    }

    /** Checks a Redis URL option without ever echoing it (it may carry a password). */
    void checkRedisUrl(Map<ConfigOption<?>, Object> values, ConfigOption<String> option) {
        String url = (String) values.get(option);
        if (url != null && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
            problem(option.key(), "must start with redis:// or rediss://");
        }
    }

    /** Raw dead letters are deleted by whole hour partitions: a retention under a day would cut into the hour being written. */
    void checkRawDeadLetterRetention(Map<ConfigOption<?>, Object> values) {
        Duration retention = (Duration) values.get(CommonJobOptions.DEAD_LETTERS_RAW_RETENTION);
        if (retention != null && retention.compareTo(Duration.ofDays(1)) < 0) {
            problem(
                    CommonJobOptions.DEAD_LETTERS_RAW_RETENTION.key(),
                    "must be at least 1d, got " + Durations.format(retention));
        }
    }

    void problem(String key, String message) {
        problems.add(new ConfigException.Problem(key, message));
    }

    void failIfProblems() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private void collectScalars(String prefix, JsonNode node, Map<String, JsonNode> scalars) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            problem(prefix, "expected a map of settings");
            return;
        }
        Set<String> known = options.stream().map(ConfigOption::key).collect(Collectors.toSet());
        node.fields().forEachRemaining(entry -> {
            String key = prefix + "." + entry.getKey();
            if (!known.contains(key)) {
                problem(key, ConfigKeys.unknownKeyMessage("key", key, known));
            } else {
                scalars.put(key, entry.getValue());
            }
        });
    }

    private Map<String, WindowSpec> defaultWindowMap() {
        Map<String, WindowSpec> windows = new LinkedHashMap<>();
        defaultWindows.forEach(w -> windows.put(w.name(), w));
        return windows;
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
                problem(
                        prefix,
                        "window names are lowercase letters, digits and _ (they end column names, " + "e.g. "
                                + exampleColumn + ")");
                return;
            }
            JsonNode spec = entry.getValue();
            if (spec == null || !spec.isObject()) {
                problem(prefix, "expected a map with length and hop");
                return;
            }
            WindowSpec window = windowSpec(prefix, name, spec);
            if (window != null) {
                windows.put(name, window);
                brokenWindows.remove(name);
            }
        });
        return windows;
    }

    /** A {length, hop} map as a window; null (with problems recorded) when invalid. */
    WindowSpec windowSpec(String prefix, String name, JsonNode spec) {
        spec.fieldNames().forEachRemaining(field -> {
            if (!field.equals("length") && !field.equals("hop")) {
                problem(prefix + "." + field, ConfigKeys.unknownKeyMessage("key", field, List.of("length", "hop")));
            }
        });
        Duration length = windowDuration(prefix + ".length", spec.get("length"));
        Duration hop = windowDuration(prefix + ".hop", spec.get("hop"));
        if (length == null || hop == null) {
            return null;
        }
        WindowSpec window = window(prefix + ".hop", name, length, hop);
        if (window == null) {
            return null;
        }
        Duration named = namedDuration(name);
        if (named != null && !named.equals(length)) {
            problem(
                    prefix + ".length",
                    "the window is named " + name + " but its length is " + Durations.format(length)
                            + "; name it after its length to keep column names honest");
            return null;
        }
        return window;
    }

    /** A window from a length and a hop; null (with a problem on {@code hopKey}) when the hop does not fit. */
    WindowSpec window(String hopKey, String name, Duration length, Duration hop) {
        long l = length.toMillis();
        long h = hop.toMillis();
        if (l % h != 0) {
            problem(hopKey, Durations.format(hop) + " does not divide length " + Durations.format(length));
            return null;
        }
        if (l / h > CommonJobOptions.MAX_TILES_PER_WINDOW) {
            problem(
                    hopKey,
                    Durations.format(hop) + " makes " + (l / h) + " tiles per window of " + Durations.format(length)
                            + "; at most " + CommonJobOptions.MAX_TILES_PER_WINDOW + " are allowed");
            return null;
        }
        return new WindowSpec(name, l, h);
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

    private Map<F, List<WindowSpec>> parseFeatures(JsonNode node, Map<String, WindowSpec> windows) {
        F[] all = featureClass.getEnumConstants();
        Map<F, List<String>> names = new EnumMap<>(featureClass);
        for (F feature : all) {
            names.put(feature, feature.defaultWindows());
        }
        Set<F> explicit = new TreeSet<>();
        List<String> featureKeys = Arrays.stream(all).map(WindowedFeature::key).toList();
        if (node != null && !node.isNull()) {
            if (!node.isObject()) {
                problem("features", "expected a map of feature name to a list of window names");
            } else {
                node.fields().forEachRemaining(entry -> {
                    String key = "features." + entry.getKey();
                    F feature = Arrays.stream(all)
                            .filter(f -> f.key().equals(entry.getKey()))
                            .findFirst()
                            .orElse(null);
                    if (feature == null) {
                        problem(
                                key,
                                ConfigKeys.unknownKeyMessage("feature", entry.getKey(), featureKeys) + " (features: "
                                        + String.join(", ", featureKeys) + ")");
                        return;
                    }
                    List<String> windowNames = windowNames(key, entry.getValue());
                    if (windowNames != null) {
                        names.put(feature, windowNames);
                        explicit.add(feature);
                    }
                });
            }
        }
        Map<F, List<WindowSpec>> result = new EnumMap<>(featureClass);
        for (Map.Entry<F, List<String>> entry : names.entrySet()) {
            String key = "features." + entry.getKey().key();
            List<WindowSpec> specs = new ArrayList<>();
            for (String name : entry.getValue()) {
                WindowSpec spec = windows.get(name);
                if (spec == null && brokenWindows.contains(name)) {
                    continue;
                }
                if (spec == null) {
                    problem(
                            key,
                            "window " + name + " is not defined under windows (defined: "
                                    + String.join(", ", windows.keySet()) + ")"
                                    + (explicit.contains(entry.getKey())
                                            ? ""
                                            : "; this is the default " + entry.getValue() + ", set " + key
                                                    + " explicitly"));
                    continue;
                }
                specs.add(spec);
            }
            specs.sort(WINDOW_ORDER);
            result.put(entry.getKey(), List.copyOf(specs));
        }
        return result;
    }

    /** A YAML list of window names; null (with a problem) when malformed. */
    private List<String> windowNames(String key, JsonNode list) {
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            problem(key, "expected a list of window names, e.g. [1h, 24h]");
            return null;
        }
        List<String> windowNames = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isValueNode()) {
                problem(key, "expected a list of window names, e.g. [1h, 24h]");
                return null;
            }
            if (windowNames.contains(item.asText())) {
                problem(key, "window " + item.asText() + " is listed twice");
                return null;
            }
            windowNames.add(item.asText());
        }
        return windowNames;
    }

    /** The duration a window name spells, e.g. {@code 24h}; null when the name is not a duration. */
    private static Duration namedDuration(String name) {
        try {
            return Durations.parse("", name);
        } catch (ConfigException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- documentation

    /** Reference rows of the windows and features sections. */
    static <F extends Enum<F> & WindowedFeature> String windowAndFeatureRows(
            List<WindowSpec> defaultWindows, Class<F> featureClass, String exampleFeature) {
        StringBuilder out = new StringBuilder();
        out.append(ConfigOption.row(
                "windows.<name>.length",
                "duration",
                defaultWindows.stream()
                        .map(w -> Durations.formatMillis(w.lengthMillis()))
                        .collect(Collectors.joining(", ")),
                "Length W of a window. The name ends column names (`" + exampleFeature
                        + "_<name>`); a name that reads as a "
                        + "duration must equal the length. Default windows: "
                        + defaultWindows.stream().map(WindowSpec::name).collect(Collectors.joining(", "))
                        + "; a windows section replaces them all."));
        out.append(ConfigOption.row(
                "windows.<name>.hop",
                "duration",
                defaultWindows.stream()
                        .map(w -> Durations.formatMillis(w.hopMillis()))
                        .collect(Collectors.joining(", ")),
                "Hop h (tile size) of a window; must divide the length, at most "
                        + CommonJobOptions.MAX_TILES_PER_WINDOW
                        + " tiles. At event time t the window covers [floor(t/h)*h - W, t]."));
        for (F feature : featureClass.getEnumConstants()) {
            out.append(ConfigOption.row(
                    "features." + feature.key(),
                    "list of window names",
                    "[" + String.join(", ", feature.defaultWindows()) + "]",
                    feature.description() + " One column `" + feature.key()
                            + "_<window>` per listed window; `[]` disables it."));
        }
        return out.toString();
    }
}
