package io.eventstream.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class DelayStatsTest {

    @Test
    void nearestRankPercentilesOfOneToAHundred() {
        // Shuffled 1..100: the p-th percentile by nearest rank is p itself.
        long[] delays =
                LongStream.rangeClosed(1, 100).map(i -> (i * 37) % 100 + 1).toArray();
        DelayStats stats = DelayStats.of(delays);
        assertThat(stats.count()).isEqualTo(100);
        assertThat(stats.p50Millis()).isEqualTo(50);
        assertThat(stats.p99Millis()).isEqualTo(99);
        assertThat(stats.maxMillis()).isEqualTo(100);
        assertThat(stats.meanMillis()).isEqualTo(50.5);
    }

    @Test
    void smallSetsTakeTheElementAtTheRoundedUpRank() {
        DelayStats stats = DelayStats.of(new long[] {700, 100, 300});
        assertThat(stats.p50Millis()).isEqualTo(300); // rank ceil(1.5) = 2
        assertThat(stats.p99Millis()).isEqualTo(700); // rank ceil(2.97) = 3
        assertThat(DelayStats.of(new long[] {42}).p99Millis()).isEqualTo(42);
        assertThatThrownBy(() -> DelayStats.of(new long[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
