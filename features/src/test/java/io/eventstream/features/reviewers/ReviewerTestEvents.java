package io.eventstream.features.reviewers;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CommitData;
import io.eventstream.features.events.EventData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.events.PushData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small builders of canonical events for hand-computed reviewer test cases (project 7 unless given). */
final class ReviewerTestEvents {
    static final long PROJECT = 7;
    static final long T0 = Instant.parse("2025-03-01T00:00:00Z").toEpochMilli();
    static final long DAY = 86_400_000L;

    private ReviewerTestEvents() {}

    static CloudEvent event(String id, long time, EventType type, EventData data) {
        return new CloudEvent(
                id, "https://gitlab.example.com", type, Instant.ofEpochMilli(time), null, null, null, null, data);
    }

    /** A push of commits, each a list of paths (all as modified). */
    static CloudEvent push(
            String id, long time, long user, String branch, boolean created, List<List<String>> commits) {
        return push(id, time, user, branch, created, commits, commits.size());
    }

    static CloudEvent push(
            String id,
            long time,
            long user,
            String branch,
            boolean created,
            List<List<String>> commits,
            int totalCommits) {
        List<CommitData> data = new ArrayList<>();
        for (int i = 0; i < commits.size(); i++) {
            data.add(new CommitData(id + "-" + i, time, List.of(), commits.get(i), List.of()));
        }
        return event(
                id,
                time,
                EventType.PUSH,
                new PushData(
                        PROJECT, user, "refs/heads/" + branch, branch, "a", "b", created, false, totalCommits, data));
    }

    static CloudEvent deleteBranch(String id, long time, long user, String branch) {
        return event(
                id,
                time,
                EventType.PUSH,
                new PushData(
                        PROJECT,
                        user,
                        "refs/heads/" + branch,
                        branch,
                        "b",
                        "0000000000000000000000000000000000000000",
                        false,
                        true,
                        0,
                        List.of()));
    }

    static CloudEvent mr(
            String id,
            long time,
            EventType type,
            long iid,
            Long author,
            Long actor,
            String branch,
            List<Long> reviewers,
            List<String> changedPaths) {
        return event(
                id,
                time,
                type,
                new MergeRequestData(
                        PROJECT,
                        1000 + iid,
                        iid,
                        author,
                        actor,
                        "t",
                        null,
                        "opened",
                        PROJECT,
                        branch,
                        "main",
                        false,
                        reviewers,
                        null,
                        List.of(),
                        changedPaths));
    }

    static CloudEvent open(String id, long time, long iid, long author, String branch, List<Long> reviewers) {
        return mr(id, time, EventType.MERGE_REQUEST_OPENED, iid, author, author, branch, reviewers, null);
    }

    static CloudEvent approve(String id, long time, long iid, long author, long approver, List<Long> reviewers) {
        return mr(id, time, EventType.MERGE_REQUEST_APPROVAL, iid, author, approver, null, reviewers, null);
    }

    static CloudEvent merged(String id, long time, long iid, long author, List<Long> reviewers) {
        return mr(id, time, EventType.MERGE_REQUEST_MERGED, iid, author, author, null, reviewers, null);
    }

    static CloudEvent note(String id, long time, long iid, long user) {
        return event(
                id,
                time,
                EventType.NOTE_CREATED,
                new NoteData(
                        PROJECT,
                        1,
                        user,
                        NoteData.MERGE_REQUEST,
                        1000 + iid,
                        iid,
                        null,
                        "looks good",
                        false,
                        false,
                        null));
    }

    static CloudEvent member(String id, long time, long user, Integer level) {
        return event(
                id, time, EventType.MEMBER_ADDED, new MemberData(user, MemberData.PROJECT, PROJECT, null, level, null));
    }

    static CloudEvent memberRemoved(String id, long time, long user) {
        return event(
                id,
                time,
                EventType.MEMBER_REMOVED,
                new MemberData(user, MemberData.PROJECT, PROJECT, null, null, null));
    }
}
