package io.eventstream.jobs.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.source.RawEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Event time read from raw records at the source, for per-split watermarks. */
class RawEventTimeTest {
    /** 2024-03-01T10:00:00.250Z. */
    private static final long T = 1_709_287_200_250L;

    @Test
    void structuredModeReadsTheTopLevelTimeWithoutBeingFooledByNestedFields() {
        assertThat(time("{\"specversion\":\"1.0\",\"id\":\"a\",\"time\":\"2024-03-01T10:00:00.250Z\",\"data\":{}}"))
                .isEqualTo(T);
        assertThat(time("{\"data\":{\"time\":\"1999-01-01T00:00:00Z\",\"x\":[1,{\"time\":2}]},"
                        + "\"time\":\"2024-03-01T11:00:00.250+01:00\"}"))
                .isEqualTo(T);
    }

    @Test
    void recordsWithoutAReadableTimeNeverAdvanceTheWatermark() {
        for (String bad : new String[] {
            "",
            "not json",
            "[1,2]",
            "{\"id\":\"a\"}",
            "{\"time\":12}",
            "{\"time\":\"yesterday\"}",
            "{\"id\":\"a\",\"time\""
        }) {
            assertThat(time(bad)).as(bad).isEqualTo(Long.MIN_VALUE);
        }
        // Not one whole JSON object (truncated, or something after it): the decoder refuses it, so it has no time.
        assertThat(time("{\"time\":\"2024-03-01T10:00:00.250Z\"")).isEqualTo(Long.MIN_VALUE);
        assertThat(time("{\"time\":\"2024-03-01T10:00:00.250Z\"} {\"time\":\"2024-03-01T10:00:00.250Z\"}"))
                .isEqualTo(Long.MIN_VALUE);
        // Outside what an epoch-millis long holds, or not RFC 3339: no time (the decoder says BAD_TIMESTAMP).
        assertThat(time("{\"time\":\"+999999999-12-31T23:59:59Z\"}")).isEqualTo(Long.MIN_VALUE);
        assertThat(time("{\"time\":\"2024-03-01T10:00Z\"}")).isEqualTo(Long.MIN_VALUE);
        // A repeated name keeps its last value, as the decoder's tree does.
        assertThat(time("{\"time\":\"1999-01-01T00:00:00Z\",\"time\":\"2024-03-01T10:00:00.250Z\"}"))
                .isEqualTo(T);
    }

    /** Ten minutes, the default of time.max_future. */
    private static final long MAX_FUTURE = 600_000L;

    @Test
    void futureDatedEventsNeverAdvanceTheWatermark() {
        String recordedJustBefore =
                "{\"time\":\"2024-03-01T10:00:00.250Z\",\"recordedtime\":\"2024-03-01T09:50:00.250Z\"}";
        String recordedTooEarly =
                "{\"time\":\"2024-03-01T10:00:00.250Z\",\"recordedtime\":\"2024-03-01T09:50:00.249Z\"}";
        long now = T + 86_400_000L;
        // recordedtime: exactly max_future ahead is fine, a millisecond more is not.
        assertThat(watermarkTime(structured(recordedJustBefore), now)).isEqualTo(T);
        assertThat(watermarkTime(structured(recordedTooEarly), now)).isEqualTo(Long.MIN_VALUE);
        // The Kafka record timestamp wins over recordedtime.
        RawEvent kafka = structured(recordedTooEarly);
        kafka.timestamp = T;
        assertThat(watermarkTime(kafka, now)).isEqualTo(T);
        kafka.timestamp = T - MAX_FUTURE - 1;
        assertThat(watermarkTime(structured(recordedJustBefore), now)).isEqualTo(T);
        assertThat(watermarkTime(kafka, now)).isEqualTo(Long.MIN_VALUE);
        // Neither: processing time.
        String bare = "{\"time\":\"2024-03-01T10:00:00.250Z\"}";
        assertThat(watermarkTime(structured(bare), T - MAX_FUTURE)).isEqualTo(T);
        assertThat(watermarkTime(structured(bare), T - MAX_FUTURE - 1)).isEqualTo(Long.MIN_VALUE);
        // Binary mode reads ce_recordedtime.
        RawEvent binary = RawEvent.of(
                "{}".getBytes(StandardCharsets.UTF_8),
                null,
                new String[] {
                    "ce_specversion",
                    "1.0",
                    "ce_time",
                    "2024-03-01T10:00:00.250Z",
                    "ce_recordedtime",
                    "2024-03-01T09:50:00.249Z"
                },
                "kafka:t/0@1");
        assertThat(watermarkTime(binary, now)).isEqualTo(Long.MIN_VALUE);
        // A year 2099 event read from a file in 2026 without recordedtime.
        assertThat(watermarkTime(structured("{\"time\":\"2099-01-01T00:00:00Z\"}"), T))
                .isEqualTo(Long.MIN_VALUE);
        // An unreadable recordedtime: the decoder refuses the event (BAD_TIMESTAMP), so no time either.
        assertThat(watermarkTime(structured("{\"time\":\"2024-03-01T10:00:00.250Z\",\"recordedtime\":\"soon\"}"), now))
                .isEqualTo(Long.MIN_VALUE);
    }

    private static long watermarkTime(RawEvent raw, long now) {
        return RawEventTime.watermarkTime(raw, MAX_FUTURE, now);
    }

    private static RawEvent structured(String json) {
        return RawEvent.of(json.getBytes(StandardCharsets.UTF_8), null, null, "file:x:1");
    }

    @Test
    void binaryModeReadsTheCeTimeHeader() {
        RawEvent raw = RawEvent.of(
                "{}".getBytes(StandardCharsets.UTF_8),
                null,
                new String[] {"ce_specversion", "1.0", "CE_TIME", "2024-03-01T10:00:00.250Z"},
                "kafka:t/0@1");
        assertThat(RawEventTime.eventTime(raw)).isEqualTo(T);
        RawEvent noTime = RawEvent.of(new byte[0], null, new String[] {"ce_specversion", "1.0"}, "kafka:t/0@2");
        assertThat(RawEventTime.eventTime(noTime)).isEqualTo(Long.MIN_VALUE);
    }

    private static long time(String json) {
        return RawEventTime.eventTime(RawEvent.of(json.getBytes(StandardCharsets.UTF_8), null, null, "file:x:1"));
    }
}
