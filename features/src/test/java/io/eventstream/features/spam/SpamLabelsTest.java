package io.eventstream.features.spam;

import static io.eventstream.features.spam.TestEvents.abuseReport;
import static io.eventstream.features.spam.TestEvents.event;
import static io.eventstream.features.spam.TestEvents.note;
import static io.eventstream.features.spam.TestEvents.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.events.AbuseReportData.Resolution;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.SpamVerdictData.Verdict;
import io.eventstream.features.events.UserData;
import org.junit.jupiter.api.Test;

class SpamLabelsTest {

    @Test
    void verdicts() {
        assertThat(SpamLabels.labelRow(verdict("v1", 1000, 4, Verdict.DISALLOW)))
                .containsExactly("v1", 1000L, 4L, "spam", "spam_verdict", "DISALLOW", "spamcheck", "Note", 5L, "evt-5");
        assertThat(SpamLabels.labelRow(verdict("v2", 1000, 4, Verdict.BLOCK))[3])
                .isEqualTo("spam");
        assertThat(SpamLabels.labelRow(verdict("v3", 1000, 4, Verdict.ALLOW))[3])
                .isEqualTo("ham");
        assertThat(SpamLabels.labelRow(verdict("v4", 1000, 4, Verdict.CONDITIONAL_ALLOW)))
                .isNull();
        assertThat(SpamLabels.labelRow(verdict("v5", 1000, 4, Verdict.NOOP))).isNull();
    }

    @Test
    void abuseReportsAndBlocks() {
        assertThat(SpamLabels.labelRow(abuseReport("r1", 7, 8, Resolution.BANNED)))
                .containsExactly("r1", 7L, 8L, "spam", "abuse_report", "banned", null, null, null, null);
        assertThat(SpamLabels.labelRow(abuseReport("r2", 7, 8, Resolution.BLOCKED))[3])
                .isEqualTo("spam");
        assertThat(SpamLabels.labelRow(abuseReport("r3", 7, 8, Resolution.DISMISSED))[3])
                .isEqualTo("ham");
        assertThat(SpamLabels.labelRow(event(
                        "b",
                        9,
                        EventType.USER_BLOCKED,
                        new UserData(3, "u", null, "Name", "a@b.example", "blocked", null, null))))
                .containsExactly("b", 9L, 3L, "spam", "user_block", "blocked", null, null, null, null);
    }

    @Test
    void otherEventsCarryNoLabelAndRowsFitTheSchema() {
        assertThat(SpamLabels.labelRow(note("n", 1, 1, 1L, "x"))).isNull();
        assertThat(SpamLabels.SCHEMA.check(SpamLabels.labelRow(verdict("v", 1, 4, Verdict.BLOCK))))
                .isNull();
        assertThat(SpamLabels.SCHEMA.check(SpamLabels.labelRow(abuseReport("r", 1, 4, Resolution.DISMISSED))))
                .isNull();
    }
}
