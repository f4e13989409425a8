package io.eventstream.jobs.common;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes the rows of a stateless stream (e.g. labels) that are within the allowed lateness and
 * sends the others to the late output, by the same rule as {@link EventTimeOrderedFunction}: late
 * when the watermark has reached {@code time + allowedLateness}.
 */
public final class LateRowFilter extends ProcessFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final String stream;
    private final int idField;
    private final int timeField;
    private final int entityField;
    private final long allowedLatenessMillis;
    private final OutputTag<Row> late;
    private transient Counter lateEvents;

    public LateRowFilter(
            String stream,
            int idField,
            int timeField,
            int entityField,
            long allowedLatenessMillis,
            OutputTag<Row> late) {
        this.stream = stream;
        this.idField = idField;
        this.timeField = timeField;
        this.entityField = entityField;
        this.allowedLatenessMillis = allowedLatenessMillis;
        this.late = late;
    }

    /** The late row of {@code row} at {@code watermark}. */
    public Row lateRow(Row row, long watermark) {
        return LateRows.row(
                (String) row.getField(idField),
                stream,
                (Long) row.getField(timeField),
                (Long) row.getField(entityField),
                watermark);
    }

    @Override
    public void open(OpenContext openContext) {
        lateEvents = LateEventMetrics.counter(getRuntimeContext().getMetricGroup(), stream);
    }

    @Override
    public void processElement(Row row, Context ctx, Collector<Row> out) {
        long time = (Long) row.getField(timeField);
        long watermark = ctx.timerService().currentWatermark();
        if (time + allowedLatenessMillis <= watermark) {
            lateEvents.inc();
            ctx.output(late, lateRow(row, watermark));
        } else {
            out.collect(row);
        }
    }
}
