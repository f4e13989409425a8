package io.eventstream.features.reviewers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstream.features.windows.TileSeries;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Request-time counts from the tiles of a reviewer online row, against windows worked out by hand. */
class ReviewerCountTilesTest {
    private static final long H = 3_600_000L;
    private static final long D = 24 * H;

    /**
     * Daily tiles 100 → 2, 103 → 1, 110 → 4; column 0 is a 7-day window, column 1 a 30-day window.
     * At t the window covers tiles floor(t/D) - W/D .. floor(t/D).
     */
    private static final ReviewerCountTiles DAILY = ReviewerCountTiles.of(
            new long[] {D}, new long[][] {{100, 2, 103, 1, 110, 4}}, new int[] {0, 0}, new long[] {7 * D, 30 * D});

    @Test
    void countsDropExactlyWhenTheirTileLeavesTheWindow() {
        // At the row's event time (day 110, 05:00): 7d covers tiles 103..110, 30d covers 80..110.
        assertThat(DAILY.countsAt(110 * D + 5 * H)).containsExactly(5, 7);
        // Last millisecond of day 110: the same tiles.
        assertThat(DAILY.countsAt(111 * D - 1)).containsExactly(5, 7);
        // Day 111: the 7d window starts at tile 104, tile 103 (1) is out.
        assertThat(DAILY.countsAt(111 * D)).containsExactly(4, 7);
        // Day 117 still holds tile 110; day 118 starts at tile 111: nothing left in 7d.
        assertThat(DAILY.countsAt(118 * D - 1)).containsExactly(4, 7);
        assertThat(DAILY.countsAt(118 * D)).containsExactly(0, 7);
        // The 30d window: tile 100 leaves at day 131, tile 103 at day 134, tile 110 at day 141.
        assertThat(DAILY.countsAt(131 * D - 1)).containsExactly(0, 7);
        assertThat(DAILY.countsAt(131 * D)).containsExactly(0, 5);
        assertThat(DAILY.countsAt(134 * D)).containsExactly(0, 4);
        assertThat(DAILY.countsAt(140 * D + 23 * H)).containsExactly(0, 4);
        assertThat(DAILY.countsAt(141 * D)).containsExactly(0, 0);
    }

    @Test
    void theEncodingIsTheDocumentedBytes() {
        // One series (hop 60000 ms) with tile 5 → 2, one column of length 120000 ms:
        // version 01, S 01, hop E0 D4 03, n 01, tile zig-zag(5) 0A, value 02, C 01, series 00, length C0 A9 07.
        ReviewerCountTiles tiles =
                ReviewerCountTiles.of(new long[] {60_000}, new long[][] {{5, 2}}, new int[] {0}, new long[] {120_000});
        String encoded = tiles.encode();
        assertThat(HexFormat.of().formatHex(Base64.getDecoder().decode(encoded)))
                .isEqualTo("0101e0d403010a020100c0a907");
        assertThat(ReviewerCountTiles.decode(encoded)).isEqualTo(tiles);
        assertThat(ReviewerCountTiles.decode(DAILY.encode())).isEqualTo(DAILY);
        assertThat(ReviewerCountTiles.decode(DAILY.encode()).countsAt(111 * D)).containsExactly(4, 7);
    }

    @Test
    void badValuesAreRejectedWithAReason() {
        assertThatThrownBy(() -> ReviewerCountTiles.decode("not base64!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> ReviewerCountTiles.decode(Base64.getEncoder().encodeToString(new byte[] {2, 0, 0})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format version 2");
        assertThatThrownBy(() -> ReviewerCountTiles.decode(Base64.getEncoder().encodeToString(new byte[] {1, 1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corrupt");
    }

    @Test
    void aLayoutKeepsOneSeriesPerStructureAndMetricWithinItsLongestWindow() {
        // One key's hourly tiles (4h kept) of metric 0 at hours 10, 12, 13 and of metric 1 at hour 13.
        TileSeries series = new TileSeries(2, 4);
        series.add(series.entryFor(10), 0, 1);
        series.add(series.entryFor(12), 0, 2);
        series.add(series.entryFor(13), 0, 1);
        series.add(series.entryFor(13), 1, 5);
        ReviewerCountTiles.Layout layout = new ReviewerCountTiles.Layout()
                .column(0, 0, H, 2 * H) // metric 0, 2h
                .column(0, 1, H, H) // metric 1, 1h
                .column(0, 0, H, 3 * H); // metric 0, 3h: the same series as the first, kept over 3h
        ReviewerCountTiles tiles = layout.capture(new TileSeries[] {series}, 13 * H + 30 * 60_000);
        // Series metric 0 within tiles 10..13 (3h): 10 → 1, 12 → 2, 13 → 1; series metric 1 within 12..13: 13 → 5.
        assertThat(tiles)
                .isEqualTo(ReviewerCountTiles.of(
                        new long[] {H, H},
                        new long[][] {{10, 1, 12, 2, 13, 1}, {13, 5}},
                        new int[] {0, 1, 0},
                        new long[] {2 * H, H, 3 * H}));
        // At 13:30: 2h → tiles 11..13 = 3; 1h → 12..13 = 5; 3h → 10..13 = 4.
        assertThat(tiles.countsAt(13 * H + 30 * 60_000)).containsExactly(3, 5, 4);
        // At 15:00: 2h → 13..15 = 1; 1h → 14..15 = 0; 3h → 12..15 = 3.
        assertThat(tiles.countsAt(15 * H)).containsExactly(1, 0, 3);
    }

    @Test
    void anOnlineRowIsReadAsOfTheRequestTimeButNeverBeforeItsEventTime() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("project_id", 7L);
        row.put("user_id", 42L);
        row.put("event_time", 110 * D + 5 * H);
        row.put("reviews_7d", 5);
        row.put("reviews_30d", 7);
        row.put(ReviewerFeatureSet.COUNT_TILES, DAILY.encode());
        List<String> columns = List.of("reviews_7d", "reviews_30d");
        assertThat(ReviewerOnlineCandidates.asOf(row, columns, 131 * D))
                .containsEntry("reviews_7d", 0)
                .containsEntry("reviews_30d", 5)
                .containsEntry("event_time", 110 * D + 5 * H);
        // A clock behind the row: the row's own time, i.e. the stored values.
        assertThat(ReviewerOnlineCandidates.asOf(row, columns, 0)).isEqualTo(row);
        assertThatThrownBy(() -> ReviewerOnlineCandidates.asOf(row, List.of("reviews_7d"), 131 * D))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds 2 counts");
    }
}
