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

    private long[] tiles;
    private long[] values;
    private int size;

    // Per metric: the latest time added to and the amount added at exactly that time, so that
    // "strictly before t" sums can exclude the events sharing the current timestamp.
    private final long[] lastTime;
    private final long[] atLastTime;

    public TiledCounts(WindowSpec window, int metrics) {
        this(window.lengthMillis(), window.hopMillis(), metrics);
    }

    private TiledCounts(long lengthMillis, long hopMillis, int metrics) {
        if (metrics <= 0) {
            throw new IllegalArgumentException("metrics must be positive");
        }
        this.lengthMillis = lengthMillis;
        this.hopMillis = hopMillis;
        this.tilesPerLength = lengthMillis / hopMillis;
        this.metrics = metrics;
        this.tiles = new long[0];
        this.values = new long[0];
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
        long tile = Math.floorDiv(timeMillis, hopMillis);
        int index = tileIndexForAdd(tile);
        if (index < 0) {
            return;
        }
        values[index * metrics + metric] += delta;
        if (timeMillis > lastTime[metric]) {
            lastTime[metric] = timeMillis;
            atLastTime[metric] = delta;
        } else if (timeMillis == lastTime[metric]) {
            atLastTime[metric] += delta;
        }
    }

    /** Sum of {@code metric} over the window evaluated at {@code timeMillis}. */
    public long sum(long timeMillis, int metric) {
        long current = Math.floorDiv(timeMillis, hopMillis);
        long first = current - tilesPerLength;
        long total = 0;
        for (int i = size - 1; i >= 0 && tiles[i] >= first; i--) {
            if (tiles[i] <= current) {
                total += values[i * metrics + metric];
            }
        }
        return total;
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
        dropBefore(Math.floorDiv(watermarkMillis, hopMillis) - tilesPerLength);
        for (int m = 0; m < metrics; m++) {
            if (lastTime[m] != NO_TIME && lastTime[m] <= watermarkMillis) {
                lastTime[m] = NO_TIME;
                atLastTime[m] = 0;
            }
        }
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Stored tiles (for tests and state-size figures). */
    public int storedTiles() {
        return size;
    }

    private int tileIndexForAdd(long tile) {
        if (size > 0 && tiles[size - 1] == tile) {
            return size - 1;
        }
        if (size == 0 || tiles[size - 1] < tile) {
            // Tiles before tile - W/h can never be in a window again once time reached this tile.
            dropBefore(tile - tilesPerLength);
            return insertAt(size, tile);
        }
        // Out of order: only a tile a future window can still touch is worth keeping.
        if (tile < tiles[size - 1] - tilesPerLength) {
            return -1;
        }
        int pos = Arrays.binarySearch(tiles, 0, size, tile);
        return pos >= 0 ? pos : insertAt(-pos - 1, tile);
    }

    private int insertAt(int pos, long tile) {
        if (size == tiles.length) {
            int capacity = Math.max(2, Math.min(size * 2, (int) Math.min(Integer.MAX_VALUE / 2, tilesPerLength + 1)));
            capacity = Math.max(capacity, size + 1);
            tiles = Arrays.copyOf(tiles, capacity);
            values = Arrays.copyOf(values, capacity * metrics);
        }
        System.arraycopy(tiles, pos, tiles, pos + 1, size - pos);
        System.arraycopy(values, pos * metrics, values, (pos + 1) * metrics, (size - pos) * metrics);
        tiles[pos] = tile;
        Arrays.fill(values, pos * metrics, (pos + 1) * metrics, 0L);
        size++;
        return pos;
    }

    private void dropBefore(long minTile) {
        int keepFrom = 0;
        while (keepFrom < size && tiles[keepFrom] < minTile) {
            keepFrom++;
        }
        if (keepFrom == 0) {
            return;
        }
        int remaining = size - keepFrom;
        System.arraycopy(tiles, keepFrom, tiles, 0, remaining);
        System.arraycopy(values, keepFrom * metrics, values, 0, remaining * metrics);
        size = remaining;
    }

    // ---------------------------------------------------------------- state

    public TiledCounts copy() {
        TiledCounts copy = new TiledCounts(lengthMillis, hopMillis, metrics);
        copy.tiles = Arrays.copyOf(tiles, size);
        copy.values = Arrays.copyOf(values, size * metrics);
        copy.size = size;
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
        Varints.writeUnsigned(out, size);
        long previous = 0;
        for (int i = 0; i < size; i++) {
            Varints.writeSigned(out, tiles[i] - previous);
            previous = tiles[i];
            for (int m = 0; m < metrics; m++) {
                Varints.writeSigned(out, values[i * metrics + m]);
            }
        }
    }

    public static TiledCounts read(DataInput in) throws IOException {
        long length = Varints.readUnsigned(in);
        long hop = Varints.readUnsigned(in);
        int metrics = Varints.readLength(in, 1 << 10);
        if (length <= 0 || hop <= 0 || length % hop != 0 || metrics == 0) {
            throw new IOException("corrupt TiledCounts header");
        }
        TiledCounts counts = new TiledCounts(length, hop, metrics);
        for (int m = 0; m < metrics; m++) {
            counts.lastTime[m] = Varints.readSigned(in);
            counts.atLastTime[m] = Varints.readSigned(in);
        }
        int size = Varints.readLength(in, (int) Math.min(1 << 24, counts.tilesPerLength + 1));
        counts.tiles = new long[size];
        counts.values = new long[size * metrics];
        long previous = 0;
        for (int i = 0; i < size; i++) {
            previous += Varints.readSigned(in);
            counts.tiles[i] = previous;
            for (int m = 0; m < metrics; m++) {
                counts.values[i * metrics + m] = Varints.readSigned(in);
            }
        }
        counts.size = size;
        return counts;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TiledCounts other)) {
            return false;
        }
        return lengthMillis == other.lengthMillis && hopMillis == other.hopMillis && metrics == other.metrics
                && size == other.size
                && Arrays.equals(tiles, 0, size, other.tiles, 0, size)
                && Arrays.equals(values, 0, size * metrics, other.values, 0, size * metrics)
                && Arrays.equals(lastTime, other.lastTime) && Arrays.equals(atLastTime, other.atLastTime);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(lengthMillis) * 31 + Long.hashCode(hopMillis);
        for (int i = 0; i < size; i++) {
            h = h * 31 + Long.hashCode(tiles[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return "TiledCounts{length=" + lengthMillis + ", hop=" + hopMillis + ", tiles=" + size + "}";
    }
}
