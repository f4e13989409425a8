package io.eventstream.features.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The tile arithmetic every tiled window structure shares: a sparse series of entries, each a tile
 * index {@code floor(t/h)} and {@code stride} longs of per-tile aggregate (metric sums, or a key
 * and its sum), in nondecreasing tile order, never reaching further back than {@code horizonTiles}
 * tiles before the newest one. {@link TiledCounts}, {@link TiledKeyCounts} and
 * the reviewer engine's per-key tile series keep their aggregates here and differ only in what the slots mean.
 *
 * <p>Adds come in nondecreasing time (events applied in {@code (time, id)} order): the current
 * tile's entries are at the end, moving to a newer tile drops the entries no window can touch any
 * more, a window sum walks back only over the window's tiles, and an older add still lands in its
 * tile when a future window can touch it. The series comes in two shapes, chosen by which lookup
 * the owner uses: one entry per tile ({@link #entryFor(long)}), or one entry per tile and key with
 * the key in slot 0 ({@link #entryFor(long, long)}). Primitive arrays only, and no allocation once
 * the arrays have grown to the window: this is the spam engine's inner loop.
 */
public final class TileSeries {
    private static final long[] EMPTY = new long[0];

    private final int stride;
    private final long horizonTiles;

    private long[] tiles = EMPTY;
    private long[] values = EMPTY;
    private int size;

    /**
     * @param stride        longs per entry
     * @param horizonTiles  how many tiles before the newest one a future window can still touch
     *                      (the longest window length over the hop)
     */
    public TileSeries(int stride, long horizonTiles) {
        if (stride <= 0 || horizonTiles < 0) {
            throw new IllegalArgumentException("stride must be positive and the horizon not negative");
        }
        this.stride = stride;
        this.horizonTiles = horizonTiles;
    }

    /** Longs per entry. */
    public int stride() {
        return stride;
    }

    /** How many tiles before the newest one a future window can still touch. */
    public long horizonTiles() {
        return horizonTiles;
    }

    /** The tile an instant falls in: {@code floor(t / h)}, also for negative times. */
    public static long tileOf(long timeMillis, long hopMillis) {
        return Math.floorDiv(timeMillis, hopMillis);
    }

    /**
     * The entry of {@code tile} in a series with one entry per tile, added with zero values when
     * missing; -1 when the tile is older than any future window can touch.
     */
    public int entryFor(long tile) {
        int i = size - 1;
        if (i >= 0 && tiles[i] == tile) {
            return i; // the common case: another add to the current tile
        }
        for (; i >= 0 && tiles[i] > tile; i--) {}
        return i >= 0 && tiles[i] == tile ? i : insertTile(tile, i + 1);
    }

    /**
     * The entry of {@code (tile, key)} in a series with one entry per tile and key (slot 0 holds the
     * key), added with the key and zero values when missing; -1 when the tile is older than any future
     * window can touch.
     */
    public int entryFor(long tile, long key) {
        int i = size - 1;
        for (; i >= 0 && tiles[i] >= tile; i--) {
            if (tiles[i] == tile && values[i * stride] == key) {
                return i;
            }
        }
        int entry = insertTile(tile, i + 1);
        if (entry >= 0) {
            values[entry * stride] = key;
        }
        return entry;
    }

    /** Adds {@code delta} to {@code slot} of {@code entry}. */
    public void add(int entry, int slot, long delta) {
        values[entry * stride + slot] += delta;
    }

    /** Sum of {@code slot} over the entries of tiles {@code tile - tilesBack .. tile}. */
    public long sum(long tile, long tilesBack, int slot) {
        return windowSum(tiles, values, size, stride, slot, tile, tilesBack);
    }

    /**
     * The window sum over plain arrays laid out as a series (the first {@code size} of {@code tiles}
     * ascending, {@code stride} values per entry), for readers holding a series' tiles outside one:
     * the sum of {@code slot} over tiles {@code tile - tilesBack .. tile}.
     */
    public static long windowSum(
            long[] tiles, long[] values, int size, int stride, int slot, long tile, long tilesBack) {
        long first = tile - tilesBack;
        long total = 0;
        for (int i = size - 1; i >= 0 && tiles[i] >= first; i--) {
            if (tiles[i] <= tile) {
                total += values[i * stride + slot];
            }
        }
        return total;
    }

    /**
     * Sum of {@code slot} over the entries of {@code key} (slot 0) in tiles {@code tile - tilesBack ..
     * tile}.
     */
    public long sumOfKey(long tile, long tilesBack, long key, int slot) {
        long first = tile - tilesBack;
        long total = 0;
        for (int i = size - 1; i >= 0 && tiles[i] >= first; i--) {
            if (tiles[i] <= tile && values[i * stride] == key) {
                total += values[i * stride + slot];
            }
        }
        return total;
    }

    /** Drops the entries of tiles before {@code minTile}. */
    public void dropBefore(long minTile) {
        int keepFrom = 0;
        while (keepFrom < size && tiles[keepFrom] < minTile) {
            keepFrom++;
        }
        if (keepFrom == 0) {
            return;
        }
        int remaining = size - keepFrom;
        System.arraycopy(tiles, keepFrom, tiles, 0, remaining);
        System.arraycopy(values, keepFrom * stride, values, 0, remaining * stride);
        size = remaining;
    }

    /** Number of entries. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The tile of {@code entry} (entries oldest first). */
    public long tile(int entry) {
        return tiles[entry];
    }

    /** The value in {@code slot} of {@code entry}. */
    public long value(int entry, int slot) {
        return values[entry * stride + slot];
    }

    /**
     * Places a new entry for {@code tile} at {@code pos} (where the tile order puts it), or returns -1
     * when the tile is too old to matter.
     */
    private int insertTile(long tile, int pos) {
        if (size == 0 || tiles[size - 1] <= tile) {
            // Time moved on: tiles before tile - horizon can never be in a window again.
            dropBefore(tile - horizonTiles);
            return insertAt(size, tile);
        }
        if (tile < tiles[size - 1] - horizonTiles) {
            return -1; // out of order and too old for any future window
        }
        return insertAt(pos, tile);
    }

    private int insertAt(int pos, long tile) {
        if (size == tiles.length) {
            grow();
        }
        System.arraycopy(tiles, pos, tiles, pos + 1, size - pos);
        System.arraycopy(values, pos * stride, values, (pos + 1) * stride, (size - pos) * stride);
        tiles[pos] = tile;
        Arrays.fill(values, pos * stride, (pos + 1) * stride, 0L);
        size++;
        return pos;
    }

    private void grow() {
        long doubled = Math.max(2, 2L * size);
        // With one entry per tile a series never holds more than the horizon plus the current tile.
        long capacity = size < horizonTiles + 1 ? Math.min(doubled, horizonTiles + 1) : doubled;
        if (capacity * stride > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tile series too large: " + size + " entries");
        }
        tiles = Arrays.copyOf(tiles, (int) capacity);
        values = Arrays.copyOf(values, (int) capacity * stride);
    }

    // ---------------------------------------------------------------- state

    public TileSeries copy() {
        TileSeries copy = new TileSeries(stride, horizonTiles);
        copy.tiles = Arrays.copyOf(tiles, size);
        copy.values = Arrays.copyOf(values, size * stride);
        copy.size = size;
        return copy;
    }

    /** Same entries (tiles and values; the shape is the owner's to compare). */
    public boolean sameEntries(TileSeries other) {
        return size == other.size
                && stride == other.stride
                && Arrays.equals(tiles, 0, size, other.tiles, 0, size)
                && Arrays.equals(values, 0, size * stride, other.values, 0, size * stride);
    }

    /** A hash of the tiles (the owners' hash codes; equal entries give equal hashes). */
    public int tilesHash(int seed) {
        int h = seed;
        for (int i = 0; i < size; i++) {
            h = h * 31 + Long.hashCode(tiles[i]);
        }
        return h;
    }

    /**
     * Writes the entry count, then per entry its tile (as the signed varint gap to the previous
     * tile, the first from 0) and its slots: the first {@code fixedSlots} as 8-byte longs (hashes,
     * which a varint would only grow), the others as signed varints.
     */
    public void write(DataOutput out, int fixedSlots) throws IOException {
        Varints.writeUnsigned(out, size);
        long previous = 0;
        for (int i = 0; i < size; i++) {
            Varints.writeSigned(out, tiles[i] - previous);
            previous = tiles[i];
            int base = i * stride;
            for (int s = 0; s < stride; s++) {
                if (s < fixedSlots) {
                    out.writeLong(values[base + s]);
                } else {
                    Varints.writeSigned(out, values[base + s]);
                }
            }
        }
    }

    /**
     * Reads what {@link #write} wrote, rejecting more than {@code maxEntries} entries and tiles out of
     * order (equal tiles only when {@code oneEntryPerTile} is false).
     */
    public static TileSeries read(
            DataInput in, int stride, long horizonTiles, int fixedSlots, int maxEntries, boolean oneEntryPerTile)
            throws IOException {
        TileSeries series = new TileSeries(stride, horizonTiles);
        int size = Varints.readLength(in, maxEntries);
        series.tiles = new long[size];
        series.values = new long[size * stride];
        long tile = 0;
        for (int i = 0; i < size; i++) {
            tile += Varints.readSigned(in);
            if (i > 0 && (tile < series.tiles[i - 1] || (oneEntryPerTile && tile == series.tiles[i - 1]))) {
                throw new IOException("corrupt tile series: tiles out of order");
            }
            series.tiles[i] = tile;
            int base = i * stride;
            for (int s = 0; s < stride; s++) {
                series.values[base + s] = s < fixedSlots ? in.readLong() : Varints.readSigned(in);
            }
        }
        series.size = size;
        return series;
    }
}
