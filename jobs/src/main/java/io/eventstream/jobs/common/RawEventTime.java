package io.eventstream.jobs.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.config.StreamJobSettings;
import io.eventstream.features.events.CloudEventJson;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time of raw records, read at the source so that watermarks are generated per source split
 * (Kafka partition, file). A watermark generated after the source, over the records of all the
 * partitions a subtask reads, is wrong as soon as one partition runs ahead of another (a backlog
 * after a restart or a fresh start from {@code earliest}): the lagging partition's events then look
 * hours late and are lost to the features. Per-split watermarks take the minimum over the
 * partitions instead, as Flink's Kafka source does for a strategy given to {@code fromSource}.
 *
 * <p>The time is the CloudEvent {@code time}: the {@code ce_time} header in binary mode, the
 * top-level {@code time} field in structured mode (a streaming scan of the top level that keeps the
 * last value of a repeated name, as the decoder does). A record without a readable time, and an
 * event dated more than {@code time.max_future} after it was recorded ({@link #isFuture}), gets
 * {@link Long#MIN_VALUE}, which never advances a watermark: one event dated 2099 would otherwise
 * move the watermark to 2099 and make every later event late. The decoder
 * ({@link DecodingFunction}) turns both into dead letters with the same rule.
 */
public final class RawEventTime implements SerializableTimestampAssigner<RawEvent> {
    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();

    private final long maxFutureMillis;

    public RawEventTime(long maxFutureMillis) {
        this.maxFutureMillis = maxFutureMillis;
    }

    /**
     * Bounded out-of-orderness watermarks per source split, with idleness, that future-dated events
     * do not move; pass to {@code env.fromSource}.
     */
    public static WatermarkStrategy<RawEvent> watermarks(StreamJobSettings settings) {
        return watermarks(settings.maxOutOfOrdernessMillis(), settings.idlenessMillis(), settings.maxFutureMillis());
    }

    /** {@link #watermarks(StreamJobSettings)} from the three values. */
    public static WatermarkStrategy<RawEvent> watermarks(
            long maxOutOfOrdernessMillis, long idlenessMillis, long maxFutureMillis) {
        return WatermarkStrategy.<RawEvent>forBoundedOutOfOrderness(Duration.ofMillis(maxOutOfOrdernessMillis))
                .withTimestampAssigner(new RawEventTime(maxFutureMillis))
                .withIdleness(Duration.ofMillis(idlenessMillis));
    }

    @Override
    public long extractTimestamp(RawEvent raw, long previous) {
        return watermarkTime(raw, maxFutureMillis, System.currentTimeMillis());
    }

    /**
     * The record's time for the watermark: its event time, or {@link Long#MIN_VALUE} when it has
     * none, it cannot be read, or the event is future-dated ({@link #isFuture}; {@code now} stands in
     * for the recording time when the record says nothing of it).
     */
    public static long watermarkTime(RawEvent raw, long maxFutureMillis, long now) {
        Times times = raw.isBinaryMode() ? binaryTimes(raw) : structuredTimes(raw.value);
        if (times == null || times.time == null) {
            return Long.MIN_VALUE;
        }
        try {
            long time = CloudEventJson.parseTime(times.time).toEpochMilli();
            long recorded = recordedAt(
                    raw.timestamp,
                    times.recordedTime == null
                            ? null
                            : CloudEventJson.parseTime(times.recordedTime).toEpochMilli(),
                    now);
            return isFuture(time, recorded, maxFutureMillis) ? Long.MIN_VALUE : time;
        } catch (DateTimeParseException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    /** The record's CloudEvent time in epoch millis, or {@link Long#MIN_VALUE} when it has none. */
    public static long eventTime(RawEvent raw) {
        return watermarkTime(raw, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /**
     * When an event was recorded: the source's record timestamp (Kafka), else the event's
     * {@code recordedtime}, else {@code now} (processing time).
     */
    public static long recordedAt(long sourceTimestamp, Long recordedTime, long now) {
        if (sourceTimestamp != RawEvent.NO_TIMESTAMP) {
            return sourceTimestamp;
        }
        return recordedTime != null ? recordedTime : now;
    }

    /** True when {@code time} is more than {@code maxFutureMillis} after {@code recordedAt}. */
    public static boolean isFuture(long time, long recordedAt, long maxFutureMillis) {
        long limit = recordedAt > Long.MAX_VALUE - maxFutureMillis ? Long.MAX_VALUE : recordedAt + maxFutureMillis;
        return time > limit;
    }

    private record Times(String time, String recordedTime) {}

    private static Times binaryTimes(RawEvent raw) {
        String time = null;
        String recorded = null;
        for (int i = 0; i + 1 < raw.ceHeaders.length; i += 2) {
            // A repeated header keeps its last value, as the decoder does.
            if (raw.ceHeaders[i].equalsIgnoreCase("ce_time")) {
                time = raw.ceHeaders[i + 1];
            } else if (raw.ceHeaders[i].equalsIgnoreCase("ce_recordedtime")) {
                recorded = raw.ceHeaders[i + 1];
            }
        }
        return new Times(time, recorded);
    }

    /**
     * The top-level {@code time} and {@code recordedtime} of a structured-mode record; null when it
     * is not one well-formed JSON object or either is not a string (the decoder refuses such records).
     */
    private static Times structuredTimes(byte[] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String time = null;
            String recorded = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                boolean isTime = "time".equals(name);
                if (isTime || "recordedtime".equals(name)) {
                    String text = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                    if (text == null && token != JsonToken.VALUE_NULL) {
                        return null;
                    }
                    if (isTime) {
                        time = text;
                    } else {
                        recorded = text;
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
            return new Times(time, recorded);
        } catch (IOException e) {
            return null;
        }
    }
}
