package io.eventstream.jobs.common;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.OrderedInput;
import java.util.List;
import org.apache.flink.types.Row;

/**
 * The {@code late_events} dataset: events that arrived after the watermark had passed their time
 * plus the allowed lateness, so they could not be applied in order. Partitioned by the watermark
 * at detection (not by event time), so a late row never lands in an hour already marked complete.
 */
public final class LateRows {
    public static final String DATASET = "late_events";

    public static final DatasetSchema SCHEMA = new DatasetSchema(
            DATASET,
            List.of(
                    Column.required("event_id", ColumnType.STRING, "CloudEvent id of the late event."),
                    Column.required(
                            "stream",
                            ColumnType.STRING,
                            "Which input it was: the job's keyed input (e.g. spam_input) or a label stream (e.g. spam_labels)."),
                    Column.required("event_time", ColumnType.TIMESTAMP_MILLIS, "The event's own time (UTC)."),
                    Column.nullable(
                            "entity_id",
                            ColumnType.LONG,
                            "Key of the event (user id for the spam job); null when it has none."),
                    Column.required(
                            "watermark_time",
                            ColumnType.TIMESTAMP_MILLIS,
                            "Watermark when the event arrived (UTC); partitions this dataset."),
                    Column.required(
                            "lateness_ms",
                            ColumnType.LONG,
                            "How far behind the watermark the event was: watermark_time - event_time, in milliseconds.")),
            "watermark_time");

    private LateRows() {}

    /** The row of a keyed feature input that came too late for {@code stream} at {@code watermark}. */
    public static Row row(OrderedInput input, String stream, long watermark) {
        return row(input.eventId, stream, input.timeMillis, input.key(), watermark);
    }

    public static Row row(String eventId, String stream, long eventTime, Long entityId, long watermark) {
        return Row.of(eventId, stream, eventTime, entityId, watermark, watermark - eventTime);
    }
}
