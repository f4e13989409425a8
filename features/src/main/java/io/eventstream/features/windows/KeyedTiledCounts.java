package io.eventstream.features.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Per-key tiled sums of a few metrics, for many keys of one entity: e.g. per user of a project, or
 * per (user, path) pair. One structure serves every window with its hop whose length is at most
 * the retention, so the 30d, 90d and 365d windows of a daily hop share one series per key.
 *
 * <p>Keys live in an open-addressing table of primitive longs (no boxing); each key has its own
 * series of non-empty tiles, oldest first, never longer than the {@code retention / hop + 1} tiles
 * a future window can touch. A lookup is a hash probe plus a walk back over that key's tiles in the
 * window, so the cost of a query does not grow with the number of keys. Adds must come in
 * nondecreasing time per key (events applied in {@code (time, id)} order); an older add is still
 * placed in its tile when that tile can matter, else dropped.
 */
public final class KeyedTiledCounts {
    private static final int MIN_CAPACITY = 8;

    private final long hopMillis;
    private final long retentionMillis;
    private final long tilesPerRetention;
    private final int metrics;

    private long[] keys;
    private Series[] series;
    private int size;
    /**
     * At most the oldest stored tile of any key (exact after {@link #expire} scanned, a lower bound
     * otherwise): while nothing is older than what an expiry keeps, the expiry need not visit the keys.
     */
    private long oldestTile = Long.MAX_VALUE;

    /**
     * @param hopMillis        tile size h
     * @param retentionMillis  the longest window length any query uses; a multiple of the hop
     * @param metrics          number of metrics summed per tile
     */
    public KeyedTiledCounts(long hopMillis, long retentionMillis, int metrics) {
        if (hopMillis <= 0 || retentionMillis <= 0 || retentionMillis % hopMillis != 0 || metrics <= 0) {
            throw new IllegalArgumentException("hop and retention must be positive, the hop must divide the "
                    + "retention, metrics must be positive");
        }
        this.hopMillis = hopMillis;
        this.retentionMillis = retentionMillis;
        this.tilesPerRetention = retentionMillis / hopMillis;
        this.metrics = metrics;
        this.keys = new long[MIN_CAPACITY];
        this.series = new Series[MIN_CAPACITY];
    }

    public long hopMillis() {
        return hopMillis;
    }

    public long retentionMillis() {
        return retentionMillis;
    }

    public int metrics() {
        return metrics;
    }

    /** Adds {@code delta} to {@code metric} of {@code key} in the tile of {@code timeMillis}. */
    public void add(long key, long timeMillis, int metric, long delta) {
        if (delta == 0) {
            return;
        }
        int slot = find(key);
        Series s;
        if (slot < 0) {
            s = new Series();
            insert(key, s);
        } else {
            s = series[slot];
        }
        long tile = Math.floorDiv(timeMillis, hopMillis);
        s.add(tile, metric, delta, metrics, tilesPerRetention);
        oldestTile = Math.min(oldestTile, tile);
    }

    /**
     * Sum of {@code metric} of {@code key} over the window of length {@code lengthMillis} (a multiple
     * of the hop, at most the retention) evaluated at {@code timeMillis}: tiles
     * {@code floor(t/h) - W/h .. floor(t/h)}.
     */
    public long sum(long key, long timeMillis, long lengthMillis, int metric) {
        if (lengthMillis > retentionMillis || lengthMillis % hopMillis != 0) {
            throw new IllegalArgumentException("window length " + lengthMillis + " does not fit hop " + hopMillis
                    + " and retention " + retentionMillis);
        }
        int slot = find(key);
        if (slot < 0) {
            return 0;
        }
        Series s = series[slot];
        long current = Math.floorDiv(timeMillis, hopMillis);
        long first = current - lengthMillis / hopMillis;
        long total = 0;
        for (int i = s.size - 1; i >= 0 && s.tiles[i] >= first; i--) {
            if (s.tiles[i] <= current) {
                total += s.values[i * metrics + metric];
            }
        }
        return total;
    }

