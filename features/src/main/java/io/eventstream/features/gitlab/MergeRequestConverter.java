package io.eventstream.features.gitlab;

import io.eventstream.features.events.EventType;
import io.eventstream.features.events.MergeRequestData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code object_kind: merge_request} (Merge Request Hook, and the same body under System Hook) to
 * {@code com.gitlab.merge_request.<action>}, plus {@code com.gitlab.merge_request.reviewers_changed}
 * when the body's {@code changes.reviewers} says the reviewers changed.
 */
final class MergeRequestConverter {
    private MergeRequestConverter() {}

    static List<Draft> convert(JsonFields body, Instant receivedAt) {
        JsonFields attributes = body.object("object_attributes");
        if (!attributes.isPresent()) {
            throw body.missing("object_attributes");
        }
        String action = Actions.of(body);
        EventType type = typeOf(action);
        long projectId = projectId(body, attributes);
        long iid = attributes.requiredId("iid");
        Long authorId = attributes.id("author_id");
        Long actorId = body.object("user").id("id");
        if (actorId == null && type == EventType.MERGE_REQUEST_OPENED) {
            // Older bodies have no user.id; whoever opens a merge request is its author.
            actorId = authorId;
        }
        Instant time = type == EventType.MERGE_REQUEST_OPENED
                ? EventTimes.fromPayload(attributes.path("created_at"), receivedAt, attributes.time("created_at"))
                : EventTimes.fromPayload(attributes.path("updated_at"), receivedAt, attributes.time("updated_at"));
        String subject = Subjects.inProject(projectId, "merge_requests", iid);

        JsonFields reviewersChange = body.changes().object("reviewers");
        List<Long> previousReviewers = reviewersChange.isPresent() ? reviewersChange.userIds("previous") : null;
        List<Long> reviewers =
                attributes.isArray("reviewer_ids") ? attributes.ids("reviewer_ids") : body.userIds("reviewers");
        Boolean draft = attributes.bool("draft");
        MergeRequestData data = new MergeRequestData(
                projectId,
                attributes.requiredId("id"),
                iid,
                authorId,
                actorId,
                attributes.text("title"),
                attributes.text("description"),
                attributes.keyword("state"),
                attributes.id("source_project_id"),
                attributes.keyword("source_branch"),
                attributes.keyword("target_branch"),
                draft != null ? draft : attributes.flag("work_in_progress"),
                reviewers,
                previousReviewers,
                assigneeIds(body, attributes),
                null);

        List<Draft> drafts = new ArrayList<>(2);
        drafts.add(Draft.of(type, time, subject, actorId, data));
        if (reviewersChange.isPresent()) {
            List<Long> currentReviewers =
                    reviewersChange.has("current") ? reviewersChange.userIds("current") : reviewers;
            MergeRequestData change = new MergeRequestData(
                    data.projectId(),
                    data.mergeRequestId(),
                    data.iid(),
                    data.authorId(),
                    data.actorId(),
                    data.title(),
                    data.description(),
                    data.state(),
                    data.sourceProjectId(),
                    data.sourceBranch(),
                    data.targetBranch(),
                    data.draft(),
                    currentReviewers,
                    previousReviewers,
                    data.assigneeIds(),
                    null);
            drafts.add(Draft.of(EventType.MERGE_REQUEST_REVIEWERS_CHANGED, time, subject, actorId, change));
        }
        return drafts;
    }

    private static EventType typeOf(String action) {
        if (action == null) {
            throw Actions.unsupported("merge_request", null);
        }
        return switch (action) {
            case "open" -> EventType.MERGE_REQUEST_OPENED;
            case "update" -> EventType.MERGE_REQUEST_UPDATED;
            case "close" -> EventType.MERGE_REQUEST_CLOSED;
            case "reopen" -> EventType.MERGE_REQUEST_REOPENED;
            case "merge" -> EventType.MERGE_REQUEST_MERGED;
            case "approved" -> EventType.MERGE_REQUEST_APPROVED;
            case "unapproved" -> EventType.MERGE_REQUEST_UNAPPROVED;
            case "approval" -> EventType.MERGE_REQUEST_APPROVAL;
            case "unapproval" -> EventType.MERGE_REQUEST_UNAPPROVAL;
            default -> throw Actions.unsupported("merge_request", action);
        };
    }

    /** {@code project.id}, else the target project: system-hook and group-hook bodies omit the project id. */
    static long projectId(JsonFields body, JsonFields attributes) {
        Long projectId = body.object("project").id("id");
        if (projectId == null) {
            projectId = attributes.id("target_project_id");
        }
        if (projectId == null) {
            throw body.missing("project.id");
        }
        return projectId;
    }

    /** {@code assignee_ids} when sent (even empty), else the single {@code assignee_id}, else {@code assignees[].id}. */
    static List<Long> assigneeIds(JsonFields body, JsonFields attributes) {
        if (attributes.isArray("assignee_ids")) {
            return attributes.ids("assignee_ids");
        }
        Long single = attributes.id("assignee_id");
        if (single != null) {
            return List.of(single);
        }
        return body.userIds("assignees");
    }
}
