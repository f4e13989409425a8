package io.eventstream.features.events;

import java.util.List;

/**
 * {@code com.gitlab.push} and {@code com.gitlab.tag_push}.
 *
 * @param projectId          project pushed to
 * @param userId             the pusher
 * @param ref                full ref, e.g. {@code refs/heads/main}
 * @param branch             branch or tag name without the {@code refs/heads/} or {@code refs/tags/} prefix
 * @param before             SHA before (40 zeros when the ref was created)
 * @param after              SHA after (40 zeros when the ref was deleted)
 * @param created            the ref did not exist before this push
 * @param deleted            the ref was deleted by this push
 * @param totalCommitsCount  commits in the push; GitLab lists at most 20 of them in {@code commits}
 * @param commits            the listed commits, oldest first as GitLab sends them
 */
public record PushData(
        long projectId,
        Long userId,
        String ref,
        String branch,
        String before,
        String after,
        boolean created,
        boolean deleted,
        int totalCommitsCount,
        List<CommitData> commits)
        implements EventData {}
