package io.eventstream.jobs.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.connectors.archive.EventArchive;
import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.jobs.common.DecodingFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes each record like the feature jobs (invalid and future-dated ones become dead letters with
 * their reason) and turns every valid event into its archive row, with the Kafka position it was read
 * at. Late events are archived too, in a later hour partition (see {@link #partitionTime}).
 */
final class ArchiveFunction extends DecodingFunction {
    private static final long serialVersionUID = 1L;
    private static final long HOUR_MILLIS = 3_600_000L;

    private transient ObjectMapper mapper;

    private final long completenessDelayMillis;

    /**
     * @param completenessDelayMillis the archive dataset's completeness delay: an hour is marked
     *                                complete once the watermark is this far past its end
     */
    ArchiveFunction(
            int maxEventBytes, long maxFutureMillis, OutputTag<DeadLetter> deadLetters, long completenessDelayMillis) {
        super(maxEventBytes, maxFutureMillis, deadLetters);
        this.completenessDelayMillis = completenessDelayMillis;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        mapper = CloudEventJson.newMapper();
    }

    @Override
    protected void onEvent(CloudEvent event, RawEvent raw, Context ctx, Collector<Row> out) {
        out.collect(Row.of(EventArchive.toRow(
                event,
                raw.origin,
                partitionTime(event.timeMillis(), ctx.timerService().currentWatermark(), completenessDelayMillis),
                mapper)));
    }

    /**
     * The time whose hour partition an event goes to: its own, unless that hour may already be marked
     * complete (its end plus the delay is at or behind the watermark). The dataset writer never
     * writes into a complete hour (it deletes what it takes for leftovers of failed attempts there),
     * so such a late event goes to the earliest hour that cannot be complete yet.
     */
    static long partitionTime(long time, long watermark, long completenessDelayMillis) {
        long hourEnd = Math.floorDiv(time, HOUR_MILLIS) * HOUR_MILLIS + HOUR_MILLIS;
        if (watermark == Long.MIN_VALUE || hourEnd + completenessDelayMillis > watermark) {
            return time;
        }
        return watermark - completenessDelayMillis + 1;
    }
}
