package io.eventstream.features.reviewers;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CommitData;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.events.PushData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns canonical events into {@link ReviewerInput}s keyed by project; everything else gives null.
 *
 * <ul>
 *   <li>{@code merge_request.*}: opened, updated, reviewers_changed, approval and approved (both mean
 *       "the actor approves"; a repeated approval is ignored by the engine), unapproval and unapproved,
 *       merged, closed, reopened. Keyed by the target project.</li>
 *   <li>{@code note.created} on a {@code MergeRequest} with a project and an iid, not a system note.</li>
 *   <li>{@code push} (branch pushes; tag pushes are skipped): per listed commit its distinct added,
 *       modified and removed paths; branch creation and deletion; {@code total_commits_count}.</li>
 *   <li>{@code member.added|updated|removed} with project scope (group memberships are skipped: the job
 *       does not know which projects a group holds).</li>
 * </ul>
 *
 * <p>{@code user.created} is not used: it names no project, so under project keying it cannot reach
 * the project states (author tenure is measured within the project instead). Stateless and thread-safe.
 */
public final class ReviewerInputs {
    private ReviewerInputs() {}

    /** The input for a relevant event, or null when the event does not concern reviewer features. */
    public static ReviewerInput from(CloudEvent event) {
        return switch (event.type()) {
            case MERGE_REQUEST_OPENED -> mergeRequest(event, ReviewerInput.MR_OPENED);
            case MERGE_REQUEST_UPDATED -> mergeRequest(event, ReviewerInput.MR_UPDATED);
            case MERGE_REQUEST_REVIEWERS_CHANGED -> mergeRequest(event, ReviewerInput.MR_REVIEWERS_CHANGED);
            case MERGE_REQUEST_APPROVAL, MERGE_REQUEST_APPROVED -> mergeRequest(event, ReviewerInput.MR_APPROVED);
            case MERGE_REQUEST_UNAPPROVAL, MERGE_REQUEST_UNAPPROVED -> mergeRequest(event, ReviewerInput.MR_UNAPPROVED);
            case MERGE_REQUEST_MERGED -> mergeRequest(event, ReviewerInput.MR_MERGED);
            case MERGE_REQUEST_CLOSED -> mergeRequest(event, ReviewerInput.MR_CLOSED);
            case MERGE_REQUEST_REOPENED -> mergeRequest(event, ReviewerInput.MR_REOPENED);
            case NOTE_CREATED -> note(event, event.dataAs(NoteData.class));
            case PUSH -> push(event, event.dataAs(PushData.class));
            case MEMBER_ADDED, MEMBER_UPDATED -> member(event, ReviewerInput.MEMBER_ADDED);
            case MEMBER_REMOVED -> member(event, ReviewerInput.MEMBER_REMOVED);
            default -> null;
        };
    }

    private static ReviewerInput mergeRequest(CloudEvent event, int kind) {
        MergeRequestData data = event.dataAs(MergeRequestData.class);
        ReviewerInput input = base(event, data.projectId(), kind);
        input.userId = kind == ReviewerInput.MR_OPENED && data.authorId() != null ? data.authorId() : data.actorId();
        input.mrIid = data.iid();
        input.mrId = data.mergeRequestId();
        input.mrAuthorId = data.authorId();
        input.sourceBranch = data.sourceBranch();
        input.sourceInProject = data.sourceProjectId() == null || data.sourceProjectId() == data.projectId();
        input.reviewerIds = ids(data.reviewerIds());
        input.previousReviewerIds = ids(data.previousReviewerIds());
        String[] paths = paths(data.changedPaths());
        input.changedPaths = paths == null || paths.length == 0 ? null : paths;
        return input;
    }

    private static ReviewerInput note(CloudEvent event, NoteData data) {
        if (data.system()
                || data.projectId() == null
                || data.noteableIid() == null
                || !NoteData.MERGE_REQUEST.equals(data.noteableType())) {
            return null;
        }
        ReviewerInput input = base(event, data.projectId(), ReviewerInput.MR_NOTE);
        input.userId = data.authorId();
        input.mrIid = data.noteableIid();
        return input;
    }

    private static ReviewerInput push(CloudEvent event, PushData data) {
        if (data.branch() == null || data.branch().isEmpty()) {
            return null;
        }
        ReviewerInput input = base(event, data.projectId(), ReviewerInput.PUSH);
        input.userId = data.userId();
        input.branch = data.branch();
        input.branchCreated = data.created();
        input.branchDeleted = data.deleted();
        List<CommitData> commits = data.commits() == null ? List.of() : data.commits();
        input.totalCommits = Math.max(data.totalCommitsCount(), commits.size());
        input.commitPathCounts = new int[commits.size()];
        List<String> all = new ArrayList<>();
        for (int i = 0; i < commits.size(); i++) {
            CommitData commit = commits.get(i);
            TreeSet<String> touched = new TreeSet<>();
            if (commit != null) {
                addPaths(touched, commit.added());
                addPaths(touched, commit.modified());
                addPaths(touched, commit.removed());
            }
            input.commitPathCounts[i] = touched.size();
            all.addAll(touched);
        }
        input.commitPaths = all.toArray(String[]::new);
        return input;
    }

    private static ReviewerInput member(CloudEvent event, int kind) {
        MemberData data = event.dataAs(MemberData.class);
        if (!MemberData.PROJECT.equals(data.scope()) || data.projectId() == null) {
            return null;
        }
        ReviewerInput input = base(event, data.projectId(), kind);
        input.userId = data.userId();
        input.accessLevel = data.accessLevel();
        return input;
    }

    private static ReviewerInput base(CloudEvent event, long projectId, int kind) {
        ReviewerInput input = new ReviewerInput();
        input.eventId = event.id();
        input.timeMillis = event.timeMillis();
        input.projectId = projectId;
        input.kind = kind;
        return input;
    }

    private static long[] ids(List<Long> ids) {
        if (ids == null) {
            return null;
        }
        return ids.stream()
                .filter(id -> id != null)
                .mapToLong(Long::longValue)
                .distinct()
                .sorted()
                .toArray();
    }

    private static String[] paths(Collection<String> paths) {
        if (paths == null) {
            return null;
        }
        TreeSet<String> distinct = new TreeSet<>();
        addPaths(distinct, paths);
        return distinct.toArray(String[]::new);
    }

    private static void addPaths(TreeSet<String> into, Collection<String> paths) {
        if (paths != null) {
            for (String path : paths) {
                if (path != null && !path.isEmpty()) {
                    into.add(path);
                }
            }
        }
    }
}
