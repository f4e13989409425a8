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
        assertThat(time("{\"specversion\":\"1.0\",\"id\":\"a\",\"time\":\"2024-03-01T10:00:00.250Z\",\"data\":{}}")).isEqualTo(T);
        assertThat(time("{\"data\":{\"time\":\"1999-01-01T00:00:00Z\",\"x\":[1,{\"time\":2}]},"
                + "\"time\":\"2024-03-01T11:00:00.250+01:00\"}")).isEqualTo(T);
    }

    @Test
    void recordsWithoutAReadableTimeNeverAdvanceTheWatermark() {
        for (String bad : new String[] {"", "not json", "[1,2]", "{\"id\":\"a\"}", "{\"time\":12}",
                "{\"time\":\"yesterday\"}", "{\"id\":\"a\",\"time\""}) {
            assertThat(time(bad)).as(bad).isEqualTo(Long.MIN_VALUE);
        }
        // Truncated after its time: the time is still right (the decoder dead-letters the record anyway).
        assertThat(time("{\"time\":\"2024-03-01T10:00:00.250Z\"")).isEqualTo(T);
    }

    @Test
    void binaryModeReadsTheCeTimeHeader() {
        RawEvent raw = RawEvent.of("{}".getBytes(StandardCharsets.UTF_8), null,
                new String[] {"ce_specversion", "1.0", "CE_TIME", "2024-03-01T10:00:00.250Z"}, "kafka:t/0@1");
        assertThat(RawEventTime.eventTime(raw)).isEqualTo(T);
        RawEvent noTime = RawEvent.of(new byte[0], null, new String[] {"ce_specversion", "1.0"}, "kafka:t/0@2");
        assertThat(RawEventTime.eventTime(noTime)).isEqualTo(Long.MIN_VALUE);
    }

    private static long time(String json) {
        return RawEventTime.eventTime(RawEvent.of(json.getBytes(StandardCharsets.UTF_8), null, null, "file:x:1"));
    }
}
