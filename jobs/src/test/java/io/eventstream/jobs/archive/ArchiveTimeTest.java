package io.eventstream.jobs.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.source.RawEvent;
import io.eventstream.jobs.common.RawEventTime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.flink.util.clock.SystemClock;
import org.junit.jupiter.api.Test;

/** Hand-computed time decisions of the archive: the hour partition of a late event, and the watermark cap of a replay. */
class ArchiveTimeTest {
    private static final long MINUTE = 60_000L;
    private static final long T10 = Instant.parse("2024-01-01T10:00:00Z").toEpochMilli();

    @Test
    void anEventGoesToALaterHourOnlyWhenItsOwnHourMayAlreadyBeComplete() {
        long delay = 5 * MINUTE;
        long time = T10 + 20 * MINUTE; // hour 10, ends 11:00, complete once the watermark is at 11:05
        assertThat(ArchiveFunction.partitionTime(time, Long.MIN_VALUE, delay)).isEqualTo(time);
        assertThat(ArchiveFunction.partitionTime(time, T10 + 64 * MINUTE, delay))
                .isEqualTo(time);
        assertThat(ArchiveFunction.partitionTime(time, T10 + 65 * MINUTE - 1, delay))
                .isEqualTo(time);
        // At 11:05 hour 10 may be marked: the event goes to 11:00:00.001, an hour that cannot be complete yet.
        assertThat(ArchiveFunction.partitionTime(time, T10 + 65 * MINUTE, delay))
                .isEqualTo(T10 + 60 * MINUTE + 1);
        assertThat(ArchiveFunction.partitionTime(time, T10 + 190 * MINUTE, delay))
                .isEqualTo(T10 + 185 * MINUTE + 1);
    }

    @Test
    void theCapHoldsTheWatermarkOfArchiveSplitsOnly() {
        long cap = T10 + 30 * MINUTE;
        ArchiveWatermarks strategy =
                new ArchiveWatermarks(RawEventTime.watermarks(0, 60 * MINUTE, Long.MAX_VALUE), cap);

        List<Long> archive =
                emitted(strategy.createWatermarkGenerator(CONTEXT), event("archive:kafka:t/0@5", T10 + 50 * MINUTE));
        assertThat(archive).containsExactly(cap);

        List<Long> kafka = emitted(strategy.createWatermarkGenerator(CONTEXT), event("kafka:t/0@6", T10 + 50 * MINUTE));
        assertThat(kafka).containsExactly(T10 + 50 * MINUTE - 1);
    }

    private static final WatermarkGeneratorSupplier.Context CONTEXT = new WatermarkGeneratorSupplier.Context() {
        @Override
        public MetricGroup getMetricGroup() {
            return new UnregisteredMetricsGroup();
        }

        @Override
        public RelativeClock getInputActivityClock() {
            return SystemClock.getInstance();
        }
    };

    private static List<Long> emitted(WatermarkGenerator<RawEvent> generator, RawEvent event) {
        List<Long> watermarks = new ArrayList<>();
        WatermarkOutput output = new WatermarkOutput() {
            @Override
            public void emitWatermark(Watermark watermark) {
                watermarks.add(watermark.getTimestamp());
            }

            @Override
            public void markIdle() {}

            @Override
            public void markActive() {}
        };
        generator.onEvent(event, RawEventTime.eventTime(event), output);
        generator.onPeriodicEmit(output);
        return watermarks;
    }

    private static RawEvent event(String origin, long time) {
        String json = "{\"specversion\":\"1.0\",\"time\":\"" + Instant.ofEpochMilli(time) + "\"}";
        return RawEvent.of(json.getBytes(StandardCharsets.UTF_8), null, null, origin);
    }
}
