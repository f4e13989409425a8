package io.eventstream.connectors.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.junit.jupiter.api.Test;

class EventTimeSampleTest {

    @Test
    void keepsEveryTimeWhileBelowCapacity() {
        EventTimeSample sample = new EventTimeSample(4, new SplittableRandom(1));
        sample.add(30);
        sample.add(10);
        sample.add(20);
        assertThat(sample.count()).isEqualTo(3);
        assertThat(sample.oldest()).isEqualTo(10);
        assertThat(sample.newest()).isEqualTo(30);
        assertThat(sample.sampled()).containsExactly(30, 10, 20);
    }

    @Test
    void aFullReservoirStaysUniformAndCountsExactly() {
        int capacity = 100;
        long rows = 100_000;
        long[] meanOfSamples = new long[20];
        for (int run = 0; run < meanOfSamples.length; run++) {
            EventTimeSample sample = new EventTimeSample(capacity, new SplittableRandom(run));
            LongStream.range(0, rows).forEach(sample::add);
            assertThat(sample.count()).isEqualTo(rows);
            assertThat(sample.oldest()).isZero();
            assertThat(sample.newest()).isEqualTo(rows - 1);
            long[] kept = sample.sampled();
            assertThat(kept).hasSize(capacity);
            assertThat(Arrays.stream(kept).allMatch(t -> t >= 0 && t < rows)).isTrue();
            meanOfSamples[run] = (long) Arrays.stream(kept).average().orElseThrow();
        }
        // The mean of a uniform sample of 0..99,999 is 49,999.5; over 20 runs of 100 samples the
        // standard error of the grand mean is ~645. A reservoir biased to the first or the last
        // rows (the classic mistakes) would be off by tens of thousands.
        double grandMean = Arrays.stream(meanOfSamples).average().orElseThrow();
        assertThat(grandMean).isBetween(47_000.0, 53_000.0);
    }

    @Test
    void recordsTheDelayOfEverySampledRowClampedAtZero() {
        DescriptiveStatisticsHistogram histogram = new DescriptiveStatisticsHistogram(EventTimeDelay.WINDOW);
        EventTimeDelay delay = new EventTimeDelay(histogram);
        EventTimeSample sample = new EventTimeSample();
        sample.add(1_000);
        sample.add(4_000);
        sample.add(9_000);
        sample.add(12_000); // ahead of the clock below: delay 0
        sample.recordVisible(delay, 10_000);
        assertThat(histogram.getCount()).isEqualTo(4);
        assertThat(histogram.getStatistics().getMax()).isEqualTo(9_000);
        assertThat(histogram.getStatistics().getMin()).isZero();
        assertThat(histogram.getStatistics().getMean()).isCloseTo((9_000 + 6_000 + 1_000 + 0) / 4.0, within(1e-6));
    }

    @Test
    void rowsWithoutEventTimeAreNotMeasured() {
        DescriptiveStatisticsHistogram histogram = new DescriptiveStatisticsHistogram(16);
        new EventTimeDelay(histogram).record(5_000, Long.MIN_VALUE);
        assertThat(histogram.getCount()).isZero();
    }

    @Test
    void datasetNameComesFromTheVersionDirectory() {
        assertThat(DatasetMetricNames.datasetOfVersionDir("/data/out/spam_features/v1"))
                .isEqualTo("spam_features");
        assertThat(DatasetMetricNames.datasetOfVersionDir("s3://bucket/root/reviewer_labels/v3/"))
                .isEqualTo("reviewer_labels");
        assertThat(DatasetMetricNames.datasetOfVersionDir("file:///tmp/x/late_events/v2"))
                .isEqualTo("late_events");
    }
}
