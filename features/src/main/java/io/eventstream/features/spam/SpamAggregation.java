package io.eventstream.features.spam;

/**
 * How a windowed spam feature aggregates the values of the inputs it reads inside a window, and so
 * which per-tile aggregator the engine keeps for it.
 */
public enum SpamAggregation {
    /** Inputs in the window, the current event included: summed tiles ({@code TiledCounts}). */
    COUNT(Tiles.SUMS, false, "count"),
    /** The sum of the value over the window, the current event included: summed tiles. */
    SUM(Tiles.SUMS, false, "sum"),
    /** Inputs with time strictly before the current event's, inside the window: summed tiles read before t. */
    COUNT_BEFORE(Tiles.SUMS, true, "count before t"),
    /** Distinct values in the window, the current event included: {@code DistinctIds}. */
    DISTINCT_COUNT(Tiles.DISTINCT, false, "distinct count"),
    /**
     * Inputs in the window whose value equals the current event's, the current event included:
     * per-key tiles ({@code TiledKeyCounts}). Needs the current event, so it has no request-time value.
     */
    SAME_KEY_COUNT(Tiles.KEYS, false, "same-value count");

    /** The per-tile aggregators of the engine. */
    public enum Tiles {
        /** One {@code TiledCounts} per window, one metric per feature using it. */
        SUMS,
        /** One {@code DistinctIds} over all the feature's windows. */
        DISTINCT,
        /** One {@code TiledKeyCounts} per window. */
        KEYS
    }

    private final Tiles tiles;
    private final boolean beforeEventTime;
    private final String text;

    SpamAggregation(Tiles tiles, boolean beforeEventTime, String text) {
        this.tiles = tiles;
        this.beforeEventTime = beforeEventTime;
        this.text = text;
    }

    public Tiles tiles() {
        return tiles;
    }

    /** Whether the window ends before the event time ({@code [start, t)}) instead of at it ({@code [start, t]}). */
    public boolean beforeEventTime() {
        return beforeEventTime;
    }

    /** How docs and {@code _feature_set.json} name it. */
    public String text() {
        return text;
    }
}
