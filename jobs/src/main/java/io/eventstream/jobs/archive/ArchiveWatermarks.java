package io.eventstream.jobs.archive;

import io.eventstream.connectors.archive.EventArchive;
import io.eventstream.connectors.source.RawEvent;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * A job's watermarks for a replay that switches from the archive to Kafka: on archive splits the
 * watermark never passes {@code cap}, the watermark the live job would have had at the switch
 * (see {@link io.eventstream.connectors.archive.ArchiveCut}); Kafka splits are not capped. Without
 * the cap, the archive (read in time order over all partitions) would lift the watermark to its
 * newest event, and records of a partition that lagged behind the others would be late once Kafka
 * delivers them.
 */
final class ArchiveWatermarks implements WatermarkStrategy<RawEvent> {
    private static final long serialVersionUID = 1L;

    private final WatermarkStrategy<RawEvent> job;
    private final long cap;

    ArchiveWatermarks(WatermarkStrategy<RawEvent> job, long cap) {
        this.job = job;
        this.cap = cap;
    }

    @Override
    public TimestampAssigner<RawEvent> createTimestampAssigner(TimestampAssignerSupplier.Context context) {
        return job.createTimestampAssigner(context);
    }

    @Override
    public WatermarkGenerator<RawEvent> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
        return new Capped(job.createWatermarkGenerator(context), cap);
    }

    /** One per split: capped once the split turns out to be an archive split. */
    private static final class Capped implements WatermarkGenerator<RawEvent> {
        private final WatermarkGenerator<RawEvent> generator;
        private final long cap;
        private boolean archive;

        Capped(WatermarkGenerator<RawEvent> generator, long cap) {
            this.generator = generator;
            this.cap = cap;
        }

        @Override
        public void onEvent(RawEvent event, long timestamp, WatermarkOutput output) {
            archive |= event.origin != null && event.origin.startsWith(EventArchive.ORIGIN_PREFIX);
            generator.onEvent(event, timestamp, capped(output));
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            generator.onPeriodicEmit(capped(output));
        }

        private WatermarkOutput capped(WatermarkOutput output) {
            if (!archive) {
                return output;
            }
            return new WatermarkOutput() {
                @Override
                public void emitWatermark(Watermark watermark) {
                    output.emitWatermark(watermark.getTimestamp() <= cap ? watermark : new Watermark(cap));
                }

                @Override
                public void markIdle() {
                    output.markIdle();
                }

                @Override
                public void markActive() {
                    output.markActive();
                }
            };
        }
    }
}