    /**
     * The non-zero values of {@code metric} of {@code key} in tiles {@code fromTile..toTile}, oldest
     * first, as {@code [tile, value, tile, value, ...]}: what a window inside that range sums, for
     * readers that finish the sum at a later time (online tables).
     */
    public long[] tiles(long key, long fromTile, long toTile, int metric) {
        int slot = find(key);
        if (slot < 0) {
            return new long[0];
        }
        Series s = series[slot];
        long[] out = new long[2 * s.size];
        int n = 0;
        for (int i = 0; i < s.size; i++) {
            long value = s.values[i * metrics + metric];
            if (s.tiles[i] >= fromTile && s.tiles[i] <= toTile && value != 0) {
                out[n++] = s.tiles[i];
                out[n++] = value;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Drops what no window evaluated after {@code watermarkMillis} can touch, and keys left without
     * tiles. Call only when no add or query at a time at or before the watermark follows.
     */
    public void expire(long watermarkMillis) {
        long minTile = Math.floorDiv(watermarkMillis, hopMillis) - tilesPerRetention;
        if (minTile <= oldestTile) {
            return; // no stored tile is older than what the windows still need: nothing to drop
        }
        long[] oldKeys = keys;
        Series[] oldSeries = series;
        int live = 0;
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < oldSeries.length; i++) {
            if (oldSeries[i] != null) {
                oldSeries[i].dropBefore(minTile, metrics);
                if (oldSeries[i].size > 0) {
                    live++;
                    oldest = Math.min(oldest, oldSeries[i].tiles[0]);
                }
            }
        }
        oldestTile = oldest;
        if (live == size) {
            return; // no key lost its last tile: the table stays as it is
        }
        allocate(capacityFor(live));
        for (int i = 0; i < oldSeries.length; i++) {
            if (oldSeries[i] != null && oldSeries[i].size > 0) {
                insert(oldKeys[i], oldSeries[i]);
            }
        }
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Keys with at least one stored tile. */
    public int keyCount() {
        return size;
    }

    /** Stored (key, tile) entries, for state-size figures. */
    public long entryCount() {
        long entries = 0;
        for (Series s : series) {
            if (s != null) {
                entries += s.size;
            }
        }
        return entries;
    }

    // ---------------------------------------------------------------- hash table

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private int find(long key) {
        int mask = keys.length - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            if (series[i] == null) {
                return -1;
            }
            if (keys[i] == key) {
                return i;
            }
        }
    }

    private void insert(long key, Series s) {
        if ((size + 1) * 2 > keys.length) {
            long[] oldKeys = keys;
            Series[] oldSeries = series;
            allocate(keys.length * 2);
            for (int i = 0; i < oldSeries.length; i++) {
                if (oldSeries[i] != null) {
                    place(oldKeys[i], oldSeries[i]);
                }
            }
        }
        place(key, s);
    }

    private void place(long key, Series s) {
        int mask = keys.length - 1;
        int i = hash(key) & mask;
        while (series[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        series[i] = s;
        size++;
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        series = new Series[capacity];
        size = 0;
    }

    private static int capacityFor(int entries) {
        int capacity = MIN_CAPACITY;
        while (capacity < entries * 2) {
            capacity <<= 1;
        }
        return capacity;
    }

    /** Keys in ascending order: the serialized order, so equal contents give equal bytes. */
    private long[] sortedKeys() {
        long[] sorted = new long[size];
        int n = 0;
        for (int i = 0; i < series.length; i++) {
            if (series[i] != null) {
                sorted[n++] = keys[i];
            }
        }
        Arrays.sort(sorted);
        return sorted;
    }

    /** One key's non-empty tiles, oldest first, with {@code metrics} values each. */
    private static final class Series {
        long[] tiles = new long[2];
        long[] values;
        int size;

        void add(long tile, int metric, long delta, int metrics, long tilesPerRetention) {
            if (values == null) {
                values = new long[2 * metrics];
            }
            int index;
            if (size > 0 && tiles[size - 1] == tile) {
                index = size - 1;
            } else if (size == 0 || tiles[size - 1] < tile) {
                dropBefore(tile - tilesPerRetention, metrics);
                index = insertAt(size, tile, metrics);
            } else {
                if (tile < tiles[size - 1] - tilesPerRetention) {
                    return; // out of order and too old for any future window
                }
                int pos = size;
                while (pos > 0 && tiles[pos - 1] > tile) {
                    pos--;
                }
                index = pos > 0 && tiles[pos - 1] == tile ? pos - 1 : insertAt(pos, tile, metrics);
            }
            values[index * metrics + metric] += delta;
        }

        private int insertAt(int pos, long tile, int metrics) {
            if (size == tiles.length) {
                int capacity = Math.max(2, size * 2);
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

        void dropBefore(long minTile, int metrics) {
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

        Series copy(int metrics) {
            Series copy = new Series();
            copy.tiles = Arrays.copyOf(tiles, Math.max(2, size));
            copy.values = values == null ? null : Arrays.copyOf(values, Math.max(2, size) * metrics);
            copy.size = size;
            return copy;
        }

        boolean sameAs(Series other, int metrics) {
            return size == other.size && Arrays.equals(tiles, 0, size, other.tiles, 0, size)
                    && (size == 0 || Arrays.equals(values, 0, size * metrics, other.values, 0, size * metrics));
        }
    }

    // ---------------------------------------------------------------- state

    public KeyedTiledCounts copy() {
        KeyedTiledCounts copy = new KeyedTiledCounts(hopMillis, retentionMillis, metrics);
        copy.keys = Arrays.copyOf(keys, keys.length);
        copy.series = new Series[series.length];
        for (int i = 0; i < series.length; i++) {
            copy.series[i] = series[i] == null ? null : series[i].copy(metrics);
        }
        copy.size = size;
        copy.oldestTile = oldestTile;
        return copy;
    }

    /** Writes the shape, then per key (ascending, delta-encoded) its tiles (delta-encoded) and values. */
    public void write(DataOutput out) throws IOException {
        Varints.writeUnsigned(out, hopMillis);
        Varints.writeUnsigned(out, retentionMillis);
        Varints.writeUnsigned(out, metrics);
        long[] sorted = sortedKeys();
        Varints.writeUnsigned(out, sorted.length);
        long previousKey = 0;
        for (long key : sorted) {
            Varints.writeSigned(out, key - previousKey);
            previousKey = key;
            Series s = series[find(key)];
            Varints.writeUnsigned(out, s.size);
            long previousTile = 0;
            for (int i = 0; i < s.size; i++) {
                Varints.writeSigned(out, s.tiles[i] - previousTile);
                previousTile = s.tiles[i];
                for (int m = 0; m < metrics; m++) {
                    Varints.writeSigned(out, s.values[i * metrics + m]);
                }
            }
        }
    }

    public static KeyedTiledCounts read(DataInput in) throws IOException {
        long hop = Varints.readUnsigned(in);
        long retention = Varints.readUnsigned(in);
        int metrics = Varints.readLength(in, 1 << 10);
        if (hop <= 0 || retention <= 0 || retention % hop != 0 || metrics == 0) {
            throw new IOException("corrupt KeyedTiledCounts header");
        }
        KeyedTiledCounts counts = new KeyedTiledCounts(hop, retention, metrics);
        int keyCount = Varints.readLength(in, 1 << 26);
        counts.allocate(capacityFor(keyCount));
        long key = 0;
        int maxTiles = (int) Math.min(1 << 24, counts.tilesPerRetention + 1);
        for (int k = 0; k < keyCount; k++) {
            key += Varints.readSigned(in);
            Series s = new Series();
            s.size = Varints.readLength(in, maxTiles);
            s.tiles = new long[Math.max(2, s.size)];
            s.values = new long[Math.max(2, s.size) * metrics];
            long tile = 0;
            for (int i = 0; i < s.size; i++) {
                tile += Varints.readSigned(in);
                if (i > 0 && tile <= s.tiles[i - 1]) {
                    throw new IOException("corrupt KeyedTiledCounts: tiles not increasing");
                }
                s.tiles[i] = tile;
                counts.oldestTile = Math.min(counts.oldestTile, tile);
                for (int m = 0; m < metrics; m++) {
                    s.values[i * metrics + m] = Varints.readSigned(in);
                }
            }
            if (counts.find(key) >= 0) {
                throw new IOException("corrupt KeyedTiledCounts: repeated key");
            }
            counts.place(key, s);
        }
        return counts;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof KeyedTiledCounts other) || hopMillis != other.hopMillis
                || retentionMillis != other.retentionMillis || metrics != other.metrics || size != other.size) {
            return false;
        }
        for (int i = 0; i < series.length; i++) {
            if (series[i] != null) {
                int j = other.find(keys[i]);
                if (j < 0 || !series[i].sameAs(other.series[j], metrics)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(hopMillis) * 31 + Long.hashCode(retentionMillis);
        for (int i = 0; i < series.length; i++) {
            if (series[i] != null) {
                h += Long.hashCode(keys[i]) * 31 + series[i].size; // order-independent
            }
        }
        return h;
    }

    @Override
    public String toString() {
        return "KeyedTiledCounts{hop=" + hopMillis + ", retention=" + retentionMillis + ", keys=" + size + "}";
    }
}
