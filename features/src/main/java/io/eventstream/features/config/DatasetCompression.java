package io.eventstream.features.config;

/** Parquet compression codec of the dataset files. */
public enum DatasetCompression implements ConfigChoice {
    ZSTD,
    SNAPPY;

    @Override
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
