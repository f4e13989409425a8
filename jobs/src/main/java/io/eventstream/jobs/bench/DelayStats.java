package io.eventstream.jobs.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of delays in milliseconds, by the nearest-rank method (the p-th percentile
 * is the smallest delay with at least p% of the delays at or below it), so every figure is one
 * of the measured delays, never an interpolation.
 *
 * @param count delays measured
 * @param p50Millis median
 * @param p99Millis 99th percentile
 * @param maxMillis largest
 * @param meanMillis arithmetic mean
 */
public record DelayStats(long count, long p50Millis, long p99Millis, long maxMillis, double meanMillis) {

    public static DelayStats of(long[] delays) {
        if (delays.length == 0) {
            throw new IllegalArgumentException("no delays measured");
        }
        long[] sorted = delays.clone();
        Arrays.sort(sorted);
        return new DelayStats(
                sorted.length,
                percentile(sorted, 50),
                percentile(sorted, 99),
                sorted[sorted.length - 1],
                Arrays.stream(sorted).average().orElseThrow());
    }

    /** Nearest rank: element ceil(p/100 × n), 1-based. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
