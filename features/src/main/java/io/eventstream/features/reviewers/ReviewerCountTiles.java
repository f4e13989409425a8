package io.eventstream.features.reviewers;

import io.eventstream.features.windows.TileSeries;
import io.eventstream.features.windows.Varints;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The tiles behind the windowed counts of one reviewer online row (column {@code count_tiles}),
 * from which a reader computes the counts <b>as of any request time {@code t}</b> at or after the
 * row's {@code event_time}: the window at {@code t} covers tiles {@code floor(t/h) - W/h ..
 * floor(t/h)}, so a count drops exactly when its last tile leaves that range (Chronon's tiled
 * aggregation, finished at request time).
 *
 * <p>The job builds each row's counts from this object ({@link #countsAt} at the row's own
 * {@code event_time}), and readers call the same method at the request time, so the stored counts,
 * the request-time counts and the training rows cannot drift apart.
 *
 * <p>A row keeps, per <i>series</i> (one tile structure and metric: e.g. reviews on the daily hop),
 * the non-zero tiles inside the longest window of that series as of {@code event_time}; every count
 * column names its series and window length. Later tiles cannot be missing (there were no later
 * events, or the row would be newer), earlier ones can never come back into a window. Encoding
 * ({@link #encode()}, base64 of, big-endian, LEB128 varints):
 * <pre>
 *   byte    format version (1)
 *   varint  series count S; per series:
 *             varint hop millis, varint tile count n,
 *             n x (tile: the first as a zig-zag varint, the others as the unsigned gap to the previous;
 *                  value: varint), tiles ascending
 *   varint  column count C; per count column, in the row's column order: varint series index, varint window length millis
 * </pre>
 * Immutable and thread-safe.
 */
public final class ReviewerCountTiles {
    /** The only format version readers accept. */
    public static final int FORMAT_VERSION = 1;

    private final long[] hops;
    private final long[][] tiles;
    private final long[][] values;
    private final int[] columnSeries;
    private final long[] columnLength;

    private ReviewerCountTiles(long[] hops, long[][] tiles, long[][] values, int[] columnSeries, long[] columnLength) {
        this.hops = hops;
        this.tiles = tiles;
        this.values = values;
        this.columnSeries = columnSeries;
        this.columnLength = columnLength;
    }

    /** Number of count columns. */
    public int columnCount() {
        return columnSeries.length;
    }

    /**
     * Each count column's value over its window evaluated at {@code timeMillis} (at or after the
     * row's {@code event_time}; earlier times would miss nothing but are not what the row is for).
     */
    public int[] countsAt(long timeMillis) {
        int[] counts = new int[columnSeries.length];
        for (int c = 0; c < counts.length; c++) {
            int s = columnSeries[c];
            long total = TileSeries.windowSum(
                    tiles[s],
                    values[s],
                    tiles[s].length,
                    1,
                    0,
                    TileSeries.tileOf(timeMillis, hops[s]),
                    columnLength[c] / hops[s]);
            counts[c] = Math.toIntExact(total);
        }
        return counts;
    }

    /** The stored tiles of all series (for size figures and tests). */
    public int storedTiles() {
        int n = 0;
        for (long[] t : tiles) {
            n += t.length;
        }
        return n;
    }

    /** The column value: base64 (RFC 4648, padded) of the layout above. */
    public String encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + 4 * storedTiles());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            Varints.writeUnsigned(out, hops.length);
            for (int s = 0; s < hops.length; s++) {
                Varints.writeUnsigned(out, hops[s]);
                Varints.writeUnsigned(out, tiles[s].length);
                for (int i = 0; i < tiles[s].length; i++) {
                    if (i == 0) {
                        Varints.writeSigned(out, tiles[s][0]);
                    } else {
                        Varints.writeUnsigned(out, tiles[s][i] - tiles[s][i - 1]);
                    }
                    Varints.writeUnsigned(out, values[s][i]);
                }
            }
            Varints.writeUnsigned(out, columnSeries.length);
            for (int c = 0; c < columnSeries.length; c++) {
                Varints.writeUnsigned(out, columnSeries[c]);
                Varints.writeUnsigned(out, columnLength[c]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /**
     * Reads a {@code count_tiles} value.
     *
     * @throws IllegalArgumentException when it is not base64 of format version 1 or is corrupt
     */
    public static ReviewerCountTiles decode(String encoded) {
        Objects.requireNonNull(encoded, "count_tiles");
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("count_tiles is not base64", e);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw))) {
            int version = in.readUnsignedByte();
            if (version != FORMAT_VERSION) {
                throw new IllegalArgumentException(
                        "count_tiles has format version " + version + ", this reader reads " + FORMAT_VERSION);
            }
            int seriesCount = Varints.readLength(in, 1 << 10);
            long[] hops = new long[seriesCount];
            long[][] tiles = new long[seriesCount][];
            long[][] values = new long[seriesCount][];
            for (int s = 0; s < seriesCount; s++) {
                hops[s] = Varints.readUnsigned(in);
                if (hops[s] <= 0) {
                    throw new IllegalArgumentException("count_tiles: corrupt hop");
                }
                int n = Varints.readLength(in, raw.length);
                tiles[s] = new long[n];
                values[s] = new long[n];
                for (int i = 0; i < n; i++) {
                    tiles[s][i] = i == 0 ? Varints.readSigned(in) : tiles[s][i - 1] + Varints.readUnsigned(in);
                    values[s][i] = Varints.readUnsigned(in);
                }
            }
            int columnCount = Varints.readLength(in, 1 << 10);
            int[] columnSeries = new int[columnCount];
            long[] columnLength = new long[columnCount];
            for (int c = 0; c < columnCount; c++) {
                columnSeries[c] = Varints.readLength(in, seriesCount - 1);
                columnLength[c] = Varints.readUnsigned(in);
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("count_tiles: trailing bytes");
            }
            return new ReviewerCountTiles(hops, tiles, values, columnSeries, columnLength);
        } catch (IOException e) {
            throw new IllegalArgumentException("count_tiles is corrupt: " + e.getMessage(), e);
        }
    }

    /**
     * Which tiles a row of one online table keeps: its count columns in order, each a (tile
     * structure, metric, window length). Built once by the engine from the configured windows.
     */
    static final class Layout {
        private final List<long[]> series = new ArrayList<>(); // {structure, metric, hop, longest length}
        private final List<int[]> columns = new ArrayList<>(); // {series index}
        private final List<Long> lengths = new ArrayList<>();

        /** Adds the next count column: window {@code lengthMillis} of {@code metric} in structure {@code structure}. */
        Layout column(int structure, int metric, long hopMillis, long lengthMillis) {
            int index = -1;
            for (int s = 0; s < series.size(); s++) {
                long[] known = series.get(s);
                if (known[0] == structure && known[1] == metric) {
                    index = s;
                    known[3] = Math.max(known[3], lengthMillis);
                }
            }
            if (index < 0) {
                index = series.size();
                series.add(new long[] {structure, metric, hopMillis, lengthMillis});
            }
            columns.add(new int[] {index});
            lengths.add(lengthMillis);
            return this;
        }

        /**
         * The tiles of one key as of {@code timeMillis} (the row's event time), from the key's series in
         * its group (one per tile structure; null when the key has no tiles).
         */
        ReviewerCountTiles capture(TileSeries[] keySeries, long timeMillis) {
            long[] hops = new long[series.size()];
            long[][] tiles = new long[series.size()][];
            long[][] values = new long[series.size()][];
            for (int s = 0; s < hops.length; s++) {
                long[] spec = series.get(s);
                hops[s] = spec[2];
                long current = Math.floorDiv(timeMillis, hops[s]);
                long from = current - spec[3] / hops[s];
                TileSeries source = keySeries == null ? null : keySeries[(int) spec[0]];
                int stored = source == null ? 0 : source.size();
                long[] keptTiles = new long[stored];
                long[] keptValues = new long[stored];
                int n = 0;
                for (int i = 0; i < stored; i++) {
                    long value = source.value(i, (int) spec[1]);
                    if (source.tile(i) >= from && source.tile(i) <= current && value != 0) {
                        keptTiles[n] = source.tile(i);
                        keptValues[n++] = value;
                    }
                }
                tiles[s] = Arrays.copyOf(keptTiles, n);
                values[s] = Arrays.copyOf(keptValues, n);
            }
            int[] columnSeries = columns.stream().mapToInt(c -> c[0]).toArray();
            long[] columnLength = lengths.stream().mapToLong(Long::longValue).toArray();
            return new ReviewerCountTiles(hops, tiles, values, columnSeries, columnLength);
        }
    }

    /**
     * Tiles for rows written by hand (fixtures, tools): each count in its own series, all in the
     * tile of {@code timeMillis}, over windows of one hop and length. As of any time from
     * {@code timeMillis} until that tile leaves the window, {@link #countsAt} gives {@code counts}.
     */
    public static ReviewerCountTiles singleTile(long timeMillis, long hopMillis, long lengthMillis, int... counts) {
        long[] hops = new long[counts.length];
        long[][] series = new long[counts.length][];
        int[] columnSeries = new int[counts.length];
        long[] lengths = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            hops[i] = hopMillis;
            series[i] = counts[i] == 0 ? new long[0] : new long[] {Math.floorDiv(timeMillis, hopMillis), counts[i]};
            columnSeries[i] = i;
            lengths[i] = lengthMillis;
        }
        return of(hops, series, columnSeries, lengths);
    }

    /** For tests: tiles given directly, {@code seriesTiles[s]} as {@code [tile, value, ...]} ascending. */
    static ReviewerCountTiles of(long[] hops, long[][] seriesTiles, int[] columnSeries, long[] columnLength) {
        long[][] tiles = new long[hops.length][];
        long[][] values = new long[hops.length][];
        for (int s = 0; s < hops.length; s++) {
            tiles[s] = new long[seriesTiles[s].length / 2];
            values[s] = new long[seriesTiles[s].length / 2];
            for (int i = 0; i < tiles[s].length; i++) {
                tiles[s][i] = seriesTiles[s][2 * i];
                values[s][i] = seriesTiles[s][2 * i + 1];
            }
        }
        return new ReviewerCountTiles(hops.clone(), tiles, values, columnSeries.clone(), columnLength.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReviewerCountTiles other
                && Arrays.equals(hops, other.hops)
                && Arrays.deepEquals(tiles, other.tiles)
                && Arrays.deepEquals(values, other.values)
                && Arrays.equals(columnSeries, other.columnSeries)
                && Arrays.equals(columnLength, other.columnLength);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hops) * 31 + Arrays.deepHashCode(tiles);
    }
}
