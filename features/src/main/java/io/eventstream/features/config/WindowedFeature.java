package io.eventstream.features.config;

import java.util.List;

/**
 * A feature computed over configurable windows: the YAML key {@code features.<key>} lists its
 * windows and each (feature, window) pair becomes a column {@code <key>_<window name>}. Implemented
 * by each job's feature enum ({@link SpamWindowedFeature}, {@link ReviewerWindowedFeature}).
 */
public interface WindowedFeature {
    /**
     * What declares a windowed feature; the enums hold one each, so the accessors below are written once.
     *
     * @param key            the YAML key under {@code features} and the column name prefix
     * @param defaultWindows window names used when the config does not list this feature
     */
    record Definition(String key, List<String> defaultWindows, String description) {
        public Definition {
            defaultWindows = List.copyOf(defaultWindows);
        }
    }

    Definition definition();

    /** The YAML key under {@code features} and the column name prefix. */
    default String key() {
        return definition().key();
    }

    /** Window names used when the config does not list this feature. */
    default List<String> defaultWindows() {
        return definition().defaultWindows();
    }

    default String description() {
        return definition().description();
    }

    /** The column name for one window, e.g. {@code notes_1h}. */
    default String column(String windowName) {
        return key() + "_" + windowName;
    }
}
