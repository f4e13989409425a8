package io.eventstream.features.gitlab;

import io.eventstream.features.events.CommitData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.PushData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code push} and {@code tag_push} bodies (project hooks and system hooks) to {@code com.gitlab.push|tag_push}. */
final class PushConverter {
    private static final String NO_COMMIT = "0000000000000000000000000000000000000000";
    private static final String BRANCH_PREFIX = "refs/heads/";
    private static final String TAG_PREFIX = "refs/tags/";

    private PushConverter() {}

    static List<Draft> convert(JsonFields body, String kind, Instant receivedAt) {
        Long projectId = body.id("project_id");
        if (projectId == null) {
            projectId = body.object("project").id("id");
        }
        if (projectId == null) {
            throw body.missing("project_id");
        }
        String ref = body.keyword("ref");
        if (ref == null) {
            throw body.missing("ref");
        }
        boolean tag = kind.equals("tag_push") || ref.startsWith(TAG_PREFIX);
        String name = ref.startsWith(BRANCH_PREFIX)
                ? ref.substring(BRANCH_PREFIX.length())
                : ref.startsWith(TAG_PREFIX) ? ref.substring(TAG_PREFIX.length()) : ref;
        String before = body.keyword("before");
        String after = body.keyword("after");

        List<CommitData> commits = new ArrayList<>();
        Instant newest = null;
        for (JsonFields commit : body.objects("commits")) {
            Instant timestamp = commit.time("timestamp");
            if (timestamp != null && (newest == null || timestamp.isAfter(newest))) {
                newest = timestamp;
            }
            commits.add(new CommitData(
                    commit.keyword("id"),
                    timestamp == null ? null : timestamp.toEpochMilli(),
                    commit.strings("added"),
                    commit.strings("modified"),
                    commit.strings("removed")));
        }
        Integer total = body.integer("total_commits_count");
        Long userId = body.id("user_id");
        PushData data = new PushData(
                projectId,
                userId,
                ref,
                name,
                before,
                after,
                NO_COMMIT.equals(before),
                NO_COMMIT.equals(after),
                total != null ? total : commits.size(),
                commits);
        // A push carries no timestamp of its own: the newest listed commit is the closest the body
        // knows; a push without commits (branch deletion, tag on an old commit) needs the receive time.
        Instant time = EventTimes.fromPayload("commits[].timestamp", receivedAt, newest);
        String subject = Subjects.inProject(projectId, tag ? "tags" : "branches", name);
        return List.of(Draft.of(tag ? EventType.TAG_PUSH : EventType.PUSH, time, subject, userId, data));
    }
}
