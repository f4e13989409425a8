package io.eventstream.features.config;

import java.util.List;

/**
 * A feature computed over configurable windows: the YAML key {@code features.<key>} lists its
 * windows and each (feature, window) pair becomes a column {@code <key>_<window name>}. Implemented
 * by each job's feature enum ({@link SpamWindowedFeature}, {@link ReviewerWindowedFeature}).
 */
public interface WindowedFeature {
    /** The YAML key under {@code features} and the column name prefix. */
    String key();

    /** Window names used when the config does not list this feature. */
    List<String> defaultWindows();

    String description();

    /** The column name for one window, e.g. {@code notes_1h}. */
    default String column(String windowName) {
        return key() + "_" + windowName;
    }
}
