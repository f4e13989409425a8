package io.eventstream.features.gitlab;

import io.eventstream.features.events.EventType;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.ProjectData;
import io.eventstream.features.events.UserData;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * System-hook bodies identified by {@code event_name} alone: user lifecycle, project and group
 * membership (also sent by group Member Hooks), project creation and transfer.
 */
final class SystemHookConverter {
    private SystemHookConverter() {}

    static List<Draft> user(JsonFields body, String eventName, Instant receivedAt) {
        EventType type;
        Instant time;
        switch (eventName) {
            case "user_create" -> {
                type = EventType.USER_CREATED;
                time = EventTimes.fromPayload("created_at", receivedAt, body.time("created_at"));
            }
            case "user_destroy" -> {
                // created_at/updated_at describe the account, not its removal.
                type = EventType.USER_REMOVED;
                time = EventTimes.received(eventName, receivedAt);
            }
            case "user_rename", "user_block", "user_failed_login" -> {
                type = switch (eventName) {
                    case "user_rename" -> EventType.USER_RENAMED;
                    case "user_block" -> EventType.USER_BLOCKED;
                    default -> EventType.USER_FAILED_LOGIN;
                };
                // Renaming, blocking and counting a failed attempt all touch the account row.
                time = EventTimes.fromPayload("updated_at", receivedAt, body.time("updated_at"));
            }
            default -> throw new IllegalArgumentException(eventName);
        }
        long userId = body.requiredId("user_id");
        String state = body.keyword("state");
        if (state == null && type == EventType.USER_BLOCKED) {
            state = "blocked";
        }
        UserData data = new UserData(
                userId,
                body.keyword("username"),
                body.keyword("old_username"),
                body.text("name"),
                body.email("email"),
                state,
                null,
                null);
        return List.of(Draft.of(type, time, Subjects.user(userId), userId, data));
    }

    static List<Draft> member(JsonFields body, String eventName, Instant receivedAt) {
        boolean group = eventName.endsWith("_group");
        EventType type;
        Instant time;
        if (eventName.startsWith("user_add_to_")) {
            type = EventType.MEMBER_ADDED;
            time = EventTimes.fromPayload("created_at", receivedAt, body.time("created_at"));
        } else if (eventName.startsWith("user_update_for_")) {
            type = EventType.MEMBER_UPDATED;
            time = EventTimes.fromPayload("updated_at", receivedAt, body.time("updated_at"));
        } else {
            // created_at/updated_at describe the membership that is gone, not its removal.
            type = EventType.MEMBER_REMOVED;
            time = EventTimes.received(eventName, receivedAt);
        }
        long userId = body.requiredId("user_id");
        Long projectId = group ? null : body.requiredId("project_id");
        Long groupId = group ? body.requiredId("group_id") : null;
        String accessField = group ? "group_access" : body.has("access_level") ? "access_level" : "project_access";
        Instant expiresAt = body.time("expires_at");
        MemberData data = new MemberData(
                userId,
                group ? MemberData.GROUP : MemberData.PROJECT,
                projectId,
                groupId,
                accessLevel(body, accessField),
                expiresAt == null ? null : expiresAt.toEpochMilli());
        String subject =
                group ? Subjects.inGroup(groupId, "members", userId) : Subjects.inProject(projectId, "members", userId);
        return List.of(Draft.of(type, time, subject, userId, data));
    }

    static List<Draft> project(JsonFields body, String eventName, Instant receivedAt) {
        boolean created = eventName.equals("project_create");
        Instant time = created
                ? EventTimes.fromPayload("created_at", receivedAt, body.time("created_at"))
                : EventTimes.fromPayload("updated_at", receivedAt, body.time("updated_at"));
        long projectId = body.requiredId("project_id");
        String visibility = visibility(
                body.has("project_visibility") ? body.keyword("project_visibility") : body.keyword("visibility_level"));
        ProjectData data = new ProjectData(
                projectId,
                body.id("namespace_id"),
                body.keyword("path_with_namespace"),
                body.keyword("old_path_with_namespace"),
                visibility,
                body.id("owner_id"));
        String subject = Subjects.project(projectId);
        return List.of(Draft.of(
                created ? EventType.PROJECT_CREATED : EventType.PROJECT_TRANSFERRED, time, subject, null, data));
    }

    /**
     * GitLab's access level as its number. System hooks send the role name ({@code "Maintainer"}); other
     * bodies the number. An unknown name (a custom role) reads as null rather than failing the event.
     */
    static Integer accessLevel(JsonFields body, String field) {
        if (!body.has(field)) {
            return null;
        }
        if (body.raw(field).isNumber()) {
            return body.integer(field);
        }
        String name = body.keyword(field);
        if (name == null) {
            return null;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "no access" -> 0;
            case "minimal access" -> 5;
            case "guest" -> 10;
            case "planner" -> 15;
            case "reporter" -> 20;
            case "developer" -> 30;
            case "maintainer", "master" -> 40;
            case "owner" -> 50;
            default -> name.chars().allMatch(Character::isDigit) ? body.integer(field) : null;
        };
    }

    /**
     * {@code private|internal|public} from a level number (0/10/20), a name, or the
     * {@code "visibilitylevel|private"} form some system hooks send; null when none of these.
     */
    static String visibility(String value) {
        if (value == null) {
            return null;
        }
        String name = value.substring(value.lastIndexOf('|') + 1).strip().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "0", "private" -> "private";
            case "10", "internal" -> "internal";
            case "20", "public" -> "public";
            default -> null;
        };
    }
}
