package io.eventstream.features.spam;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.AbuseReportData;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.SpamVerdictData;
import io.eventstream.features.events.UserData;
import java.util.List;
import java.util.Locale;

/**
 * Labels for the spam model, one row per label-bearing event (dataset {@code spam_labels}). Rows are
 * stateless and independent of the feature configuration; training code joins them to
 * {@code spam_features} on {@code target_event_id} (content labels) or {@code user_id} with
 * {@code label_time} (user labels, point in time).
 *
 * <ul>
 *   <li>{@code spam.verdict}: DISALLOW or BLOCK → spam, ALLOW → ham. CONDITIONAL_ALLOW (allowed
 *       behind a captcha: the checker was unsure) and NOOP (no decision) give no label: turning
 *       doubt into either class would poison the training set.</li>
 *   <li>{@code abuse_report.resolved}: banned or blocked → spam, dismissed → ham.</li>
 *   <li>{@code user.blocked} → spam (source {@code user_block}). Admins also block for reasons other
 *       than spam, so this is the noisiest source; filter on {@code source} to leave it out.</li>
 * </ul>
 */
public final class SpamLabels {
    public static final String DATASET = "spam_labels";
    public static final String SPAM = "spam";
    public static final String HAM = "ham";
    public static final String SOURCE_VERDICT = "spam_verdict";
    public static final String SOURCE_ABUSE_REPORT = "abuse_report";
    public static final String SOURCE_USER_BLOCK = "user_block";

    /** Columns of {@code spam_labels}. */
    public static final DatasetSchema SCHEMA = new DatasetSchema(
            DATASET,
            List.of(
                    Column.required(
                            "label_event_id",
                            ColumnType.STRING,
                            "CloudEvent id of the event that carries the label. Never null."),
                    Column.required(
                            "label_time",
                            ColumnType.TIMESTAMP_MILLIS,
                            "Event time of the label event (UTC); partitions the dataset. Never null."),
                    Column.required(
                            "user_id",
                            ColumnType.LONG,
                            "The labelled user: the content's author (verdicts), the reported user (abuse reports), "
                                    + "the blocked user. Never null."),
                    Column.required("label", ColumnType.STRING, "spam or ham. Never null."),
                    Column.required(
                            "source",
                            ColumnType.STRING,
                            "Where the label comes from: spam_verdict, abuse_report or user_block. Never null."),
                    Column.required(
                            "decision",
                            ColumnType.STRING,
                            "The raw decision: the verdict (DISALLOW, BLOCK, ALLOW), the resolution (banned, blocked, "
                                    + "dismissed) or blocked for user blocks. Never null."),
                    Column.nullable(
                            "decided_by",
                            ColumnType.STRING,
                            "Who decided a verdict (spamcheck, akismet, moderator, ...); null for other sources or "
                                    + "when the verdict does not say."),
                    Column.nullable(
                            "target_type",
                            ColumnType.STRING,
                            "Kind of the judged content for verdicts (Issue, Note, MergeRequest, ...); null otherwise."),
                    Column.nullable(
                            "target_id",
                            ColumnType.LONG,
                            "Id of the judged content for verdicts; null otherwise or when unknown."),
                    Column.nullable(
                            "target_event_id",
                            ColumnType.STRING,
                            "CloudEvent id of the event that created the judged content (joins spam_features.event_id); "
                                    + "null for user-level labels or when the verdict does not say.")),
            "label_time");

    private SpamLabels() {}

    /** The label row of an event, or null when the event carries no label. */
    public static Object[] labelRow(CloudEvent event) {
        return switch (event.type()) {
            case SPAM_VERDICT -> verdict(event, event.dataAs(SpamVerdictData.class));
            case ABUSE_REPORT_RESOLVED -> abuseReport(event, event.dataAs(AbuseReportData.class));
            case USER_BLOCKED ->
                row(
                        event,
                        event.dataAs(UserData.class).userId(),
                        SPAM,
                        SOURCE_USER_BLOCK,
                        "blocked",
                        null,
                        null,
                        null,
                        null);
            default -> null;
        };
    }

    private static Object[] verdict(CloudEvent event, SpamVerdictData data) {
        if (data.verdict() == null) {
            return null;
        }
        String label = switch (data.verdict()) {
            case DISALLOW, BLOCK -> SPAM;
            case ALLOW -> HAM;
            case CONDITIONAL_ALLOW, NOOP -> null;
        };
        if (label == null) {
            return null;
        }
        return row(
                event,
                data.userId(),
                label,
                SOURCE_VERDICT,
                data.verdict().name(),
                data.source(),
                data.targetType(),
                data.targetId(),
                data.targetEventId());
    }

    private static Object[] abuseReport(CloudEvent event, AbuseReportData data) {
        if (data.resolution() == null) {
            return null;
        }
        return row(
                event,
                data.reportedUserId(),
                data.resolution().confirmsAbuse() ? SPAM : HAM,
                SOURCE_ABUSE_REPORT,
                data.resolution().name().toLowerCase(Locale.ROOT),
                null,
                null,
                null,
                null);
    }

    private static Object[] row(
            CloudEvent event,
            long userId,
            String label,
            String source,
            String decision,
            String decidedBy,
            String targetType,
            Long targetId,
            String targetEventId) {
        return new Object[] {
            event.id(),
            event.timeMillis(),
            userId,
            label,
            source,
            decision,
            decidedBy,
            targetType,
            targetId,
            targetEventId
        };
    }
}
