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
 * {@link KeyedTiledCounts} against a naive scan of every earlier add, on random streams (fixed
 * seed): random hops, retentions and query lengths, many keys (so the table grows and is rebuilt),
 * negative times, equal times, gaps longer than the retention, expiry at random legal watermarks,
 * copies and serialization round trips in between.
 */
class KeyedTiledCountsTest {
    private record Add(long key, long time, int metric, long delta) {
    }

    @Test
    void equalsANaiveScanOnRandomStreams() throws IOException {
        SplittableRandom random = new SplittableRandom(77);
        long checks = 0;
        for (int c = 0; c < 400; c++) {
            long hop = 1 + random.nextInt(20);
            long retention = hop * (1 + random.nextInt(8));
            int metrics = 1 + random.nextInt(3);
            int keySpace = 1 + random.nextInt(60);
            KeyedTiledCounts counts = new KeyedTiledCounts(hop, retention, metrics);
            List<Add> seen = new ArrayList<>();
            long t = random.nextLong(-500, 500);
            int n = 50 + random.nextInt(200);
            for (int i = 0; i < n; i++) {
                Add add = new Add(random.nextLong(keySpace) * 0x9E3779B97F4A7C15L, t, random.nextInt(metrics),
                        random.nextInt(4));
                counts.add(add.key, add.time, add.metric, add.delta);
                seen.add(add);
                for (int q = 0; q < 4; q++) {
                    long key = q == 0 ? add.key : random.nextLong(keySpace) * 0x9E3779B97F4A7C15L;
                    long length = hop * (1 + random.nextLong(retention / hop));
                    int metric = random.nextInt(metrics);
                    long expected = naive(seen, key, t, length, hop, metric);
                    assertThat(counts.sum(key, t, length, metric))
                            .as("case %d add %d key %d t=%d length %d hop %d", c, i, key, t, length, hop)
                            .isEqualTo(expected);
                    checks++;
                }
                long next = t + (random.nextInt(4) == 0 ? 0 : random.nextInt(5) == 0 ? random.nextLong(3 * retention) : random.nextLong(hop + 1));
                if (next > t && random.nextInt(3) == 0) {
                    counts.expire(t + random.nextLong(next - t));
                }
                int roll = random.nextInt(8);
                if (roll == 0) {
                    KeyedTiledCounts back = roundTrip(counts);
                    assertThat(back).isEqualTo(counts);
                    counts = back;
                } else if (roll == 1) {
                    KeyedTiledCounts copy = counts.copy();
                    assertThat(copy).isEqualTo(counts);
                    counts = copy;
                }
                t = next;
            }
            counts.expire(t + retention + hop);
            assertThat(counts.isEmpty()).as("everything expires after the retention").isTrue();
        }
        assertThat(checks).isGreaterThan(100_000);
    }

    @Test
    void serializedBytesDependOnlyOnTheContents() throws IOException {
        KeyedTiledCounts a = new KeyedTiledCounts(10, 100, 2);
        KeyedTiledCounts b = new KeyedTiledCounts(10, 100, 2);
        for (long k = 0; k < 50; k++) {
            a.add(k, 5 * k, 0, 1);
        }
        for (long k = 49; k >= 0; k--) {
            b.add(k, 5 * k, 0, 1); // another insertion order: another table layout
        }
        assertThat(bytes(a)).isEqualTo(bytes(b));
        assertThat(a).isEqualTo(b);
        b.add(3, 300, 1, 1);
        assertThat(a).isNotEqualTo(b);
    }

    private static long naive(List<Add> seen, long key, long t, long length, long hop, int metric) {
        long start = Math.floorDiv(t, hop) * hop - length;
        long total = 0;
        for (Add add : seen) {
            if (add.key == key && add.metric == metric && add.time >= start && add.time <= t) {
                total += add.delta;
            }
        }
        return total;
    }

    private static byte[] bytes(KeyedTiledCounts counts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        counts.write(new DataOutputStream(out));
        return out.toByteArray();
    }

    private static KeyedTiledCounts roundTrip(KeyedTiledCounts counts) throws IOException {
        return KeyedTiledCounts.read(new DataInputStream(new ByteArrayInputStream(bytes(counts))));
    }
}
