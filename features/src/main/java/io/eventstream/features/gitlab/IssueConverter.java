package io.eventstream.features.gitlab;

import io.eventstream.features.events.EventType;
import io.eventstream.features.events.IssueData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code object_kind: issue} and {@code work_item} (both under Issue Hook) to {@code com.gitlab.issue.<action>}. */
final class IssueConverter {
    private IssueConverter() {}

    static List<Draft> convert(JsonFields body, String objectKind, Instant receivedAt) {
        JsonFields attributes = body.object("object_attributes");
        if (!attributes.isPresent()) {
            throw body.missing("object_attributes");
        }
        String action = Actions.of(body);
        EventType type = typeOf(objectKind, action);
        Long projectId = body.object("project").id("id");
        if (projectId == null) {
            projectId = attributes.id("project_id");
        }
        // Group-level work items (epics) have no project; newer bodies name their namespace.
        Long groupId = projectId == null ? attributes.id("namespace_id") : null;
        long issueId = attributes.requiredId("id");
        long iid = attributes.requiredId("iid");
        Long authorId = attributes.id("author_id");
        Long actorId = body.object("user").id("id");
        if (actorId == null && type == EventType.ISSUE_OPENED) {
            // Older bodies have no user.id; whoever opens an issue is its author.
            actorId = authorId;
        }
        Instant time = switch (type) {
            case ISSUE_OPENED ->
                EventTimes.fromPayload(attributes.path("created_at"), receivedAt, attributes.time("created_at"));
            case ISSUE_CLOSED ->
                EventTimes.fromPayload(
                        attributes.path("closed_at"),
                        receivedAt,
                        attributes.time("closed_at"),
                        attributes.time("updated_at"));
            default -> EventTimes.fromPayload(attributes.path("updated_at"), receivedAt, attributes.time("updated_at"));
        };
        String subject = projectId != null
                ? Subjects.inProject(projectId, "issues", iid)
                : groupId != null
                        ? Subjects.inGroup(groupId, "work_items", iid)
                        : Subjects.global("work_items", issueId);
        IssueData data = new IssueData(
                projectId,
                groupId,
                issueId,
                iid,
                authorId,
                actorId,
                attributes.text("title"),
                attributes.text("description"),
                attributes.keyword("state"),
                attributes.flag("confidential"),
                workItemType(objectKind, attributes),
                MergeRequestConverter.assigneeIds(body, attributes),
                labels(body, attributes));
        return List.of(Draft.of(type, time, subject, actorId, data));
    }

    private static EventType typeOf(String objectKind, String action) {
        if (action == null) {
            throw Actions.unsupported(objectKind, null);
        }
        return switch (action) {
            case "open" -> EventType.ISSUE_OPENED;
            case "update" -> EventType.ISSUE_UPDATED;
            case "close" -> EventType.ISSUE_CLOSED;
            case "reopen" -> EventType.ISSUE_REOPENED;
            default -> throw Actions.unsupported(objectKind, action);
        };
    }

    /** Work items say {@code type: Task|Epic|...}; plain issue bodies say nothing, or {@code issue_type: incident}. */
    private static String workItemType(String objectKind, JsonFields attributes) {
        String type = attributes.keyword("type");
        if (type != null) {
            return type;
        }
        String issueType = attributes.keyword("issue_type");
        if (issueType != null) {
            return Character.toUpperCase(issueType.charAt(0)) + issueType.substring(1);
        }
        return "issue".equals(objectKind) ? "Issue" : null;
    }

    /** Label titles: {@code object_attributes.labels} in newer bodies, top-level {@code labels} in all. */
    private static List<String> labels(JsonFields body, JsonFields attributes) {
        List<JsonFields> labels = attributes.isArray("labels") ? attributes.objects("labels") : body.objects("labels");
        List<String> titles = new ArrayList<>(labels.size());
        for (JsonFields label : labels) {
            String title = label.text("title");
            if (title != null) {
                titles.add(title);
            }
        }
        return titles;
    }
}
