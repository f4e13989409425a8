package io.eventstream.features.gitlab;

import io.eventstream.features.events.EmojiData;
import io.eventstream.features.events.EventType;
import java.time.Instant;
import java.util.List;

/** {@code object_kind: emoji} (Emoji Hook) to {@code com.gitlab.emoji.awarded|revoked}. */
final class EmojiConverter {
    private EmojiConverter() {}

    static List<Draft> convert(JsonFields body, Instant receivedAt) {
        JsonFields attributes = body.object("object_attributes");
        if (!attributes.isPresent()) {
            throw body.missing("object_attributes");
        }
        // Real deliveries say award/revoke in event_type and have no object_attributes.action.
        String action = body.keyword("event_type");
        if (action == null || action.equals("emoji")) {
            action = Actions.of(body);
        }
        EventType type;
        Instant time;
        if ("award".equals(action)) {
            type = EventType.EMOJI_AWARDED;
            time = EventTimes.fromPayload(attributes.path("created_at"), receivedAt, attributes.time("created_at"));
        } else if ("revoke".equals(action)) {
            // The body describes the award that was removed; nothing in it dates the removal.
            type = EventType.EMOJI_REVOKED;
            time = EventTimes.received("emoji revoke", receivedAt);
        } else {
            throw Actions.unsupported("emoji", action);
        }
        Long projectId = body.object("project").id("id");
        if (projectId == null) {
            projectId = body.id("project_id");
        }
        Long userId = attributes.id("user_id");
        if (userId == null) {
            userId = body.object("user").id("id");
        }
        if (userId == null) {
            throw attributes.missing("user_id");
        }
        Long awardId = attributes.id("id");
        String awardableType = attributes.keyword("awardable_type");
        Long awardableId = attributes.id("awardable_id");
        EmojiData data =
                new EmojiData(projectId, userId, awardId, attributes.keyword("name"), awardableType, awardableId);
        return List.of(
                Draft.of(type, time, subject(body, projectId, awardableType, awardableId, awardId), userId, data));
    }

    /** The awarded object when the body identifies it, else the award itself. */
    private static String subject(
            JsonFields body, Long projectId, String awardableType, Long awardableId, Long awardId) {
        if (projectId != null && awardableType != null) {
            Long iid = switch (awardableType) {
                case "MergeRequest" -> body.object("merge_request").id("iid");
                case "Issue" -> body.object("issue").id("iid");
                default -> null;
            };
            if (iid != null) {
                return Subjects.inProject(projectId, awardableType.equals("Issue") ? "issues" : "merge_requests", iid);
            }
            if (awardableId != null && (awardableType.equals("Note") || awardableType.equals("Snippet"))) {
                return Subjects.inProject(projectId, awardableType.equals("Note") ? "notes" : "snippets", awardableId);
            }
        }
        if (awardId == null) {
            throw body.object("object_attributes").missing("id");
        }
        return projectId != null
                ? Subjects.inProject(projectId, "award_emoji", awardId)
                : Subjects.global("award_emoji", awardId);
    }
}
