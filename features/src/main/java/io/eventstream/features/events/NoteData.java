package io.eventstream.features.events;

import static io.eventstream.features.events.Personal.Kind.TEXT;

/**
 * {@code com.gitlab.note.created|updated}: a comment on an issue, merge request, commit or snippet.
 *
 * @param projectId      project of the noteable; null when missing
 * @param noteId         note id
 * @param authorId       who wrote it
 * @param noteableType   {@code Issue}, {@code MergeRequest}, {@code Commit}, {@code Snippet}
 * @param noteableId     global id of the issue / MR / snippet; null for commits
 * @param noteableIid    per-project iid of the issue / MR; null otherwise
 * @param commitId       commit SHA for commit notes
 * @param body           text
 * @param system         GitLab-generated system note
 * @param internal       internal (confidential) note
 * @param diffPosition   set for diff notes (review comments on a line)
 */
public record NoteData(
        Long projectId,
        long noteId,
        long authorId,
        String noteableType,
        Long noteableId,
        Long noteableIid,
        String commitId,
        @Personal(TEXT) String body,
        boolean system,
        boolean internal,
        DiffPosition diffPosition)
        implements EventData {

    public static final String ISSUE = "Issue";
    public static final String MERGE_REQUEST = "MergeRequest";
    public static final String COMMIT = "Commit";
    public static final String SNIPPET = "Snippet";
}
