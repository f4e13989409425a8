package io.eventstream.features.config;

/** Where the online feature table lives: an embedded SQLite file (default) or Redis (production). */
public enum OnlineBackend implements ConfigChoice {
    SQLITE,
    REDIS;

    @Override
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
