package io.eventstream.features.config;

/**
 * The settings every job that reads the event stream has, the raw event archive included: event
 * time (watermark bound, idleness, lateness, how far ahead of its recording an event may be),
 * checkpoints and dataset compression, read from the shared {@link CommonJobOptions}. The feature
 * jobs add theirs in {@link JobSettings}.
 */
public interface StreamJobSettings {

    /** A scalar option's value (its default when not set). */
    <T> T get(ConfigOption<T> option);

    default long maxOutOfOrdernessMillis() {
        return get(CommonJobOptions.MAX_OUT_OF_ORDERNESS).toMillis();
    }

    default long idlenessMillis() {
        return get(CommonJobOptions.IDLENESS).toMillis();
    }

    /** How long after the watermark an event (or an hour of a dataset) may still arrive. */
    default long allowedLatenessMillis() {
        return get(CommonJobOptions.ALLOWED_LATENESS).toMillis();
    }

    /** {@code time.max_future}: events further ahead of when they were recorded are dead letters. */
    default long maxFutureMillis() {
        return get(CommonJobOptions.MAX_FUTURE).toMillis();
    }

    default long checkpointIntervalMillis() {
        return get(CommonJobOptions.CHECKPOINT_INTERVAL).toMillis();
    }

    default DatasetCompression datasetCompression() {
        return get(CommonJobOptions.DATASET_COMPRESSION);
    }
}
