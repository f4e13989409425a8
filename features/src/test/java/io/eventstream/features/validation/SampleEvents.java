package io.eventstream.features.validation;

import io.eventstream.features.events.AbuseReportData;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CommitData;
import io.eventstream.features.events.DiffPosition;
import io.eventstream.features.events.EmojiData;
import io.eventstream.features.events.EventData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.GenericData;
import io.eventstream.features.events.IssueData;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.events.ProjectData;
import io.eventstream.features.events.PushData;
import io.eventstream.features.events.SpamVerdictData;
import io.eventstream.features.events.UserData;
import java.time.Instant;
import java.util.List;

/** One fully populated, valid event per {@link EventType}, varied by a sequence number. */
final class SampleEvents {
    static final String SOURCE = "https://gitlab.example.com";
    private static final String ZEROS = "0".repeat(40);

    private SampleEvents() {}

    /** A valid event of a type with every optional field set (ids and times vary with {@code seq}). */
    static CloudEvent full(EventType type, int seq) {
        Instant time = Instant.parse("2024-03-01T10:15:30.123Z").plusSeconds(seq);
        return new CloudEvent(
                "evt-" + type.type() + "-" + seq,
                SOURCE,
                type,
                time,
                "projects/5/things/" + seq,
                CloudEvent.schemaUri(type),
                time.plusMillis(800),
                String.valueOf(17 + seq % 50),
                data(type, seq));
    }

    /** A valid event with only what is required: optional envelope attributes absent, optional data fields null. */
    static CloudEvent minimal(EventType type) {
        return new CloudEvent(
                "evt-min",
                SOURCE,
                type,
                Instant.parse("2024-03-01T10:15:30Z"),
                null,
                null,
                null,
                null,
                minimalData(type.dataClass()));
    }

    static EventData data(EventType type, int seq) {
        long user = 17 + seq % 50;
        Class<? extends EventData> dataClass = type.dataClass();
        if (dataClass == UserData.class) {
            return new UserData(
                    user,
                    "user" + user,
                    "old" + user,
                    "User " + user,
                    "user" + user + "@example.com",
                    "active",
                    seq % 2 == 0,
                    true);
        } else if (dataClass == MemberData.class) {
            return new MemberData(user, MemberData.PROJECT, 5L, null, 30, 1735689600000L);
        } else if (dataClass == ProjectData.class) {
            return new ProjectData(5 + seq, 2L, "group/project-" + seq, "old/project-" + seq, "private", user);
        } else if (dataClass == IssueData.class) {
            return new IssueData(
                    5L,
                    null,
                    1000 + seq,
                    seq,
                    user,
                    user + 1,
                    "Crash on start 🎉 " + seq,
                    "Steps:\n1. run",
                    "opened",
                    seq % 3 == 0,
                    "Issue",
                    List.of(user, user + 2),
                    List.of("bug", "p1"));
        } else if (dataClass == NoteData.class) {
            return new NoteData(
                    5L,
                    9000 + seq,
                    user,
                    NoteData.MERGE_REQUEST,
                    200L,
                    7L,
                    null,
                    "Looks good, see https://example.com/" + seq,
                    false,
                    seq % 5 == 0,
                    new DiffPosition(
                            "src/A.java",
                            "src/A.java",
                            null,
                            12 + seq,
                            "b".repeat(40),
                            "h".repeat(40),
                            "s".repeat(40)));
        } else if (dataClass == MergeRequestData.class) {
            return new MergeRequestData(
                    5,
                    300 + seq,
                    seq,
                    user,
                    user + 1,
                    "Add feature " + seq,
                    "Closes #1",
                    "opened",
                    5L,
                    "feature-" + seq,
                    "main",
                    false,
                    List.of(user + 3),
                    List.of(user + 4),
                    List.of(user),
                    List.of("src/A.java", "docs/B.md"));
        } else if (dataClass == PushData.class) {
            return new PushData(
                    5,
                    user,
                    "refs/heads/feature-" + seq,
                    "feature-" + seq,
                    ZEROS,
                    "a".repeat(40),
                    true,
                    false,
                    2,
                    List.of(
                            new CommitData(
                                    "c".repeat(40),
                                    1709288130000L,
                                    List.of("src/A.java"),
                                    List.of(),
                                    List.of("old.txt")),
                            new CommitData(
                                    "d".repeat(40), 1709288190000L, List.of(), List.of("src/A.java"), List.of())));
        } else if (dataClass == EmojiData.class) {
            return new EmojiData(5L, user, 40L + seq, "thumbsup", "Issue", 1000L + seq);
        } else if (dataClass == SpamVerdictData.class) {
            return new SpamVerdictData(
                    user,
                    "Note",
                    9000L + seq,
                    "evt-note-" + seq,
                    SpamVerdictData.Verdict.values()[seq % SpamVerdictData.Verdict.values().length],
                    "spamcheck");
        } else if (dataClass == AbuseReportData.class) {
            return new AbuseReportData(
                    60 + seq,
                    user,
                    user + 1,
                    AbuseReportData.Resolution.values()[seq % AbuseReportData.Resolution.values().length]);
        } else if (dataClass == GenericData.class) {
            return new GenericData(type.type().split("\\.")[2], 700L + seq, 5L, 2L, user, "create", "success");
        }
        throw new IllegalArgumentException("no sample for " + dataClass.getSimpleName());
    }

    static EventData minimalData(Class<? extends EventData> dataClass) {
        if (dataClass == UserData.class) {
            return new UserData(17, null, null, null, null, null, null, null);
        } else if (dataClass == MemberData.class) {
            return new MemberData(17, null, null, null, null, null);
        } else if (dataClass == ProjectData.class) {
            return new ProjectData(5, null, null, null, null, null);
        } else if (dataClass == IssueData.class) {
            return new IssueData(null, null, 1000, 1, null, null, null, null, null, false, null, null, null);
        } else if (dataClass == NoteData.class) {
            return new NoteData(null, 9000, 17, null, null, null, null, null, false, false, null);
        } else if (dataClass == MergeRequestData.class) {
            return new MergeRequestData(
                    5, 300, 1, null, null, null, null, null, null, null, null, false, null, null, null, null);
        } else if (dataClass == PushData.class) {
            return new PushData(5, null, null, null, null, null, false, true, 0, null);
        } else if (dataClass == EmojiData.class) {
            return new EmojiData(null, 17, null, null, null, null);
        } else if (dataClass == SpamVerdictData.class) {
            return new SpamVerdictData(17, null, null, null, null, null);
        } else if (dataClass == AbuseReportData.class) {
            return new AbuseReportData(60, 17, null, null);
        } else if (dataClass == GenericData.class) {
            return new GenericData(null, null, null, null, null, null, null);
        }
        throw new IllegalArgumentException("no sample for " + dataClass.getSimpleName());
    }
}
