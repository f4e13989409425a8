package io.eventstream.features.config;

/** An enum whose constants are written in config files by a lowercase name. */
public interface ConfigChoice {
    /** The spelling in config files, e.g. {@code zstd}. */
    String configName();
}
