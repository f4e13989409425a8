package io.eventstream.features.config;

import java.time.Duration;
import java.util.Map;

/**
 * The settings every feature job has: those of {@link StreamJobSettings} (time, checkpoints,
 * dataset compression), and deduplication, the dataset root, the online store, the Kafka client and
 * dead letters, read from the shared {@link CommonJobOptions}; each job's config adds its own.
 */
public interface JobSettings extends StreamJobSettings {

    /** {@code dedup.horizon}, by default the allowed lateness plus a day. */
    default long dedupHorizonMillis() {
        Duration horizon = get(CommonJobOptions.DEDUP_HORIZON);
        return horizon != null
                ? horizon.toMillis()
                : allowedLatenessMillis() + CommonJobOptions.DEDUP_HORIZON_BEYOND_LATENESS.toMillis();
    }

    default String datasetRoot() {
        return get(CommonJobOptions.DATASET_ROOT);
    }

    default OnlineBackend onlineBackend() {
        return get(CommonJobOptions.ONLINE_BACKEND);
    }

    default String onlineRedisUrl() {
        return get(CommonJobOptions.ONLINE_REDIS_URL);
    }

    /** How long the online store may fail before the job fails ({@code online.max_outage}). */
    default Duration onlineMaxOutage() {
        return get(CommonJobOptions.ONLINE_MAX_OUTAGE);
    }

    /** SQLite file of the job's online tables (backend sqlite); the default differs per job. */
    String onlineSqlitePath();

    /** The YAML text the settings were parsed from. */
    String yaml();

    /**
     * The {@code kafka} section: extra Kafka client properties (non-secret, or secret references), name to
     * value; empty when absent. Validated against Kafka's definitions by {@code KafkaClientProperties}.
     */
    default Map<String, String> kafkaProperties() {
        return WindowedConfigLoader.kafkaSection(yaml());
    }

    /** Where raw dead-letter payloads go ({@code dead_letters.raw_root}); null: they are not kept. */
    default String deadLetterRawRoot() {
        return get(CommonJobOptions.DEAD_LETTERS_RAW_ROOT);
    }

    /** How long raw dead-letter payloads are kept ({@code dead_letters.raw_retention}). */
    default long deadLetterRawRetentionMillis() {
        return get(CommonJobOptions.DEAD_LETTERS_RAW_RETENTION).toMillis();
    }
}
