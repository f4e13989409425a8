package io.eventstream.features.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * One typed configuration key: its dotted key, value type, default and description. Parsing a value
 * either returns a valid value or throws a {@link ConfigException} naming the key.
 *
 * @param <T> the value type
 */
public final class ConfigOption<T> {
    private final String key;
    private final Class<T> type;
    private final String typeName;
    private final T defaultValue;
    private final String defaultText;
    private final String description;
    private final boolean secret;
    private final BiFunction<String, String, T> parser;

    private ConfigOption(
            String key,
            Class<T> type,
            String typeName,
            T defaultValue,
            String defaultText,
            String description,
            boolean secret,
            BiFunction<String, String, T> parser) {
        this.key = Objects.requireNonNull(key);
        this.type = type;
        this.typeName = typeName;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.description = description;
        this.secret = secret;
        this.parser = parser;
    }

    /** A duration, positive (or also zero when {@code allowZero}). */
    public static ConfigOption<Duration> duration(
            String key, Duration defaultValue, boolean allowZero, String description) {
        return new ConfigOption<>(
                key,
                Duration.class,
                "duration",
                defaultValue,
                defaultValue == null ? "" : Durations.format(defaultValue),
                description,
                false,
                (k, text) -> checkDuration(k, text, allowZero));
    }

    /** A positive duration whose default is derived from other settings, described by {@code defaultText}. */
    public static ConfigOption<Duration> derivedDuration(String key, String defaultText, String description) {
        return new ConfigOption<>(
                key,
                Duration.class,
                "duration",
                null,
                defaultText,
                description,
                false,
                (k, text) -> checkDuration(k, text, false));
    }

    /** A non-empty string; {@code defaultValue} may be null (unset). */
    public static ConfigOption<String> string(String key, String defaultValue, String description) {
        return new ConfigOption<>(
                key,
                String.class,
                "string",
                defaultValue,
                defaultValue == null ? "" : defaultValue,
                description,
                false,
                ConfigOption::nonEmpty);
    }

    /** A string that must never be echoed in messages or docs (keys, passwords). */
    public static ConfigOption<String> secret(String key, String description) {
        return new ConfigOption<>(
                key, String.class, "string (secret)", null, "", description, true, ConfigOption::nonEmpty);
    }

    /** A whole number in {@code [min, max]}. */
    public static ConfigOption<Integer> integer(String key, int defaultValue, int min, int max, String description) {
        return new ConfigOption<>(
                key,
                Integer.class,
                "integer " + min + ".." + max,
                defaultValue,
                Integer.toString(defaultValue),
                description,
                false,
                (k, text) -> {
                    int value;
                    try {
                        value = Integer.parseInt(text.trim());
                    } catch (NumberFormatException e) {
                        throw new ConfigException(k, "'" + text + "' is not a whole number");
                    }
                    if (value < min || value > max) {
                        throw new ConfigException(k, "must be between " + min + " and " + max + ", got " + value);
                    }
                    return value;
                });
    }

    /** {@code true} or {@code false}. */
    public static ConfigOption<Boolean> bool(String key, boolean defaultValue, String description) {
        return new ConfigOption<>(
                key,
                Boolean.class,
                "boolean",
                defaultValue,
                Boolean.toString(defaultValue),
                description,
                false,
                (k, text) -> switch (text.trim()) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new ConfigException(k, "'" + text + "' is not true or false");
                });
    }

    /** One of an enum's constants, written by its {@link ConfigChoice#configName()}. */
    public static <E extends Enum<E> & ConfigChoice> ConfigOption<E> choice(
            String key, Class<E> type, E defaultValue, String description) {
        E[] constants = type.getEnumConstants();
        String names = Arrays.stream(constants).map(ConfigChoice::configName).collect(Collectors.joining(" | "));
        return new ConfigOption<>(
                key,
                type,
                "one of " + names,
                defaultValue,
                defaultValue.configName(),
                description,
                false,
                (k, text) -> {
                    for (E constant : constants) {
                        if (constant.configName().equals(text.trim())) {
                            return constant;
                        }
                    }
                    throw new ConfigException(
                            k,
                            "'" + text + "' is not one of "
                                    + Arrays.stream(constants)
                                            .map(ConfigChoice::configName)
                                            .collect(Collectors.joining(", ")));
                });
    }

    public String key() {
        return key;
    }

    public Class<T> type() {
        return type;
    }

    /** Human-readable type for docs, e.g. {@code duration}. */
    public String typeName() {
        return typeName;
    }

    /** The default, or null when unset or derived. */
    public T defaultValue() {
        return defaultValue;
    }

    /** The default as written in docs; empty when unset. */
    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }

    public boolean isSecret() {
        return secret;
    }

    /** Parses a YAML scalar for this key. */
    public T parse(JsonNode node) {
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isValueNode()) {
            throw new ConfigException(key, "expected a single value, not a " + (node.isArray() ? "list" : "map"));
        }
        return parser.apply(key, node.asText());
    }

    /** Parses a string as if written in the YAML file. */
    public T parse(String text) {
        return parser.apply(key, text);
    }

    private static Duration checkDuration(String key, String text, boolean allowZero) {
        Duration value = Durations.parse(key, text);
        if (value.isNegative() || (!allowZero && value.isZero())) {
            throw new ConfigException(
                    key, "must be " + (allowZero ? "zero or positive" : "positive") + ", got " + text.trim());
        }
        return value;
    }

    private static String nonEmpty(String key, String text) {
        if (text.isBlank()) {
            throw new ConfigException(key, "must not be empty");
        }
        return text.trim();
    }

    /** Renders a Markdown table (key, type, default, description) of options. */
    public static String markdownTable(List<ConfigOption<?>> options) {
        StringBuilder out = new StringBuilder("| key | type | default | description |\n|---|---|---|---|\n");
        for (ConfigOption<?> option : options) {
            out.append(row(option.key, option.typeName, option.defaultText, option.description));
        }
        return out.toString();
    }

    static String row(String key, String type, String defaultText, String description) {
        return "| `" + key + "` | " + cell(type) + " | " + (defaultText.isEmpty() ? "(unset)" : "`" + defaultText + "`")
                + " | " + cell(description) + " |\n";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    @Override
    public String toString() {
        return key;
    }
}
