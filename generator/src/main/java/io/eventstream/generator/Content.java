package io.eventstream.generator;

import io.eventstream.features.events.DiffPosition;
import io.eventstream.features.events.EmojiData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.IssueData;
import io.eventstream.features.events.NoteData;
import java.util.ArrayList;
import java.util.List;

/**
 * Issues, comments and emoji: opening, commenting on and closing issues, comments on merge requests
 * (diff notes on the branch's paths among them), emoji awards, and mentions of other members. Every
 * new issue and comment is handed to {@link Moderation} for the labels it may get.
 */
final class Content {

    private static final String[] EMOJI = {
        "thumbsup", "thumbsup", "thumbsup", "heart", "tada", "rocket", "eyes", "thumbsdown", "100"
    };
    private static final String[] LABELS = {
        "bug", "feature", "documentation", "performance", "security", "ux", "backend", "frontend"
    };

    private final World world;
    private final Rng rng;
    private final TextFactory text;
    private final Moderation moderation;
    private long issueIds;
    private long noteIds;
    private long awardIds;

    Content(World world, Moderation moderation) {
        this.world = world;
        this.rng = world.rng;
        this.text = world.text;
        this.moderation = moderation;
    }

    void openIssue(SimUser user) {
        SimProject project = world.projectForContent(user);
        if (project == null) {
            return;
        }
        List<String> mentions = rng.chance(0.25) ? mentionableMembers(project, user, rng.oneToCap(0.8, 5)) : List.of();
        postIssue(user, project, text.issueTitle(), text.issueDescription(project, mentions), world.now());
    }

    SimIssue postIssue(SimUser user, SimProject project, String title, String description, long time) {
        long id = ++issueIds;
        long iid = project.nextIssueIid++;
        List<String> labels = rng.chance(0.7) ? List.of(rng.pick(LABELS)) : List.of();
        List<Long> assignees =
                rng.chance(0.3) && !project.members.isEmpty() ? List.of(rng.pick(project.members).user.id) : List.of();
        String subject = "projects/" + project.id + "/issues/" + iid;
        String eventId = world.emit(
                EventType.ISSUE_OPENED,
                time,
                subject,
                user.id,
                new IssueData(
                        project.id,
                        null,
                        id,
                        iid,
                        user.id,
                        user.id,
                        title,
                        description,
                        "opened",
                        rng.chance(0.03),
                        "Issue",
                        assignees,
                        labels));
        SimIssue issue = new SimIssue(id, iid, user.id, title);
        project.trackIssue(issue);
        project.rememberAwardable("Issue", id);
        moderation.afterContent(user, time, eventId, "Issue", id, subject);
        return issue;
    }

    void commentOnIssue(SimUser user) {
        SimProject project = world.projectForContent(user);
        if (project == null) {
            return;
        }
        if (project.openIssues.isEmpty()) {
            openIssue(user);
            return;
        }
        SimIssue issue = world.randomOpenIssue(project);
        // Sometimes pinging people, now and then several at once ("@a @b @c any update?").
        List<String> mentions = rng.chance(0.15) ? mentionableMembers(project, user, rng.oneToCap(0.6, 6)) : List.of();
        postIssueNote(user, project, issue, text.issueComment(project, mentions), world.now());
    }

    void postIssueNote(SimUser user, SimProject project, SimIssue issue, String body, long time) {
        long id = ++noteIds;
        String subject = "projects/" + project.id + "/notes/" + id;
        String eventId = world.emit(
                EventType.NOTE_CREATED,
                time,
                subject,
                user.id,
                new NoteData(
                        project.id,
                        id,
                        user.id,
                        NoteData.ISSUE,
                        issue.id(),
                        issue.iid(),
                        null,
                        body,
                        false,
                        false,
                        null));
        project.rememberAwardable("Note", id);
        moderation.afterContent(user, time, eventId, "Note", id, subject);
    }

