package io.eventstream.features.spam;

import io.eventstream.features.events.AbuseReportData;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.EmojiData;
import io.eventstream.features.events.EventData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.GenericData;
import io.eventstream.features.events.IssueData;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.events.SpamVerdictData;
import io.eventstream.features.events.UserData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random CloudEvents that stress the spam features: few users and projects so windows are dense,
 * duplicate timestamps (order decided by id), times on tile boundaries, gaps longer than the state
 * TTL, repeated texts, internal and external links, every verdict and membership change, and
 * irrelevant events in between. Event ids are random, so id order differs from creation order.
 */
public final class RandomSpamEvents {
    public static final String HOST = "gitlab.example.com";
    static final long T0 = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();

    private static final String[] TEXTS = {
        "Buy cheap watches at https://spam.example.net now!!!",
        "BUY CHEAP WATCHES at https://spam.example.net NOW!!!",
        "buy   cheap watches at https://spam.example.net now!!!",
        "Looks good to me, thanks @alice",
        "See https://gitlab.example.com/group/project/-/issues/1 and http://docs.gitlab.example.com/x",
        "```\ncode\n```\nfixed in 3 places",
        "",
        "Ünïcode TEXT with émojis 🎉🎉 and mail me at bob@example.org",
        "Free $$$ https://a.example https://b.example HTTPS://C.EXAMPLE/path @bob @carol",
        "ok",
    };
    private static final String[] EMAILS = {
        "someone@gmail.com", "x@mailinator.com", "dev@corp.example.org", null, "not-an-email", "u@sub.yopmail.com",
    };

    private final SplittableRandom random;
    private final int users;
    private final int projects;
    private final long[] timeSteps;
    private final Set<String> ids = new HashSet<>();

    /**
     * @param timeSteps gaps to draw from between consecutive events (0 gives equal timestamps); pick
     *                  them around the configured hops, lengths and state TTL
     */
    public RandomSpamEvents(long seed, int users, int projects, long... timeSteps) {
        this.random = new SplittableRandom(seed);
        this.users = users;
        this.projects = projects;
        this.timeSteps = timeSteps;
    }

    /** {@code n} events in creation order (ascending time); shuffle them to test order independence. */
    public List<CloudEvent> events(int n) {
        List<CloudEvent> events = new ArrayList<>(n);
        long time = T0;
        for (int i = 0; i < n; i++) {
            long step = timeSteps[random.nextInt(timeSteps.length)];
            time += step == 0 ? 0 : random.nextLong(step + 1);
            if (random.nextInt(8) == 0) {
                long boundary = timeSteps[random.nextInt(timeSteps.length)];
                if (boundary > 0) {
                    time = Math.floorDiv(time, boundary) * boundary + boundary; // exactly on a tile edge
                }
            }
            events.add(event(time));
        }
        return events;
    }

    private CloudEvent event(long time) {
        long user = 1 + random.nextInt(users);
        Long project = random.nextInt(10) == 0 ? null : (Long) (long) (100 + random.nextInt(projects));
        int kind = random.nextInt(100);
        EventType type;
        EventData data;
        if (kind < 25) {
            type = EventType.NOTE_CREATED;
            String[] noteables = {NoteData.ISSUE, NoteData.MERGE_REQUEST, NoteData.COMMIT, NoteData.SNIPPET};
            data = new NoteData(
                    project,
                    random.nextLong(1, 1_000_000),
                    user,
                    noteables[random.nextInt(4)],
                    5L,
                    6L,
                    null,
                    text(),
                    random.nextInt(12) == 0,
                    random.nextBoolean(),
                    null);
        } else if (kind < 37) {
            type = EventType.ISSUE_OPENED;
            Long author = random.nextInt(15) == 0 ? null : (Long) user;
            data = new IssueData(
                    project,
                    project == null ? 9L : null,
                    random.nextLong(1, 1_000_000),
                    1,
                    author,
                    random.nextInt(20) == 0 ? null : (Long) user,
                    text(),
                    random.nextBoolean() ? text() : null,
                    "opened",
                    false,
                    "Issue",
                    List.of(),
                    List.of());
        } else if (kind < 45) {
            type = EventType.MERGE_REQUEST_OPENED;
            data = new MergeRequestData(
                    project == null ? 100 : project,
                    random.nextLong(1, 1_000_000),
                    1,
                    random.nextInt(15) == 0 ? null : (Long) user,
                    user,
                    text(),
                    random.nextBoolean() ? text() : null,
                    "opened",
                    null,
                    "feature",
                    "main",
                    false,
                    List.of(),
                    null,
                    List.of(),
                    null);
        } else if (kind < 52) {
            type = EventType.USER_CREATED;
            data = new UserData(
                    user,
                    "user" + user,
                    null,
                    "User " + user,
                    EMAILS[random.nextInt(EMAILS.length)],
                    "active",
                    null,
                    null);
        } else if (kind < 64) {
            type = random.nextInt(3) == 0
                    ? EventType.MEMBER_REMOVED
                    : random.nextInt(4) == 0 ? EventType.MEMBER_UPDATED : EventType.MEMBER_ADDED;
            boolean group = random.nextInt(8) == 0;
            data = new MemberData(
                    user,
                    group ? MemberData.GROUP : MemberData.PROJECT,
                    group ? null : (Long) (long) (100 + random.nextInt(projects)),
                    group ? 3L : null,
                    30,
                    null);
        } else if (kind < 78) {
            type = EventType.SPAM_VERDICT;
            SpamVerdictData.Verdict[] verdicts = SpamVerdictData.Verdict.values();
            data = new SpamVerdictData(
                    user,
                    "Note",
                    random.nextLong(1, 1000),
                    random.nextBoolean() ? "evt" : null,
                    verdicts[random.nextInt(verdicts.length)],
                    random.nextBoolean() ? "spamcheck" : "moderator");
        } else if (kind < 83) {
            type = EventType.ABUSE_REPORT_RESOLVED;
            AbuseReportData.Resolution[] resolutions = AbuseReportData.Resolution.values();
            data = new AbuseReportData(
                    random.nextLong(1, 1000), user, null, resolutions[random.nextInt(resolutions.length)]);
        } else if (kind < 86) {
            type = EventType.USER_BLOCKED;
            data = new UserData(user, "user" + user, null, null, null, "blocked", null, null);
        } else if (kind < 90) {
            type = EventType.ISSUE_UPDATED; // same data as content, but not content
            data = new IssueData(
                    project, null, 1, 1, user, user, text(), text(), "opened", false, "Issue", List.of(), List.of());
        } else if (kind < 95) {
            type = EventType.EMOJI_AWARDED;
            data = new EmojiData(project, user, 1L, "thumbsup", "Note", 2L);
        } else {
            type = EventType.PIPELINE_UPDATED;
            data = new GenericData("pipeline", 1L, project, null, user, null, "success");
        }
        return new CloudEvent(
                newId(),
                "https://" + HOST,
                type,
                Instant.ofEpochMilli(time),
                "users/" + user,
                null,
                null,
                Long.toString(user),
                data);
    }

    private String text() {
        String text = TEXTS[random.nextInt(TEXTS.length)];
        return random.nextInt(5) == 0 ? text + " #" + random.nextInt(3) : text;
    }

    private String newId() {
        while (true) {
            String id = Long.toString(random.nextLong() >>> 1, 36);
            if (ids.add(id)) {
                return id;
            }
        }
    }
}
