package io.eventstream.features.windows;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Per-key sums (e.g. how often each text hash occurred) of one entity over one window, tiled.
 *
 * <p>Entries are {@code (tile, key, sum)} kept in tile order because adds come in time order: the
 * current tile's entries are at the end, a query walks back only over the window's tiles, and
 * tiles no future window touches are dropped from the front. Memory is one entry per distinct key
 * per tile inside the window.
 */
public final class TiledKeyCounts {
    private static final int KEY = 0;
    private static final int SUM = 1;

    private final long lengthMillis;
    private final long hopMillis;
    private final long tilesPerLength;
    /** One entry per tile and key: the key, then its sum. */
    private final TileSeries entries;

    public TiledKeyCounts(WindowSpec window) {
        this(window.lengthMillis(), window.hopMillis(), null);
    }

    private TiledKeyCounts(long lengthMillis, long hopMillis, TileSeries entries) {
        this.lengthMillis = lengthMillis;
        this.hopMillis = hopMillis;
        this.tilesPerLength = lengthMillis / hopMillis;
        this.entries = entries != null ? entries : new TileSeries(2, tilesPerLength);
    }

    /** Adds {@code delta} to {@code key} in the tile of {@code timeMillis}. */
    public void add(long timeMillis, long key, long delta) {
        if (delta == 0) {
            return;
        }
        int entry = entries.entryFor(TileSeries.tileOf(timeMillis, hopMillis), key);
        if (entry >= 0) {
            entries.add(entry, SUM, delta);
        }
    }

    /** Sum for {@code key} over the window evaluated at {@code timeMillis}. */
    public long sum(long timeMillis, long key) {
        return entries.sumOfKey(TileSeries.tileOf(timeMillis, hopMillis), tilesPerLength, key, SUM);
    }

    /** Drops what no window evaluated after {@code watermarkMillis} can touch. */
    public void expire(long watermarkMillis) {
        entries.dropBefore(TileSeries.tileOf(watermarkMillis, hopMillis) - tilesPerLength);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int storedEntries() {
        return entries.size();
    }

    // ---------------------------------------------------------------- state

    public TiledKeyCounts copy() {
        return new TiledKeyCounts(lengthMillis, hopMillis, entries.copy());
    }

    public void write(DataOutput out) throws IOException {
        Varints.writeUnsigned(out, lengthMillis);
        Varints.writeUnsigned(out, hopMillis);
        entries.write(out, 1); // keys are uniformly spread hashes: a varint would only grow them
    }

    public static TiledKeyCounts read(DataInput in) throws IOException {
        long length = Varints.readUnsigned(in);
        long hop = Varints.readUnsigned(in);
        if (length <= 0 || hop <= 0 || length % hop != 0) {
            throw new IOException("corrupt TiledKeyCounts header");
        }
        return new TiledKeyCounts(length, hop, TileSeries.read(in, 2, length / hop, 1, 1 << 24, false));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TiledKeyCounts other
                && lengthMillis == other.lengthMillis
                && hopMillis == other.hopMillis
                && entries.sameEntries(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.tilesHash(Long.hashCode(lengthMillis) * 31 + Long.hashCode(hopMillis));
    }

    @Override
    public String toString() {
        return "TiledKeyCounts{length=" + lengthMillis + ", hop=" + hopMillis + ", entries=" + entries.size() + "}";
    }
}
