package io.eventstream.jobs.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.eventstream.connectors.source.RawEvent;
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
 * top-level {@code time} field in structured mode (a streaming scan that stops at the field; the
 * attributes come before {@code data} in what the project writes, so {@code data} is rarely read).
 * A record without a readable time gets {@link Long#MIN_VALUE}, which never advances a watermark;
 * the decoder turns it into a dead letter later.
 */
public final class RawEventTime implements SerializableTimestampAssigner<RawEvent> {
    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();

    /** Bounded out-of-orderness watermarks per source split, with idleness; pass to {@code env.fromSource}. */
    public static WatermarkStrategy<RawEvent> watermarks(long maxOutOfOrdernessMillis, long idlenessMillis) {
        return WatermarkStrategy.<RawEvent>forBoundedOutOfOrderness(Duration.ofMillis(maxOutOfOrdernessMillis))
                .withTimestampAssigner(new RawEventTime())
                .withIdleness(Duration.ofMillis(idlenessMillis));
    }

    @Override
    public long extractTimestamp(RawEvent raw, long previous) {
        return eventTime(raw);
    }

    /** The record's CloudEvent time in epoch millis, or {@link Long#MIN_VALUE} when it has none. */
    public static long eventTime(RawEvent raw) {
        String time = raw.isBinaryMode() ? binaryTime(raw) : structuredTime(raw.value);
        if (time == null) {
            return Long.MIN_VALUE;
        }
        try {
            return CloudEventJson.parseTime(time).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    private static String binaryTime(RawEvent raw) {
        String time = null;
        for (int i = 0; i + 1 < raw.ceHeaders.length; i += 2) {
            if (raw.ceHeaders[i].equalsIgnoreCase("ce_time")) {
                time = raw.ceHeaders[i + 1]; // a repeated header keeps its last value, as the decoder does
            }
        }
        return time;
    }

    private static String structuredTime(byte[] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isTime = "time".equals(parser.currentName());
                JsonToken token = parser.nextToken();
                if (isTime) {
                    return token == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
