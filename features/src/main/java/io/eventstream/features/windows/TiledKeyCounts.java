package io.eventstream.features.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Per-key sums (e.g. how often each text hash occurred) of one entity over one window, tiled.
 *
 * <p>Entries are {@code (tile, key, sum)} kept in tile order because adds come in time order: the
 * current tile's entries are at the end, a query walks back only over the window's tiles, and
 * tiles no future window touches are dropped from the front. Memory is one entry per distinct key
 * per tile inside the window.
 */
public final class TiledKeyCounts {
    private final long lengthMillis;
    private final long hopMillis;
    private final long tilesPerLength;

    private long[] tiles = new long[0];
    private long[] keys = new long[0];
    private long[] sums = new long[0];
    private int size;

    public TiledKeyCounts(WindowSpec window) {
        this(window.lengthMillis(), window.hopMillis());
    }

    private TiledKeyCounts(long lengthMillis, long hopMillis) {
        this.lengthMillis = lengthMillis;
        this.hopMillis = hopMillis;
        this.tilesPerLength = lengthMillis / hopMillis;
    }

    /** Adds {@code delta} to {@code key} in the tile of {@code timeMillis}. */
    public void add(long timeMillis, long key, long delta) {
        if (delta == 0) {
            return;
        }
        long tile = Math.floorDiv(timeMillis, hopMillis);
        int i = size - 1;
        for (; i >= 0 && tiles[i] >= tile; i--) {
            if (tiles[i] == tile && keys[i] == key) {
                sums[i] += delta;
                return;
            }
        }
        if (size > 0 && tile < tiles[size - 1] - tilesPerLength) {
            return; // out of order and too old for any future window
        }
        if (size == 0 || tiles[size - 1] <= tile) {
            dropBefore(tile - tilesPerLength);
            insertAt(size, tile, key, delta);
        } else {
            insertAt(i + 1, tile, key, delta);
        }
    }

    /** Sum for {@code key} over the window evaluated at {@code timeMillis}. */
    public long sum(long timeMillis, long key) {
        long current = Math.floorDiv(timeMillis, hopMillis);
        long first = current - tilesPerLength;
        long total = 0;
        for (int i = size - 1; i >= 0 && tiles[i] >= first; i--) {
            if (keys[i] == key && tiles[i] <= current) {
                total += sums[i];
            }
        }
        return total;
    }

    /** Drops what no window evaluated after {@code watermarkMillis} can touch. */
    public void expire(long watermarkMillis) {
        dropBefore(Math.floorDiv(watermarkMillis, hopMillis) - tilesPerLength);
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int storedEntries() {
        return size;
    }

    private void insertAt(int pos, long tile, long key, long delta) {
        if (size == tiles.length) {
            int capacity = Math.max(4, size * 2);
            tiles = Arrays.copyOf(tiles, capacity);
            keys = Arrays.copyOf(keys, capacity);
            sums = Arrays.copyOf(sums, capacity);
        }
        System.arraycopy(tiles, pos, tiles, pos + 1, size - pos);
        System.arraycopy(keys, pos, keys, pos + 1, size - pos);
        System.arraycopy(sums, pos, sums, pos + 1, size - pos);
        tiles[pos] = tile;
        keys[pos] = key;
        sums[pos] = delta;
        size++;
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
        System.arraycopy(keys, keepFrom, keys, 0, remaining);
        System.arraycopy(sums, keepFrom, sums, 0, remaining);
        size = remaining;
    }

    // ---------------------------------------------------------------- state

    public TiledKeyCounts copy() {
        TiledKeyCounts copy = new TiledKeyCounts(lengthMillis, hopMillis);
        copy.tiles = Arrays.copyOf(tiles, size);
        copy.keys = Arrays.copyOf(keys, size);
        copy.sums = Arrays.copyOf(sums, size);
        copy.size = size;
        return copy;
    }

    public void write(DataOutput out) throws IOException {
        Varints.writeUnsigned(out, lengthMillis);
        Varints.writeUnsigned(out, hopMillis);
        Varints.writeUnsigned(out, size);
        long previous = 0;
        for (int i = 0; i < size; i++) {
            Varints.writeSigned(out, tiles[i] - previous);
            previous = tiles[i];
            out.writeLong(keys[i]); // hashes are uniformly spread: a varint would only grow them
            Varints.writeSigned(out, sums[i]);
        }
    }

    public static TiledKeyCounts read(DataInput in) throws IOException {
        long length = Varints.readUnsigned(in);
        long hop = Varints.readUnsigned(in);
        if (length <= 0 || hop <= 0 || length % hop != 0) {
            throw new IOException("corrupt TiledKeyCounts header");
        }
        TiledKeyCounts counts = new TiledKeyCounts(length, hop);
        int size = Varints.readLength(in, 1 << 24);
        counts.tiles = new long[size];
        counts.keys = new long[size];
        counts.sums = new long[size];
        long previous = 0;
        for (int i = 0; i < size; i++) {
            previous += Varints.readSigned(in);
            counts.tiles[i] = previous;
            counts.keys[i] = in.readLong();
            counts.sums[i] = Varints.readSigned(in);
        }
        counts.size = size;
        return counts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TiledKeyCounts other
                && lengthMillis == other.lengthMillis && hopMillis == other.hopMillis && size == other.size
                && Arrays.equals(tiles, 0, size, other.tiles, 0, size)
                && Arrays.equals(keys, 0, size, other.keys, 0, size)
                && Arrays.equals(sums, 0, size, other.sums, 0, size);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(lengthMillis) * 31 + Long.hashCode(hopMillis);
        for (int i = 0; i < size; i++) {
            h = h * 31 + Long.hashCode(keys[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return "TiledKeyCounts{length=" + lengthMillis + ", hop=" + hopMillis + ", entries=" + size + "}";
    }
}
