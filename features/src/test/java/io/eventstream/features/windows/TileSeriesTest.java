package io.eventstream.features.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * {@link TileSeries} on hand-computed cases: a hop of 10 ms and a horizon of 2 tiles (a 20 ms
 * window: tiles {@code floor(t/10) - 2 .. floor(t/10)}).
 */
class TileSeriesTest {
    private static final long HOP = 10;
    private static final long HORIZON = 2;

    @Test
    void tileOfRoundsDownAlsoForNegativeTimes() {
        assertThat(TileSeries.tileOf(0, HOP)).isZero();
        assertThat(TileSeries.tileOf(9, HOP)).isZero();
        assertThat(TileSeries.tileOf(10, HOP)).isEqualTo(1);
        assertThat(TileSeries.tileOf(-1, HOP)).isEqualTo(-1);
        assertThat(TileSeries.tileOf(-10, HOP)).isEqualTo(-1);
        assertThat(TileSeries.tileOf(-11, HOP)).isEqualTo(-2);
    }

    @Test
    void addsToTheCurrentTileAndDropsWhatLeavesTheHorizon() {
        TileSeries series = new TileSeries(2, HORIZON);
        add(series, 0, 0, 1); // t = 0..9
        add(series, 0, 0, 2);
        add(series, 0, 1, 7);
        add(series, 1, 0, 5);
        assertThat(tiles(series)).containsExactly(0, 1);
        assertThat(series.value(0, 0)).isEqualTo(3);
        assertThat(series.value(0, 1)).isEqualTo(7);
        assertThat(series.value(1, 1)).isZero();

        // Tile 3: its window is tiles 1..3, so tile 0 goes.
        add(series, 3, 0, 4);
        assertThat(tiles(series)).containsExactly(1, 3);
        assertThat(series.sum(3, HORIZON, 0)).isEqualTo(5 + 4);
        assertThat(series.sum(3, HORIZON, 1)).isZero();
    }

    @Test
    void aJumpPastTheWholeHorizonLeavesOnlyTheNewTile() {
        TileSeries series = new TileSeries(1, HORIZON);
        add(series, 1, 0, 1);
        add(series, 2, 0, 2);
        add(series, 3, 0, 3);
        add(series, 100, 0, 4);
        assertThat(tiles(series)).containsExactly(100);
        assertThat(series.sum(100, HORIZON, 0)).isEqualTo(4);
        assertThat(series.sum(3, HORIZON, 0)).isZero();
    }

    @Test
    void aWindowSumCoversExactlyItsFirstToItsCurrentTile() {
        TileSeries series = new TileSeries(1, 5);
        for (long tile = 0; tile <= 5; tile++) {
            add(series, tile, 0, 1L << tile); // tile k holds 2^k
        }
        // Tiles 2..4: 4 + 8 + 16; tile 1 is just before the window, tile 5 just after.
        assertThat(series.sum(4, 2, 0)).isEqualTo(28);
        assertThat(series.sum(5, 2, 0)).isEqualTo(8 + 16 + 32);
        assertThat(series.sum(5, 0, 0)).isEqualTo(32);
        assertThat(series.sum(5, 5, 0)).isEqualTo(63);
        assertThat(series.sum(9, 2, 0)).isZero();
        assertThat(series.sum(7, 2, 0)).isEqualTo(32);
        assertThat(TileSeries.windowSum(new long[] {2, 3, 7}, new long[] {1, 10, 100}, 3, 1, 0, 7, 4))
                .isEqualTo(110);
    }

    @Test
    void negativeTilesWorkLikeAnyOthers() {
        TileSeries series = new TileSeries(1, HORIZON);
        add(series, TileSeries.tileOf(-25, HOP), 0, 1); // tile -3
        add(series, TileSeries.tileOf(-11, HOP), 0, 2); // tile -2
        add(series, TileSeries.tileOf(-1, HOP), 0, 4); // tile -1
        add(series, TileSeries.tileOf(5, HOP), 0, 8); // tile 0: tile -3 leaves
        assertThat(tiles(series)).containsExactly(-2, -1, 0);
        assertThat(series.sum(TileSeries.tileOf(5, HOP), HORIZON, 0)).isEqualTo(14);
        assertThat(series.sum(TileSeries.tileOf(-1, HOP), HORIZON, 0)).isEqualTo(6);
    }

