package io.eventstream.features.spam;

import io.eventstream.features.events.AbuseReportData;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.EventData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.IssueData;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.events.SpamVerdictData;
import io.eventstream.features.events.UserData;
import java.time.Instant;
import java.util.List;

/** Small builders of canonical events for hand-computed test cases. */
final class TestEvents {
    private TestEvents() {}

    static long at(String isoInstant) {
        return Instant.parse(isoInstant).toEpochMilli();
    }

    static CloudEvent event(String id, long time, EventType type, EventData data) {
        return new CloudEvent(
                id, "https://gitlab.example.com", type, Instant.ofEpochMilli(time), null, null, null, null, data);
    }

    static CloudEvent note(String id, long time, long user, Long project, String body) {
        return event(
                id,
                time,
                EventType.NOTE_CREATED,
                new NoteData(project, 1, user, NoteData.ISSUE, 2L, 3L, null, body, false, false, null));
    }

    static CloudEvent issue(String id, long time, long user, Long project, String title, String description) {
        return event(
                id,
                time,
                EventType.ISSUE_OPENED,
                new IssueData(
                        project,
                        null,
                        1,
                        1,
                        user,
                        user,
                        title,
                        description,
                        "opened",
                        false,
                        "Issue",
                        List.of(),
                        List.of()));
    }

    static CloudEvent mergeRequest(String id, long time, long user, long project, String title, String description) {
        return event(
                id,
                time,
                EventType.MERGE_REQUEST_OPENED,
                new MergeRequestData(
                        project,
                        1,
                        1,
                        user,
                        user,
                        title,
                        description,
                        "opened",
                        project,
                        "feature",
                        "main",
                        false,
                        List.of(),
                        null,
                        List.of(),
                        null));
    }

    static CloudEvent userCreated(String id, long time, long user, String email) {
        return event(
                id,
                time,
                EventType.USER_CREATED,
                new UserData(user, "u" + user, null, "U", email, "active", null, null));
    }

    static CloudEvent member(String id, long time, EventType type, long user, long project) {
        return event(id, time, type, new MemberData(user, MemberData.PROJECT, project, null, 30, null));
    }

    static CloudEvent verdict(String id, long time, long user, SpamVerdictData.Verdict verdict) {
        return event(
                id, time, EventType.SPAM_VERDICT, new SpamVerdictData(user, "Note", 5L, "evt-5", verdict, "spamcheck"));
    }

    static CloudEvent abuseReport(String id, long time, long user, AbuseReportData.Resolution resolution) {
        return event(id, time, EventType.ABUSE_REPORT_RESOLVED, new AbuseReportData(9, user, 2L, resolution));
    }
}
