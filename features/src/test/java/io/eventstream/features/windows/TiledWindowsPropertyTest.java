package io.eventstream.features.windows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The tiled structures against a naive reference that scans every earlier event, on thousands of
 * random streams (fixed seed): random window shapes, negative and duplicate timestamps, big gaps,
 * zero deltas, expiry at random watermarks and state round trips in between.
 */
class TiledWindowsPropertyTest {
    private static final int CASES = 3000;

    private record Event(long time, int metric, long delta, long key) {}

    @Test
    void tiledStructuresEqualANaiveScanOnRandomStreams() throws IOException {
        SplittableRandom random = new SplittableRandom(20240301L);
        long checks = 0;
        for (int c = 0; c < CASES; c++) {
            WindowSpec a = randomWindow(random, "a");
            WindowSpec b = randomWindow(random, "b");
            int metrics = 1 + random.nextInt(3);
            TiledCounts counts = new TiledCounts(a, metrics);
            DistinctIds distinct = new DistinctIds(a, b);
            TiledKeyCounts keyed = new TiledKeyCounts(b);

            List<Event> events = randomStream(random, a, metrics);
            List<Event> seen = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                counts.add(e.time, e.metric, e.delta);
                distinct.add(e.key, e.time);
                keyed.add(e.time, e.key, e.delta);
                seen.add(e);
                long t = e.time;
                String where = "case " + c + " event " + i + " t=" + t + " a=" + a + " b=" + b;
                for (int m = 0; m < metrics; m++) {
                    same(counts.sum(t, m), naiveSum(seen, a, t, m, false), where, "sum m" + m);
                    same(counts.sumBefore(t, m), naiveSum(seen, a, t, m, true), where, "sumBefore m" + m);
                }
                same(distinct.count(0, t), naiveDistinct(seen, a, t), where, "distinct a");
                same(distinct.count(1, t), naiveDistinct(seen, b, t), where, "distinct b");
                same(keyed.sum(t, e.key), naiveKeyed(seen, b, t, e.key), where, "keyed");
                checks++;

                boolean nextIsLater = i + 1 < events.size() && events.get(i + 1).time > t;
                if (nextIsLater && random.nextInt(3) == 0) {
                    // Any watermark before the next event is a legal expiry point.
                    long wm = t + random.nextLong(events.get(i + 1).time - t);
                    counts.expire(wm);
                    distinct.expire(wm);
                    keyed.expire(wm);
                }
                if (random.nextInt(5) == 0) {
                    counts = roundTrip(counts);
                    distinct = roundTrip(distinct);
                    keyed = roundTrip(keyed);
                } else if (random.nextInt(5) == 0) {
                    TiledCounts copy = counts.copy();
                    assertThat(copy).isEqualTo(counts);
                    counts = copy;
                    distinct = distinct.copy();
                    keyed = keyed.copy();
                }
            }
            assertThat(counts.storedTiles()).isLessThanOrEqualTo(a.tileCount());
        }
        assertThat(checks).isGreaterThan(CASES * 10L);
    }

    @Test
    void storesStayBoundedOnALongBusyStream() {
        WindowSpec w = new WindowSpec("1h", 3_600_000, 300_000);
        TiledCounts counts = new TiledCounts(w, 1);
        DistinctIds distinct = new DistinctIds(w);
        TiledKeyCounts keyed = new TiledKeyCounts(w);
        for (long t = 0; t < 30L * 24 * 3_600_000; t += 7_000) {
            counts.add(t, 0, 1);
            distinct.add(t / 60_000, t); // a new id every minute
            keyed.add(t, t % 11, 1);
        }
        assertThat(counts.storedTiles()).isEqualTo(w.tileCount());
        assertThat(distinct.storedIds()).isLessThanOrEqualTo(66);
        assertThat(keyed.storedEntries()).isLessThanOrEqualTo(11 * w.tileCount());
    }

    @Test
    void windowStartIsATileBoundaryAndInclusive() {
        WindowSpec w = new WindowSpec("1h", 3_600_000, 300_000);
        long t = 10 * 3_600_000L + 7 * 60_000 + 1; // 10:07:00.001
        assertThat(w.startMillis(t)).isEqualTo(9 * 3_600_000L + 5 * 60_000); // 09:05
        assertThat(w.covers(w.startMillis(t), t)).isTrue();
        assertThat(w.covers(w.startMillis(t) - 1, t)).isFalse();
        assertThat(new WindowSpec("x", 10, 5).startMillis(-1)).isEqualTo(-15); // floor, not truncation
    }

    private static void same(long actual, long expected, String where, String what) {
        if (actual != expected) {
            throw new AssertionError(where + " " + what + ": expected " + expected + " but was " + actual);
        }
    }

    private static long naiveSum(List<Event> seen, WindowSpec w, long t, int metric, boolean strictlyBefore) {
        long start = Math.floorDiv(t, w.hopMillis()) * w.hopMillis() - w.lengthMillis();
        long total = 0;
        for (Event e : seen) {
            if (e.metric == metric && e.time >= start && e.time <= t && (!strictlyBefore || e.time < t)) {
                total += e.delta;
            }
        }
        return total;
    }

    private static int naiveDistinct(List<Event> seen, WindowSpec w, long t) {
        long start = Math.floorDiv(t, w.hopMillis()) * w.hopMillis() - w.lengthMillis();
        return (int) seen.stream()
                .filter(e -> e.time >= start && e.time <= t)
                .mapToLong(Event::key)
                .distinct()
                .count();
    }

    private static long naiveKeyed(List<Event> seen, WindowSpec w, long t, long key) {
        long start = Math.floorDiv(t, w.hopMillis()) * w.hopMillis() - w.lengthMillis();
        return seen.stream()
                .filter(e -> e.key == key && e.time >= start && e.time <= t)
                .mapToLong(Event::delta)
                .sum();
    }

    private static WindowSpec randomWindow(SplittableRandom random, String name) {
        long[] hops = {1, 2, 3, 5, 7, 10, 60, 1000};
        long hop = hops[random.nextInt(hops.length)];
        return new WindowSpec(name, hop * (1 + random.nextInt(12)), hop);
    }

    private static List<Event> randomStream(SplittableRandom random, WindowSpec w, int metrics) {
        int n = 1 + random.nextInt(60);
        long time = random.nextLong(-5 * w.lengthMillis(), 5 * w.lengthMillis());
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int gapKind = random.nextInt(10);
            if (gapKind < 3) {
                time += 0; // same timestamp, next id
            } else if (gapKind < 8) {
                time += random.nextLong(w.hopMillis() * 2 + 1);
            } else if (gapKind < 9) {
                time += random.nextLong(w.lengthMillis() * 3 + 1);
            } else {
                // land exactly on a tile boundary
                time = (Math.floorDiv(time, w.hopMillis()) + 1 + random.nextInt(3)) * w.hopMillis();
            }
            events.add(new Event(time, random.nextInt(metrics), random.nextInt(4), random.nextInt(6)));
        }
        return events;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] bytes(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        }
        return bytes.toByteArray();
    }

    private static TiledCounts roundTrip(TiledCounts counts) throws IOException {
        byte[] data = bytes(counts::write);
        TiledCounts back = TiledCounts.read(new DataInputStream(new ByteArrayInputStream(data)));
        assertThat(back).isEqualTo(counts);
        return back;
    }

    private static DistinctIds roundTrip(DistinctIds ids) throws IOException {
        byte[] data = bytes(ids::write);
        DistinctIds back = DistinctIds.read(new DataInputStream(new ByteArrayInputStream(data)));
        assertThat(back).isEqualTo(ids);
        return back;
    }

    private static TiledKeyCounts roundTrip(TiledKeyCounts keyed) throws IOException {
        byte[] data = bytes(keyed::write);
        TiledKeyCounts back = TiledKeyCounts.read(new DataInputStream(new ByteArrayInputStream(data)));
        assertThat(back).isEqualTo(keyed);
        return back;
    }
}