    @Test
    void anOlderAddLandsInItsTileOnlyWhileAFutureWindowCanTouchIt() {
        TileSeries series = new TileSeries(1, HORIZON);
        add(series, 2, 0, 1);
        add(series, 5, 0, 2); // tile 2 leaves (window of tile 5: 3..5)
        assertThat(series.entryFor(4)).isEqualTo(0); // inserted before tile 5
        series.add(0, 0, 4);
        assertThat(series.entryFor(3)).isEqualTo(0);
        assertThat(series.entryFor(4)).isEqualTo(1); // found, not added again
        assertThat(series.entryFor(2)).isEqualTo(-1);
        assertThat(tiles(series)).containsExactly(3, 4, 5);
        assertThat(series.sum(5, HORIZON, 0)).isEqualTo(6);
    }

    @Test
    void keyedEntriesKeepOneEntryPerTileAndKey() {
        TileSeries series = new TileSeries(2, HORIZON); // slot 0 the key, slot 1 the sum
        addKeyed(series, 0, 7, 1);
        addKeyed(series, 0, 9, 1);
        addKeyed(series, 0, 7, 1);
        addKeyed(series, 1, 7, 1);
        assertThat(series.size()).isEqualTo(3);
        assertThat(tiles(series)).containsExactly(0, 0, 1);
        assertThat(series.sumOfKey(1, HORIZON, 7, 1)).isEqualTo(3);
        assertThat(series.sumOfKey(1, HORIZON, 9, 1)).isEqualTo(1);
        assertThat(series.sumOfKey(1, 0, 7, 1)).isEqualTo(1);
        assertThat(series.sumOfKey(1, HORIZON, 8, 1)).isZero();
        // A key added to an older tile goes first among that tile's entries, while the tile is in reach.
        assertThat(series.entryFor(0, 8)).isEqualTo(0);
        assertThat(series.value(0, 0)).isEqualTo(8);
        addKeyed(series, 3, 9, 1); // tile 0 leaves
        assertThat(tiles(series)).containsExactly(1, 3);
        assertThat(series.entryFor(0, 9)).isEqualTo(-1);
    }

    @Test
    void writesAndReadsEntriesWithFixedAndVarintSlots() throws IOException {
        TileSeries series = new TileSeries(2, HORIZON);
        addKeyed(series, -1, 0x9E3779B97F4A7C15L, 3);
        addKeyed(series, -1, 5, -2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        series.write(new DataOutputStream(bytes), 1);
        // Count 2; tile -1 (zig-zag 1), key 8 bytes, sum 3 (zig-zag 6); gap 0, key, -2 (zig-zag 3).
        assertThat(bytes.size()).isEqualTo(1 + (1 + 8 + 1) + (1 + 8 + 1));
        TileSeries back = read(bytes.toByteArray(), false);
        assertThat(back.sameEntries(series)).isTrue();
        assertThat(back.sumOfKey(0, HORIZON, 0x9E3779B97F4A7C15L, 1)).isEqualTo(3);
        assertThat(back.sumOfKey(0, HORIZON, 5, 1)).isEqualTo(-2);
        // Two entries of one tile are legal only where an entry is a (tile, key).
        assertThatThrownBy(() -> read(bytes.toByteArray(), true))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("out of order");
    }

    private static TileSeries read(byte[] bytes, boolean oneEntryPerTile) throws IOException {
        return TileSeries.read(
                new DataInputStream(new ByteArrayInputStream(bytes)), 2, HORIZON, 1, 100, oneEntryPerTile);
    }

    private static void add(TileSeries series, long tile, int slot, long delta) {
        series.add(series.entryFor(tile), slot, delta);
    }

    private static void addKeyed(TileSeries series, long tile, long key, long delta) {
        series.add(series.entryFor(tile, key), 1, delta);
    }

    private static long[] tiles(TileSeries series) {
        long[] tiles = new long[series.size()];
        for (int i = 0; i < tiles.length; i++) {
            tiles[i] = series.tile(i);
        }
        return tiles;
    }
}
