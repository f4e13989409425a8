package io.eventstream.features.reviewers;

import io.eventstream.features.events.OrderedInput;
import java.util.Arrays;
import java.util.Objects;

/**
 * One event relevant to a project's reviewer features, reduced to what the features need: a flat
 * Flink POJO (public no-arg constructor, public fields of primitive, boxed, String, primitive-array
 * or String-array type only) so Flink serializes it without Kryo. No text reaches it: titles,
 * descriptions and note bodies are dropped; only ids, branch names and file paths remain.
 *
 * <p>Made by {@link ReviewerInputs#from}. Keyed by {@link #projectId}; applied in
 * {@code (timeMillis, eventId)} order ({@link OrderedInput#compareOrder}).
 */
public class ReviewerInput extends OrderedInput {
    /** {@code merge_request.opened}: emits candidate rows. */
    public static final int MR_OPENED = 1;
    /** {@code merge_request.updated}. */
    public static final int MR_UPDATED = 2;
    /** {@code merge_request.reviewers_changed}. */
    public static final int MR_REVIEWERS_CHANGED = 3;
    /** {@code merge_request.approval} or {@code approved}: {@link #userId} approves. */
    public static final int MR_APPROVED = 4;
    /** {@code merge_request.unapproval} or {@code unapproved}: {@link #userId} withdraws an approval. */
    public static final int MR_UNAPPROVED = 5;
    /** {@code merge_request.merged}. */
    public static final int MR_MERGED = 6;
    /** {@code merge_request.closed}. */
    public static final int MR_CLOSED = 7;
    /** {@code merge_request.reopened}. */
    public static final int MR_REOPENED = 8;
    /** {@code note.created} on a merge request (not a system note): {@link #userId} comments on {@link #mrIid}. */
    public static final int MR_NOTE = 9;
    /** {@code push} to a branch of {@link #projectId}. */
    public static final int PUSH = 10;
    /** {@code member.added|updated} with project scope. */
    public static final int MEMBER_ADDED = 11;
    /** {@code member.removed} with project scope. */
    public static final int MEMBER_REMOVED = 12;

    /** The project whose state this event updates (the key). */
    public long projectId;
    /** One of the kind constants above. */
    public int kind;
    /**
     * The acting user: the author for {@link #MR_OPENED} (else the actor), the actor of other MR events
     * (the approver for approvals), the note's author, the pusher, the member. Null when unknown.
     */
    public Long userId;

    /** MR events and notes: the MR's per-project iid. */
    public long mrIid;
    /** MR events: the MR's global id. */
    public long mrId;
    /** MR events: who opened the MR; null when unknown. */
    public Long mrAuthorId;
    /** MR events: the source branch; null when unknown. */
    public String sourceBranch;
    /** MR events: the source branch lives in this project (not a fork), so pushes to it join the MR. */
    public boolean sourceInProject;
    /** MR events: current reviewers, sorted ascending; null when the payload does not say. */
    public long[] reviewerIds;
    /** MR events: reviewers before this event when the payload says, sorted ascending; else null. */
    public long[] previousReviewerIds;
    /** MR events: the MR's changed paths when the producer supplies them, sorted, distinct; else null. */
    public String[] changedPaths;

    /** Push: the branch name (without refs/heads/). */
    public String branch;
    /** Push: the branch was created by this push. */
    public boolean branchCreated;
    /** Push: the branch was deleted by this push. */
    public boolean branchDeleted;
    /** Push: commits in the push ({@code total_commits_count}); GitLab lists at most 20 of them. */
    public int totalCommits;
    /** Push: per listed commit, how many of {@link #commitPaths} are its paths. */
    public int[] commitPathCounts;
    /** Push: the listed commits' paths (added, modified, removed), each commit's sorted and distinct, concatenated. */
    public String[] commitPaths;

    /** Membership: GitLab access level (10 guest ... 50 owner); null when the event does not say. */
    public Integer accessLevel;

    public ReviewerInput() {}

    /** Whether this is one of the merge_request.* kinds (not notes). */
    public boolean isMergeRequestEvent() {
        return kind >= MR_OPENED && kind <= MR_REOPENED;
    }

    /** Push: whether GitLab cut the commit list ({@code total_commits_count} above the listed commits). */
    public boolean commitsTruncated() {
        return commitPathCounts != null && totalCommits > commitPathCounts.length;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReviewerInput other)) {
            return false;
        }
        return timeMillis == other.timeMillis
                && projectId == other.projectId
                && kind == other.kind
                && mrIid == other.mrIid
                && mrId == other.mrId
                && sourceInProject == other.sourceInProject
                && branchCreated == other.branchCreated
                && branchDeleted == other.branchDeleted
                && totalCommits == other.totalCommits
                && Objects.equals(eventId, other.eventId)
                && Objects.equals(userId, other.userId)
                && Objects.equals(mrAuthorId, other.mrAuthorId)
                && Objects.equals(sourceBranch, other.sourceBranch)
                && Arrays.equals(reviewerIds, other.reviewerIds)
                && Arrays.equals(previousReviewerIds, other.previousReviewerIds)
                && Arrays.equals(changedPaths, other.changedPaths)
                && Objects.equals(branch, other.branch)
                && Arrays.equals(commitPathCounts, other.commitPathCounts)
                && Arrays.equals(commitPaths, other.commitPaths)
                && Objects.equals(accessLevel, other.accessLevel);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, timeMillis, projectId, kind);
    }

    @Override
    public String toString() {
        return "ReviewerInput{" + eventId + " t=" + timeMillis + " project=" + projectId + " kind=" + kind + " user="
                + userId + (kind == PUSH ? " branch=" + branch : " mr=" + mrIid) + "}";
    }

    @Override
    public long key() {
        return projectId;
    }
}
