package io.eventstream.features.config;

import java.time.Duration;

/**
 * The options every feature job shares (event time, checkpoints, datasets, online store), so each
 * job's configuration class lists them instead of redefining them. Job-specific options (the
 * SQLite file name, state TTL, ...) live in the job's own class.
 */
public final class CommonJobOptions {
    /** At most this many tiles per window (length / hop), which bounds state per entity. */
    public static final int MAX_TILES_PER_WINDOW = 10_000;

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS = ConfigOption.duration(
            "time.max_out_of_orderness",
            Duration.ofSeconds(30),
            true,
            "Watermark bound: how far behind the newest event time an event may arrive and still be in order.");
    public static final ConfigOption<Duration> IDLENESS = ConfigOption.duration(
            "time.idleness",
            Duration.ofMinutes(1),
            false,
            "A source partition without events for this long is marked idle so it does not hold back the watermark.");
    public static final ConfigOption<Duration> ALLOWED_LATENESS = ConfigOption.duration(
            "time.allowed_lateness",
            Duration.ofMinutes(5),
            true,
            "Events later than the watermark by more than this go to the late_events dataset instead of the features.");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = ConfigOption.duration(
            "checkpoint.interval",
            Duration.ofSeconds(10),
            false,
            "Flink checkpoint interval; dataset part files are committed on checkpoints.");
    public static final ConfigOption<String> DATASET_ROOT = ConfigOption.string(
            "dataset.root",
            "out/datasets",
            "Directory (or URI) under which `<dataset>/v<N>/dt=.../hour=.../` Parquet files are written.");
    public static final ConfigOption<DatasetCompression> DATASET_COMPRESSION = ConfigOption.choice(
            "dataset.compression", DatasetCompression.class, DatasetCompression.ZSTD, "Parquet compression codec.");
    public static final ConfigOption<OnlineBackend> ONLINE_BACKEND = ConfigOption.choice(
            "online.backend",
            OnlineBackend.class,
            OnlineBackend.SQLITE,
            "Online table store: an embedded SQLite file (local default) or Redis (production).");
    public static final ConfigOption<String> ONLINE_REDIS_URL = ConfigOption.string(
            "online.redis_url",
            "redis://127.0.0.1:6379",
            "Redis URL (backend redis): redis://host:port or rediss://host:port for TLS. Keep passwords out of "
                    + "this file; pass them through the environment.");
    public static final ConfigOption<Duration> ONLINE_TTL = ConfigOption.duration(
            "online.ttl", Duration.ofDays(30), false, "Online rows not refreshed for this long expire.");
    public static final ConfigOption<Duration> ONLINE_MAX_OUTAGE = ConfigOption.duration(
            "online.max_outage",
            Duration.ofMinutes(5),
            false,
            "How long the online store may stay unreachable (or keep failing writes) before the job fails and "
                    + "restarts from its last checkpoint. Shorter outages only delay the online rows: the sink keeps "
                    + "them, retries with backoff and blocks the job meanwhile. Keep it below the checkpoint timeout "
                    + "(10 min by default).");

    public static final ConfigOption<String> DEAD_LETTERS_RAW_ROOT = ConfigOption.string(
            "dead_letters.raw_root",
            null,
            "Opt-in: also keep the raw bytes of each dead letter (first 64 KiB, base64) in the dataset "
                    + "dead_letters_raw (reviewer job: reviewer_dead_letters_raw) under this separate directory, for "
                    + "replay and debugging. Raw "
                    + "payloads hold personal data: give this root restricted access. Unset: only reason, position, "
                    + "size and SHA-256 digest are kept.");
    public static final ConfigOption<Duration> DEAD_LETTERS_RAW_RETENTION = ConfigOption.duration(
            "dead_letters.raw_retention",
            Duration.ofDays(7),
            false,
            "How long raw dead-letter payloads are kept: the job deletes every hour partition (by ingest_time) of "
                    + "the raw dataset once its start is this old, at start and at most once a minute on checkpoints; "
                    + "at least 1d.");
    public static final ConfigOption<Duration> MAX_FUTURE = ConfigOption.duration(
            "time.max_future",
            Duration.ofMinutes(10),
            false,
            "An event whose time is more than this ahead of when it was recorded (the Kafka record timestamp, "
                    + "else its recordedtime, else the time the job reads it) is a FUTURE_TIME dead letter and "
                    + "never moves the watermark.");
    public static final ConfigOption<Duration> DEDUP_HORIZON = ConfigOption.derivedDuration(
            "dedup.horizon",
            "time.allowed_lateness + 1d",
            "How long (in event time, past the event's time) a seen (source, id) is remembered: a redelivery "
                    + "within it is counted as a duplicate and dropped. At least time.allowed_lateness, because "
                    + "any later copy is late anyway.");

    /** The default of {@link #DEDUP_HORIZON}: the allowed lateness plus a day. */
    public static final Duration DEDUP_HORIZON_BEYOND_LATENESS = Duration.ofDays(1);

    /** Records a problem when {@code dedup.horizon} is set shorter than the allowed lateness. */
    static void checkDedupHorizon(WindowedConfigLoader<?> loader, java.util.Map<ConfigOption<?>, Object> values) {
        Duration horizon = (Duration) values.get(DEDUP_HORIZON);
        Duration lateness = (Duration) values.getOrDefault(ALLOWED_LATENESS, ALLOWED_LATENESS.defaultValue());
        if (horizon != null && horizon.compareTo(lateness) < 0) {
            loader.problem(
                    DEDUP_HORIZON.key(),
                    Durations.format(horizon) + " is shorter than time.allowed_lateness " + Durations.format(lateness)
                            + "; a redelivery that is not late could be counted twice");
        }
    }

    /** The values with {@link #DEDUP_HORIZON} derived from the allowed lateness when not set. */
    static java.util.Map<ConfigOption<?>, Object> withDerivedDefaults(java.util.Map<ConfigOption<?>, Object> values) {
        java.util.Map<ConfigOption<?>, Object> all = new java.util.HashMap<>(values);
        Duration lateness = (Duration) values.getOrDefault(ALLOWED_LATENESS, ALLOWED_LATENESS.defaultValue());
        all.putIfAbsent(DEDUP_HORIZON, lateness.plus(DEDUP_HORIZON_BEYOND_LATENESS));
        return java.util.Map.copyOf(all);
    }

    private CommonJobOptions() {}
}