    void closeIssue(SimUser user) {
        Membership membership = world.pickMembership(user, Membership.DEVELOPER);
        if (membership == null || membership.project.openIssues.isEmpty()) {
            commentOnIssue(user);
            return;
        }
        SimProject project = membership.project;
        SimIssue issue = world.randomOpenIssue(project);
        project.openIssues.remove(issue);
        world.emit(
                EventType.ISSUE_CLOSED,
                world.now(),
                "projects/" + project.id + "/issues/" + issue.iid(),
                user.id,
                new IssueData(
                        project.id,
                        null,
                        issue.id(),
                        issue.iid(),
                        issue.authorId(),
                        user.id,
                        issue.title(),
                        null,
                        "closed",
                        false,
                        "Issue",
                        List.of(),
                        List.of()));
    }

    void commentOnMergeRequest(SimUser user) {
        Membership membership = rng.pick(user.memberships);
        SimProject project = membership.project;
        if (project.openMergeRequests.isEmpty()) {
            commentOnIssue(user);
            return;
        }
        SimMergeRequest mergeRequest = rng.pick(project.openMergeRequests);
        DiffPosition position = null;
        String body;
        if (rng.chance(0.25) && !mergeRequest.branch.paths.isEmpty()) {
            String path = randomPath(mergeRequest.branch);
            position = diffPosition(mergeRequest.branch, path);
            body = text.reviewComment(project, path);
        } else if (rng.chance(0.1)) {
            body = text.reviewPing(mentionableMembers(project, user, rng.between(2, 5)));
        } else {
            body = text.mergeRequestComment(project, rng.chance(0.3) ? mergeRequest.author.username : null);
        }
        postMergeRequestNote(user, mergeRequest, body, position, world.now());
    }

    void postMergeRequestNote(
            SimUser user, SimMergeRequest mergeRequest, String body, DiffPosition position, long time) {
        SimProject project = mergeRequest.project;
        long id = ++noteIds;
        String subject = "projects/" + project.id + "/notes/" + id;
        String eventId = world.emit(
                EventType.NOTE_CREATED,
                time,
                subject,
                user.id,
                new NoteData(
                        project.id,
                        id,
                        user.id,
                        NoteData.MERGE_REQUEST,
                        mergeRequest.id,
                        mergeRequest.iid,
                        null,
                        body,
                        false,
                        false,
                        position));
        project.rememberAwardable("Note", id);
        moderation.afterContent(user, time, eventId, "Note", id, subject);
    }

    void awardEmoji(SimUser user) {
        SimProject project = world.projectForContent(user);
        if (project == null || project.awardableCount() == 0) {
            return;
        }
        int slot = rng.nextInt(project.awardableCount());
        long id = ++awardIds;
        world.emit(
                EventType.EMOJI_AWARDED,
                world.now(),
                "projects/" + project.id + "/award_emoji/" + id,
                user.id,
                new EmojiData(
                        project.id,
                        user.id,
                        id,
                        rng.pick(EMOJI),
                        project.recentAwardableTypes[slot],
                        project.recentAwardableIds[slot]));
    }

    /** Up to {@code count} distinct other members' usernames. */
    List<String> mentionableMembers(SimProject project, SimUser except, int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = mentionableMember(project, except);
            if (name != null && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private String mentionableMember(SimProject project, SimUser except) {
        if (project.members.isEmpty()) {
            return null;
        }
        SimUser member = rng.pick(project.members).user;
        return member == except ? null : member.username;
    }

    String randomPath(Branch branch) {
        int target = rng.nextInt(branch.paths.size());
        for (String path : branch.paths.keySet()) {
            if (target-- == 0) {
                return path;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    DiffPosition diffPosition(Branch branch, String path) {
        int line = rng.between(1, 400);
        return new DiffPosition(
                path,
                path,
                rng.chance(0.4) ? null : line,
                line + rng.between(0, 3),
                branch.baseSha,
                branch.headSha,
                branch.baseSha);
    }
}
