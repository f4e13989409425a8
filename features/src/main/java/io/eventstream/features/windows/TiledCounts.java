package io.eventstream.features.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Per-tile sums of a few metrics (counts, link totals, ...) of one entity over one window.
 *
 * <p>Only tiles that received something are stored, oldest first, and never more than the
 * {@link WindowSpec#tileCount()} tiles a future window can still touch: a quiet entity costs a few
 * bytes, a busy one at most {@code tileCount * (1 + metrics)} longs. Adds must come in
 * nondecreasing time (the caller applies events in {@code (time, id)} order); an older add is
 * still placed in its tile if that tile can matter, else dropped.
 */
public final class TiledCounts {
    private static final long NO_TIME = Long.MIN_VALUE;

    private final long lengthMillis;
    private final long hopMillis;
    private final long tilesPerLength;
    private final int metrics;
    /** One entry per tile, a slot per metric. */
    private final TileSeries tiles;

    // Per metric: the latest time added to and the amount added at exactly that time, so that
    // "strictly before t" sums can exclude the events sharing the current timestamp.
    private final long[] lastTime;
    private final long[] atLastTime;

    public TiledCounts(WindowSpec window, int metrics) {
        this(window.lengthMillis(), window.hopMillis(), metrics, null);
    }

    private TiledCounts(long lengthMillis, long hopMillis, int metrics, TileSeries tiles) {
        if (metrics <= 0) {
            throw new IllegalArgumentException("metrics must be positive");
        }
        this.lengthMillis = lengthMillis;
        this.hopMillis = hopMillis;
        this.tilesPerLength = lengthMillis / hopMillis;
        this.metrics = metrics;
        this.tiles = tiles != null ? tiles : new TileSeries(metrics, tilesPerLength);
        this.lastTime = new long[metrics];
        this.atLastTime = new long[metrics];
        Arrays.fill(lastTime, NO_TIME);
    }

    public int metrics() {
        return metrics;
    }

    public long lengthMillis() {
        return lengthMillis;
    }

    public long hopMillis() {
        return hopMillis;
    }

    /** Adds {@code delta} to {@code metric} in the tile of {@code timeMillis}. */
    public void add(long timeMillis, int metric, long delta) {
        if (delta == 0) {
            return;
        }
        int entry = tiles.entryFor(TileSeries.tileOf(timeMillis, hopMillis));
        if (entry < 0) {
            return;
        }
        tiles.add(entry, metric, delta);
        if (timeMillis > lastTime[metric]) {
            lastTime[metric] = timeMillis;
            atLastTime[metric] = delta;
        } else if (timeMillis == lastTime[metric]) {
            atLastTime[metric] += delta;
        }
    }

    /** Sum of {@code metric} over the window evaluated at {@code timeMillis}. */
    public long sum(long timeMillis, int metric) {
        return tiles.sum(TileSeries.tileOf(timeMillis, hopMillis), tilesPerLength, metric);
    }

    /**
     * Sum of {@code metric} over the window at {@code timeMillis}, leaving out what was added at
     * exactly {@code timeMillis}: the window's events strictly before t.
     */
    public long sumBefore(long timeMillis, int metric) {
        long total = sum(timeMillis, metric);
        return lastTime[metric] == timeMillis ? total - atLastTime[metric] : total;
    }

    /**
     * Drops what no window evaluated after {@code watermarkMillis} can touch. Call only when no
     * add or query at a time at or before the watermark follows.
     */
    public void expire(long watermarkMillis) {
        tiles.dropBefore(TileSeries.tileOf(watermarkMillis, hopMillis) - tilesPerLength);
        for (int m = 0; m < metrics; m++) {
            if (lastTime[m] != NO_TIME && lastTime[m] <= watermarkMillis) {
                lastTime[m] = NO_TIME;
                atLastTime[m] = 0;
            }
        }
    }

    public boolean isEmpty() {
        return tiles.isEmpty();
    }

    /** Stored tiles (for tests and state-size figures). */
    public int storedTiles() {
        return tiles.size();
    }

    // ---------------------------------------------------------------- state

    public TiledCounts copy() {
        TiledCounts copy = new TiledCounts(lengthMillis, hopMillis, metrics, tiles.copy());
        System.arraycopy(lastTime, 0, copy.lastTime, 0, metrics);
        System.arraycopy(atLastTime, 0, copy.atLastTime, 0, metrics);
        return copy;
    }

    /** Writes the window shape and the stored tiles (tile indices delta-encoded). */
    public void write(DataOutput out) throws IOException {
        Varints.writeUnsigned(out, lengthMillis);
        Varints.writeUnsigned(out, hopMillis);
        Varints.writeUnsigned(out, metrics);
        for (int m = 0; m < metrics; m++) {
            Varints.writeSigned(out, lastTime[m]);
            Varints.writeSigned(out, atLastTime[m]);
        }
        tiles.write(out, 0);
    }

    public static TiledCounts read(DataInput in) throws IOException {
        long length = Varints.readUnsigned(in);
        long hop = Varints.readUnsigned(in);
        int metrics = Varints.readLength(in, 1 << 10);
        if (length <= 0 || hop <= 0 || length % hop != 0 || metrics == 0) {
            throw new IOException("corrupt TiledCounts header");
        }
        long[] lastTime = new long[metrics];
        long[] atLastTime = new long[metrics];
        for (int m = 0; m < metrics; m++) {
            lastTime[m] = Varints.readSigned(in);
            atLastTime[m] = Varints.readSigned(in);
        }
        long tilesPerLength = length / hop;
        TileSeries tiles =
                TileSeries.read(in, metrics, tilesPerLength, 0, (int) Math.min(1 << 24, tilesPerLength + 1), true);
        TiledCounts counts = new TiledCounts(length, hop, metrics, tiles);
        System.arraycopy(lastTime, 0, counts.lastTime, 0, metrics);
        System.arraycopy(atLastTime, 0, counts.atLastTime, 0, metrics);
        return counts;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TiledCounts other)) {
            return false;
        }
        return lengthMillis == other.lengthMillis
                && hopMillis == other.hopMillis
                && metrics == other.metrics
                && tiles.sameEntries(other.tiles)
                && Arrays.equals(lastTime, other.lastTime)
                && Arrays.equals(atLastTime, other.atLastTime);
    }

    @Override
    public int hashCode() {
        return tiles.tilesHash(Long.hashCode(lengthMillis) * 31 + Long.hashCode(hopMillis));
    }

    @Override
    public String toString() {
        return "TiledCounts{length=" + lengthMillis + ", hop=" + hopMillis + ", tiles=" + tiles.size() + "}";
    }
}
