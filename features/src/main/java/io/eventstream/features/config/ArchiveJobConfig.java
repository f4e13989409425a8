package io.eventstream.features.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Configuration of the raw event archive job ({@code deploy/config/archive.yaml}): where the archive
 * lives (its own root, never the feature datasets' root: it holds personal data), how long it keeps
 * events, and the time, checkpoint and compression settings of every job ({@link StreamJobSettings}).
 * No windows or features.
 */
public final class ArchiveJobConfig implements StreamJobSettings, Serializable {
    private static final long serialVersionUID = 1L;

    public static final ConfigOption<String> ROOT = ConfigOption.string(
            "archive.root",
            "out/archive",
            "Directory under which the archive's `events/v<N>/dt=.../hour=.../` Parquet files are written. Keep it "
                    + "apart from dataset.root: the archive holds personal data and text, the datasets do not.");
    public static final ConfigOption<Duration> RETENTION = ConfigOption.duration(
            "archive.retention",
            Duration.ofDays(90),
            false,
            "Hour partitions that ended longer ago than this are deleted by `eventstream archive prune`.");

    /** Every option, in documentation order. */
    public static final List<ConfigOption<?>> OPTIONS = List.of(
            ROOT,
            RETENTION,
            CommonJobOptions.MAX_OUT_OF_ORDERNESS,
            CommonJobOptions.IDLENESS,
            CommonJobOptions.ALLOWED_LATENESS,
            CommonJobOptions.MAX_FUTURE,
            CommonJobOptions.CHECKPOINT_INTERVAL,
            CommonJobOptions.DATASET_COMPRESSION);

    private static final List<String> SECTIONS = List.of("archive", "time", "checkpoint", "dataset");

    private final Map<ConfigOption<?>, Object> values;

    private ArchiveJobConfig(Map<ConfigOption<?>, Object> values) {
        this.values = values;
    }

    /** Every default. */
    public static ArchiveJobConfig defaults() {
        return parse("");
    }

    /** Loads and validates a YAML file. */
    public static ArchiveJobConfig load(Path file) {
        return parse(WindowedConfigLoader.readFile(file));
    }

    /** Parses and validates YAML text; every problem names its key. */
    public static ArchiveJobConfig parse(String yaml) {
        JsonNode root = WindowedConfigLoader.readTree(yaml);
        List<ConfigException.Problem> problems = new ArrayList<>();
        Map<String, JsonNode> scalars = new HashMap<>();
        Set<String> known = OPTIONS.stream().map(ConfigOption::key).collect(Collectors.toSet());
        if (root != null && !root.isNull()) {
            if (!root.isObject()) {
                throw new ConfigException("<yaml>", "the document must be a map of sections");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> section = it.next();
                if (!SECTIONS.contains(section.getKey())) {
                    problems.add(new ConfigException.Problem(
                            section.getKey(), ConfigKeys.unknownKeyMessage("section", section.getKey(), SECTIONS)));
                } else if (!section.getValue().isObject()) {
                    problems.add(new ConfigException.Problem(section.getKey(), "expected a map of settings"));
                } else {
                    section.getValue().fields().forEachRemaining(entry -> {
                        String key = section.getKey() + "." + entry.getKey();
                        if (known.contains(key)) {
                            scalars.put(key, entry.getValue());
                        } else {
                            problems.add(
                                    new ConfigException.Problem(key, ConfigKeys.unknownKeyMessage("key", key, known)));
                        }
                    });
                }
            }
        }
        Map<ConfigOption<?>, Object> values = WindowedConfigLoader.parseValues(OPTIONS, scalars, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ArchiveJobConfig(Map.copyOf(values));
    }

    /** An option's value (its default when not set). */
    @SuppressWarnings("unchecked")
    @Override
    public <T> T get(ConfigOption<T> option) {
        Object value = values.get(option);
        return value != null ? (T) value : option.defaultValue();
    }

    /** {@code archive.root}. */
    public String archiveRoot() {
        return get(ROOT);
    }

    /** {@code archive.retention}. */
    public Duration retention() {
        return get(RETENTION);
    }

    /** Markdown table of every option (for docs/archive.md). */
    public static String optionsTable() {
        return ConfigOption.markdownTable(OPTIONS);
    }
}
