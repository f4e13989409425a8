package io.eventstream.features.windows;

import java.util.Objects;

/**
 * A sliding window evaluated at each event of an entity, tiled by its hop (a "sawtooth" window in
 * Chronon's terms).
 *
 * <p>At event time {@code t} the window covers the entity's events with time in
 * {@code [floor(t/h)*h - W, t]} that are ordered at or before the current event in
 * {@code (time, id)} order, so the current event counts. Because the hop divides the length, the
 * start is a tile boundary and the window is exactly the union of tiles
 * {@code floor(t/h) - W/h .. floor(t/h)}: exact at tile granularity, bounded in memory.
 *
 * @param name          the name used in column names ({@code notes_<name>}), e.g. {@code 1h}
 * @param lengthMillis  W, positive
 * @param hopMillis     h, positive, divides W
 */
public record WindowSpec(String name, long lengthMillis, long hopMillis) {

    public WindowSpec {
        Objects.requireNonNull(name, "name");
        if (lengthMillis <= 0 || hopMillis <= 0) {
            throw new IllegalArgumentException("window " + name + ": length and hop must be positive");
        }
        if (lengthMillis % hopMillis != 0) {
            throw new IllegalArgumentException(
                    "window " + name + ": hop " + hopMillis + " ms does not divide length " + lengthMillis + " ms");
        }
        if (lengthMillis / hopMillis >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("window " + name + ": too many tiles");
        }
    }

    /** The tile an instant falls in: {@code floor(t / h)}. */
    public long tileOf(long timeMillis) {
        return Math.floorDiv(timeMillis, hopMillis);
    }

    /** W / h: how many whole tiles the length spans. */
    public long tilesPerLength() {
        return lengthMillis / hopMillis;
    }

    /** Number of tiles a window touches: the W/h full tiles before the current one, plus the current one. */
    public int tileCount() {
        return (int) tilesPerLength() + 1;
    }

    /** First tile of the window evaluated at {@code t}. */
    public long firstTile(long timeMillis) {
        return tileOf(timeMillis) - tilesPerLength();
    }

    /** Inclusive start of the window evaluated at {@code t}: {@code floor(t/h)*h - W}. */
    public long startMillis(long timeMillis) {
        return firstTile(timeMillis) * hopMillis;
    }

    /** Whether an event at {@code eventTime} (ordered at or before the current event) is inside the window at {@code t}. */
    public boolean covers(long eventTime, long timeMillis) {
        return eventTime >= startMillis(timeMillis) && eventTime <= timeMillis;
    }
}
