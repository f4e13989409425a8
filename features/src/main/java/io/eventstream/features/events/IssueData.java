package io.eventstream.features.events;

import static io.eventstream.features.events.Personal.Kind.TEXT;

import java.util.List;

/**
 * {@code com.gitlab.issue.opened|updated|closed|reopened}, work items included.
 *
 * @param projectId     null for group-level work items (epics)
 * @param groupId       set for group-level work items
 * @param issueId       global id
 * @param iid           per-project id
 * @param authorId      who created the issue
 * @param actorId       who did this action (the hook's {@code user.id}); null when missing
 * @param title         text
 * @param description   text; null when empty or absent
 * @param state         {@code opened}, {@code closed}
 * @param confidential  whether the issue is confidential
 * @param workItemType  {@code Issue}, {@code Task}, {@code Incident}, {@code Epic}, ...
 * @param assigneeIds   current assignees
 * @param labels        label titles
 */
public record IssueData(
        Long projectId,
        Long groupId,
        long issueId,
        long iid,
        Long authorId,
        Long actorId,
        @Personal(TEXT) String title,
        @Personal(TEXT) String description,
        String state,
        boolean confidential,
        String workItemType,
        List<Long> assigneeIds,
        List<String> labels)
        implements EventData {}
