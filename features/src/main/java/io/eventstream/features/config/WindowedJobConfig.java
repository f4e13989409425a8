package io.eventstream.features.config;

import io.eventstream.features.windows.WindowSpec;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The configuration every windowed feature job shares, parsed once: the shared options of
 * {@link CommonJobOptions} (time, dedup, checkpoint, dataset, online store, dead letters), the
 * {@code kafka} section, the {@code windows} and {@code features} sections, and a state TTL that must
 * cover what the windows reach. A job's config class ({@link SpamJobConfig}, {@link ReviewerJobConfig})
 * describes itself in a {@link Spec} (its feature enum, default windows and its own option list),
 * adds its own cross-checks while {@link Loading} and typed accessors for its own options.
 *
 * <p>Immutable. Windows keep the order of the file; each feature's windows are sorted by
 * (length, hop, name), which fixes the column order. Java-serializable as its YAML text (parsed
 * again, by the job's own parser, on deserialization), so a Flink function can carry it and build
 * its engine in {@code open()}.
 *
 * @param <F> the job's windowed-feature enum
 */
public abstract sealed class WindowedJobConfig<F extends Enum<F> & WindowedFeature> implements JobSettings, Serializable
        permits SpamJobConfig, ReviewerJobConfig {
    private static final long serialVersionUID = 1L;

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = CommonJobOptions.MAX_OUT_OF_ORDERNESS;
    public static final ConfigOption<Duration> IDLENESS = CommonJobOptions.IDLENESS;
    public static final ConfigOption<Duration> ALLOWED_LATENESS = CommonJobOptions.ALLOWED_LATENESS;
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = CommonJobOptions.CHECKPOINT_INTERVAL;
    public static final ConfigOption<String> DATASET_ROOT = CommonJobOptions.DATASET_ROOT;
    public static final ConfigOption<DatasetCompression> DATASET_COMPRESSION = CommonJobOptions.DATASET_COMPRESSION;
    public static final ConfigOption<OnlineBackend> ONLINE_BACKEND = CommonJobOptions.ONLINE_BACKEND;
    public static final ConfigOption<String> ONLINE_REDIS_URL = CommonJobOptions.ONLINE_REDIS_URL;
    public static final ConfigOption<Duration> ONLINE_MAX_OUTAGE = CommonJobOptions.ONLINE_MAX_OUTAGE;

    /** Parses a job's YAML into its config; serializable, so the serialized form can name the job's parser. */
    @FunctionalInterface
    interface Parser extends Serializable {
        WindowedJobConfig<?> parse(String yaml);
    }

    /**
     * What one job adds to the shared core.
     *
     * @param name           the config class's simple name, which starts {@link #toString()}
     * @param options        every scalar option in documentation order, from {@link #options}
     * @param sections       every section besides windows and features, from {@link #sections}
     * @param exampleFeature the feature the documentation of the windows section names
     * @param exampleColumn  a column name shown in messages about window names, e.g. {@code notes_1h}
     * @param parser         the job's {@code parse(String)}, used when deserializing
     */
    record Spec<F extends Enum<F> & WindowedFeature>(
            String name,
            Class<F> featureClass,
            List<ConfigOption<?>> options,
            List<String> sections,
            List<WindowSpec> defaultWindows,
            F exampleFeature,
            String exampleColumn,
            ConfigOption<String> onlineSqlitePath,
            ConfigOption<Duration> onlineTtl,
            ConfigOption<Duration> stateTtl,
            Parser parser) {}

    /**
     * The scalar options of a job in documentation order: the shared ones, with the job's SQLite
     * path, online TTL and state TTL at their places, then the job's own, then the dead-letter ones.
     */
    static List<ConfigOption<?>> options(
            ConfigOption<String> onlineSqlitePath,
            ConfigOption<Duration> onlineTtl,
            ConfigOption<Duration> stateTtl,
            List<ConfigOption<?>> jobOptions) {
        List<ConfigOption<?>> options = new ArrayList<>(List.of(
                MAX_OUT_OF_ORDERNESS,
                IDLENESS,
                ALLOWED_LATENESS,
                CommonJobOptions.MAX_FUTURE,
                CommonJobOptions.DEDUP_HORIZON,
                CHECKPOINT_INTERVAL,
                DATASET_ROOT,
                DATASET_COMPRESSION,
                ONLINE_BACKEND,
                onlineSqlitePath,
                ONLINE_REDIS_URL,
                onlineTtl,
                ONLINE_MAX_OUTAGE,
                stateTtl));
        options.addAll(jobOptions);
        options.add(CommonJobOptions.DEAD_LETTERS_RAW_ROOT);
        options.add(CommonJobOptions.DEAD_LETTERS_RAW_RETENTION);
        return List.copyOf(options);
    }

    /** The sections of a job in suggestion order: the shared ones around the job's own. */
    static List<String> sections(String... jobSections) {
        List<String> sections = new ArrayList<>(List.of("time", "dedup", "checkpoint", "dataset", "online", "state"));
        sections.addAll(List.of(jobSections));
        sections.add("dead_letters");
        sections.add(WindowedConfigLoader.KAFKA_SECTION);
        return List.copyOf(sections);
    }

    /** The result of loading: what the shared core holds. */
    record Core<F extends Enum<F> & WindowedFeature>(
            Spec<F> spec,
            String yaml,
            Map<String, WindowSpec> windows,
            Map<F, List<WindowSpec>> featureWindows,
            Map<ConfigOption<?>, Object> values,
            Duration stateTtl) {}

    /**
     * One document being loaded: the shared sections are parsed when it is made; the job then adds
     * its own checks (in the order its messages should appear) and calls {@link #finish}, which adds
     * the shared cross-checks and fails with every problem found.
     */
    static final class Loading<F extends Enum<F> & WindowedFeature> {
        private final Spec<F> spec;
        private final String yaml;
        private final WindowedConfigLoader<F> loader;
        private final WindowedConfigLoader.Parsed<F> parsed;

        Loading(Spec<F> spec, String yaml) {
            this.spec = spec;
            this.yaml = yaml;
            this.loader = new WindowedConfigLoader<>(
                    spec.featureClass(), spec.options(), spec.sections(), spec.defaultWindows(), spec.exampleColumn());
            this.parsed = loader.load(WindowedConfigLoader.readTree(yaml));
        }

        /** An option's value as set in the file, or its default (null when unset without default). */
        @SuppressWarnings("unchecked")
        <T> T value(ConfigOption<T> option) {
            Object value = parsed.values().get(option);
            return value != null ? (T) value : option.defaultValue();
        }

        /** Windows in file order (the defaults when the file has no windows section). */
        Map<String, WindowSpec> windows() {
            return parsed.windows();
        }

        Map<F, List<WindowSpec>> featureWindows() {
            return parsed.featureWindows();
        }

        void problem(String key, String message) {
            loader.problem(key, message);
        }

        /** A window from a length and a hop; null (with a problem on {@code hopKey}) when the hop does not fit. */
        WindowSpec window(String hopKey, String name, Duration length, Duration hop) {
            return loader.window(hopKey, name, length, hop);
        }

        /**
         * The state TTL: as set when it is at least {@code reach} (else a problem on its key: the set
         * value, " is shorter than " and what {@code shortBecause} says), or {@code reach} when not set.
         */
        Duration stateTtl(long reach, Supplier<String> shortBecause) {
            Duration stateTtl = (Duration) parsed.values().get(spec.stateTtl());
            if (stateTtl == null) {
                return Duration.ofMillis(reach);
            }
            if (stateTtl.toMillis() < reach) {
                problem(spec.stateTtl().key(), Durations.format(stateTtl) + " is shorter than " + shortBecause.get());
            }
            return stateTtl;
        }

        void checkRedisUrl() {
            loader.checkRedisUrl(parsed.values(), ONLINE_REDIS_URL);
        }

        /** The shared cross-checks, then the core; fails with every problem recorded. */
        Core<F> finish(Duration stateTtl) {
            loader.checkRawDeadLetterRetention(parsed.values());
            CommonJobOptions.checkDedupHorizon(loader, parsed.values());
            loader.failIfProblems();
            return new Core<>(
                    spec,
                    yaml,
                    parsed.windows(),
                    parsed.featureWindows(),
                    CommonJobOptions.withDerivedDefaults(parsed.values()),
                    stateTtl);
        }
    }

    private final Core<F> core;

    WindowedJobConfig(Core<F> core) {
        this.core = core;
    }

    /** Starts loading YAML text for a job; an empty document means all defaults. */
    static <F extends Enum<F> & WindowedFeature> Loading<F> loading(Spec<F> spec, String yaml) {
        return new Loading<>(spec, yaml);
    }

    /** Reads a YAML file's text; a failure names the pseudo-key {@code <file>}. */
    static String readFile(Path file) {
        return WindowedConfigLoader.readFile(file);
    }

    // ---------------------------------------------------------------- serialization

    /** The YAML text this configuration was parsed from (empty for the defaults). */
    @Override
    public String yaml() {
        return core.yaml();
    }

    protected final Object writeReplace() {
        return new SerializedForm(core.spec().parser(), core.yaml());
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException(getClass().getSimpleName() + " is serialized as its YAML text");
    }

    /** The serialized form: the job's parser and the YAML text, validated again when read. */
    private record SerializedForm(Parser parser, String yaml) implements Serializable {
        private Object readResolve() {
            return parser.parse(yaml);
        }
    }

    // ---------------------------------------------------------------- access

    /** A scalar option's value (its default when not set; null when unset without default). */
    @SuppressWarnings("unchecked")
    @Override
    public <T> T get(ConfigOption<T> option) {
        if (option == core.spec().stateTtl()) {
            return (T) core.stateTtl();
        }
        Object value = core.values().get(option);
        return value != null ? (T) value : option.defaultValue();
    }

    /** Whether an option is set in the file (or derived), as opposed to falling back to its default. */
    boolean isSet(ConfigOption<?> option) {
        return core.values().containsKey(option);
    }

    /** Windows in file order. */
    public List<WindowSpec> windows() {
        return List.copyOf(core.windows().values());
    }

    public WindowSpec window(String name) {
        WindowSpec spec = core.windows().get(name);
        if (spec == null) {
            throw new IllegalArgumentException("no window " + name);
        }
        return spec;
    }

    /** The windows of a feature, sorted by (length, hop, name); empty when disabled. */
    public List<WindowSpec> windowsOf(F feature) {
        return core.featureWindows().get(feature);
    }

    /** Length of the longest window any feature uses (0 when none). */
    public long longestFeatureWindowMillis() {
        return core.featureWindows().values().stream()
                .flatMap(List::stream)
                .mapToLong(WindowSpec::lengthMillis)
                .max()
                .orElse(0);
    }

    @Override
    public String onlineSqlitePath() {
        return get(core.spec().onlineSqlitePath());
    }

    public long onlineTtlMillis() {
        return get(core.spec().onlineTtl()).toMillis();
    }

    public long stateTtlMillis() {
        return core.stateTtl().toMillis();
    }

    // ---------------------------------------------------------------- documentation

    /** Markdown reference of every key of a job: windows, features, the scalar options and the kafka section. */
    static String optionsTable(Spec<?> spec) {
        StringBuilder out = new StringBuilder("| key | type | default | description |\n|---|---|---|---|\n");
        out.append(windowAndFeatureRows(spec));
        for (ConfigOption<?> option : spec.options()) {
            out.append(ConfigOption.row(option.key(), option.typeName(), option.defaultText(), option.description()));
        }
        out.append(WindowedConfigLoader.kafkaRow());
        return out.toString();
    }

    private static <F extends Enum<F> & WindowedFeature> String windowAndFeatureRows(Spec<F> spec) {
        return WindowedConfigLoader.windowAndFeatureRows(
                spec.defaultWindows(),
                spec.featureClass(),
                spec.exampleFeature().key());
    }

    /** A summary without secrets: a secret option shows only whether it is set. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(core.spec().name()).append("{windows=");
        out.append(core.windows().values().stream()
                .map(w -> w.name() + "(" + Durations.formatMillis(w.lengthMillis()) + "/"
                        + Durations.formatMillis(w.hopMillis()) + ")")
                .collect(Collectors.joining(", ")));
        out.append(", features=")
                .append(core.featureWindows().entrySet().stream()
                        .map(e -> e.getKey().key()
                                + e.getValue().stream().map(WindowSpec::name).toList())
                        .collect(Collectors.joining(", ")));
        for (ConfigOption<?> option : core.spec().options()) {
            Object value = get(option);
            out.append(", ").append(option.key()).append('=');
            if (option.isSecret()) {
                out.append(isSet(option) ? "(set)" : "(unset)");
            } else {
                out.append(
                        value instanceof Duration d
                                ? Durations.format(d)
                                : value instanceof ConfigChoice c ? c.configName() : value);
            }
        }
        return out.append('}').toString();
    }
}
