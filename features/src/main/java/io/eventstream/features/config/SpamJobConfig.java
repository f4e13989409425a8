package io.eventstream.features.config;

import io.eventstream.features.windows.WindowSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The spam features job's configuration, loaded from YAML ({@code deploy/config/spam.yaml} is the
 * documented example) and validated at start: unknown keys (with a did-you-mean), bad durations,
 * hops that do not divide lengths, features referring to undefined windows and zero or negative
 * values all fail with a {@link ConfigException} naming the key.
 *
 * <p>The shared core (time, dedup, checkpoint, dataset, online, dead letters, kafka, windows,
 * features, state TTL) is {@link WindowedJobConfig}'s; this class adds the email-domain hash key and
 * the GitLab host.
 */
public final class SpamJobConfig extends WindowedJobConfig<SpamWindowedFeature> {
    private static final long serialVersionUID = 1L;

    /** Keyed-hash keys shorter than this are refused. */
    public static final int MIN_HASH_KEY_LENGTH = 16;

    public static final ConfigOption<String> ONLINE_SQLITE_PATH = ConfigOption.string(
            "online.sqlite_path",
            "out/online/spam_user_features.sqlite",
            "SQLite database file of the online table (backend sqlite).");
    public static final ConfigOption<Duration> ONLINE_TTL = CommonJobOptions.ONLINE_TTL;
    public static final ConfigOption<Duration> STATE_TTL = ConfigOption.derivedDuration(
            "state.ttl",
            "longest window + its hop",
            "A user's keyed state is dropped after this long without any relevant event (see \"Which events keep "
                    + "a user's state\"); must be at least the longest reach of a window, length + hop (the default), "
                    + "so that no event a window still covers is forgotten. After that the user's sign-up time, email "
                    + "domain and memberships are forgotten (account_age_seconds becomes null) until new events arrive.");
    public static final ConfigOption<String> HASH_KEY_ENV = ConfigOption.string(
            "hashing.key_env",
            "EVENTSTREAM_HASH_KEY",
            "Name of the environment variable holding the key of email_domain_hash (HMAC-SHA256), at least "
                    + MIN_HASH_KEY_LENGTH + " characters.");
    public static final ConfigOption<String> HASH_KEY = ConfigOption.secret(
            "hashing.key",
            "The hash key written in the file itself. Discouraged (tests and demos only): it wins over hashing.key_env.");
    public static final ConfigOption<String> GITLAB_HOST = ConfigOption.string(
            "gitlab.host",
            "gitlab.example.com",
            "Host of the GitLab instance: links to it or its subdomains are internal, all others count as "
                    + "external_link_count.");

    /** Every scalar option, in documentation order. */
    public static final List<ConfigOption<?>> OPTIONS =
            options(ONLINE_SQLITE_PATH, ONLINE_TTL, STATE_TTL, List.of(HASH_KEY_ENV, HASH_KEY, GITLAB_HOST));

    /** The default windows: name, length, hop. */
    public static final List<WindowSpec> DEFAULT_WINDOWS = List.of(
            new WindowSpec("1m", 60_000L, 10_000L),
            new WindowSpec("10m", 600_000L, 60_000L),
            new WindowSpec("1h", 3_600_000L, 300_000L),
            new WindowSpec("24h", 86_400_000L, 3_600_000L),
            new WindowSpec("7d", 7 * 86_400_000L, 86_400_000L),
            new WindowSpec("30d", 30 * 86_400_000L, 86_400_000L));

    private static final Pattern HOST =
            Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private static final Spec<SpamWindowedFeature> SPEC = new Spec<>(
            "SpamJobConfig",
            SpamWindowedFeature.class,
            OPTIONS,
            sections("hashing", "gitlab"),
            DEFAULT_WINDOWS,
            SpamWindowedFeature.NOTES,
            "notes_1h",
            ONLINE_SQLITE_PATH,
            ONLINE_TTL,
            STATE_TTL,
            SpamJobConfig::parse);

    private SpamJobConfig(Core<SpamWindowedFeature> core) {
        super(core);
    }

    // ---------------------------------------------------------------- loading

    /** The configuration with every default: the default columns. */
    public static SpamJobConfig defaults() {
        return parse("");
    }

    /** Loads and validates a YAML file. */
    public static SpamJobConfig load(Path file) {
        return parse(readFile(file));
    }

    /**
     * Parses and validates YAML text: the shared sections, then spam's own checks; an empty document
     * means all defaults.
     */
    public static SpamJobConfig parse(String yaml) {
        Loading<SpamWindowedFeature> loading = loading(SPEC, yaml);
        // At event time t a window covers [floor(t/h)*h - W, t]: an event up to W + h - 1 ms old can still count,
        // so state kept for less than W + h would forget events the documented window includes.
        WindowSpec widest = loading.windows().values().stream()
                .max(Comparator.comparingLong(w -> w.lengthMillis() + w.hopMillis()))
                .orElse(null);
        long reach = widest == null ? 0 : widest.lengthMillis() + widest.hopMillis();
        Duration stateTtl = loading.stateTtl(
                reach,
                () -> "the longest window plus its hop, " + Durations.formatMillis(reach) + " (window "
                        + widest.name() + ": " + Durations.formatMillis(widest.lengthMillis()) + " + "
                        + Durations.formatMillis(widest.hopMillis())
                        + "); windowed features would lose events the window still covers");
        String host = loading.value(GITLAB_HOST);
        if (host != null && !HOST.matcher(host).matches()) {
            loading.problem(
                    GITLAB_HOST.key(),
                    "'" + host + "' is not a lowercase host name (no scheme, port or path), "
                            + "e.g. gitlab.example.com");
        }
        loading.checkRedisUrl();
        String key = loading.value(HASH_KEY);
        if (key != null && key.length() < MIN_HASH_KEY_LENGTH) {
            loading.problem(HASH_KEY.key(), "must be at least " + MIN_HASH_KEY_LENGTH + " characters");
        }
        return new SpamJobConfig(loading.finish(stateTtl));
    }

    // ---------------------------------------------------------------- access

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
        String literal = get(HASH_KEY);
        if (literal != null) {
            return literal.getBytes(StandardCharsets.UTF_8);
        }
        String variable = hashKeyEnv();
        String key = environment.get(variable);
        if (key == null || key.isEmpty()) {
            throw new ConfigException(
                    HASH_KEY_ENV.key(),
                    "environment variable " + variable
                            + " is not set; set it to a secret of at least " + MIN_HASH_KEY_LENGTH
                            + " characters (or hashing.key in test configs)");
        }
        if (key.length() < MIN_HASH_KEY_LENGTH) {
            throw new ConfigException(
                    HASH_KEY_ENV.key(),
                    "environment variable " + variable + " holds a key shorter than " + MIN_HASH_KEY_LENGTH
                            + " characters");
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** Markdown reference of every key: windows, features and the scalar options. */
    public static String optionsTable() {
        return optionsTable(SPEC);
    }
}
