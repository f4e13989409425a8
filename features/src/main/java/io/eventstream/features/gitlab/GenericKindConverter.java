package io.eventstream.features.gitlab;

import io.eventstream.features.events.EventType;
import io.eventstream.features.events.GenericData;
import java.time.Instant;
import java.util.List;

/**
 * Kinds no feature reads yet (pipelines, jobs, deployments, releases, wiki pages, feature flags,
 * milestones, access tokens, groups, SSH keys, repository updates, external status checks): a correct
 * type, time and subject, and the key ids in {@link GenericData}. Partition key: the acting user when
 * the body names one, else the subject.
 */
final class GenericKindConverter {
    private GenericKindConverter() {}

    static List<Draft> pipeline(JsonFields body, Instant receivedAt) {
        JsonFields attributes = body.object("object_attributes");
        long pipelineId = attributes.requiredId("id");
        long projectId = projectId(body);
        Long userId = body.object("user").id("id");
        // finished_at dates the final status; created_at the first ones (hooks carry no started_at).
        Instant time = EventTimes.fromPayload(
                attributes.path("created_at"),
                receivedAt,
                attributes.time("finished_at"),
                attributes.time("created_at"));
        GenericData data =
                new GenericData("pipeline", pipelineId, projectId, null, userId, null, attributes.keyword("status"));
        return one(
                EventType.PIPELINE_UPDATED, time, Subjects.inProject(projectId, "pipelines", pipelineId), userId, data);
    }

    /** Job Hook bodies say {@code object_kind: build} (the legacy Build Hook name). */
    static List<Draft> job(JsonFields body, Instant receivedAt) {
        long jobId = body.requiredId("build_id");
        long projectId = projectId(body);
        Long userId = body.object("user").id("id");
        // The newest of the three lifecycle timestamps is the one this status change set.
        Instant time = EventTimes.fromPayload(
                "build_created_at",
                receivedAt,
                body.time("build_finished_at"),
                body.time("build_started_at"),
                body.time("build_created_at"));
        GenericData data = new GenericData("build", jobId, projectId, null, userId, null, body.keyword("build_status"));
        return one(EventType.JOB_UPDATED, time, Subjects.inProject(projectId, "jobs", jobId), userId, data);
    }

    static List<Draft> deployment(JsonFields body, Instant receivedAt) {
        long deploymentId = body.requiredId("deployment_id");
        long projectId = projectId(body);
        Long userId = body.object("user").id("id");
        Instant time = EventTimes.fromPayload("status_changed_at", receivedAt, body.time("status_changed_at"));
        GenericData data =
                new GenericData("deployment", deploymentId, projectId, null, userId, null, body.keyword("status"));
        return one(
                EventType.DEPLOYMENT_UPDATED,
                time,
                Subjects.inProject(projectId, "deployments", deploymentId),
                userId,
                data);
    }

    static List<Draft> release(JsonFields body, Instant receivedAt) {
        String action = Actions.of(body);
        EventType type;
        Instant time;
        if ("create".equals(action)) {
            type = EventType.RELEASE_CREATED;
            time = EventTimes.fromPayload("created_at", receivedAt, body.time("created_at"));
        } else if ("update".equals(action) || "delete".equals(action)) {
            // A release body dates only its creation and release, not later edits or its deletion.
            type = action.equals("update") ? EventType.RELEASE_UPDATED : EventType.RELEASE_DELETED;
            time = EventTimes.received("release " + action, receivedAt);
        } else {
            throw Actions.unsupported("release", action);
        }
        long projectId = projectId(body);
        String tag = body.keyword("tag");
        if (tag == null) {
            throw body.missing("tag");
        }
        Long userId = body.object("user").id("id");
        GenericData data = new GenericData("release", body.id("id"), projectId, null, userId, action, null);
        return one(type, time, Subjects.inProject(projectId, "releases", tag), userId, data);
    }

    static List<Draft> wikiPage(JsonFields body, Instant receivedAt) {
        JsonFields attributes = body.object("object_attributes");
        String action = Actions.of(body);
        EventType type = switch (action == null ? "" : action) {
            case "create" -> EventType.WIKI_PAGE_CREATED;
            case "update" -> EventType.WIKI_PAGE_UPDATED;
            case "delete" -> EventType.WIKI_PAGE_DELETED;
            default -> throw Actions.unsupported("wiki_page", action);
        };
        long projectId = projectId(body);
        String slug = attributes.keyword("slug");
        if (slug == null) {
            throw attributes.missing("slug");
        }
        Long userId = body.object("user").id("id");
        // Wiki page bodies carry no timestamp at all.
        Instant time = EventTimes.received("wiki_page", receivedAt);
        GenericData data = new GenericData("wiki_page", attributes.id("id"), projectId, null, userId, action, null);
        return one(type, time, Subjects.inProject(projectId, "wikis", slug), userId, data);
    }

    static List<Draft> featureFlag(JsonFields body, Instant receivedAt) {
        JsonFields attributes = body.object("object_attributes");
        long flagId = attributes.requiredId("id");
        long projectId = projectId(body);
        Long userId = body.object("user").id("id");
        Boolean active = attributes.bool("active");
        // Feature flag bodies carry no timestamp at all.
        Instant time = EventTimes.received("feature_flag", receivedAt);
        GenericData data = new GenericData(
                "feature_flag",
                flagId,
                projectId,
                null,
                userId,
                null,
                active == null ? null : active ? "active" : "inactive");
        return one(
                EventType.FEATURE_FLAG_UPDATED,
                time,
                Subjects.inProject(projectId, "feature_flags", flagId),
                userId,
                data);
    }

    static List<Draft> milestone(JsonFields body, Instant receivedAt) {
        JsonFields attributes = body.object("object_attributes");
        String action = Actions.of(body);
        EventType type = switch (action == null ? "" : action) {
            case "create" -> EventType.MILESTONE_CREATED;
            case "update" -> EventType.MILESTONE_UPDATED;
            case "close" -> EventType.MILESTONE_CLOSED;
            case "reopen" -> EventType.MILESTONE_REOPENED;
            default -> throw Actions.unsupported("milestone", action);
        };
        Instant time = type == EventType.MILESTONE_CREATED
                ? EventTimes.fromPayload(attributes.path("created_at"), receivedAt, attributes.time("created_at"))
                : EventTimes.fromPayload(attributes.path("updated_at"), receivedAt, attributes.time("updated_at"));
        long milestoneId = attributes.requiredId("id");
        long iid = attributes.requiredId("iid");
        Long projectId = body.object("project").id("id");
        if (projectId == null) {
            projectId = attributes.id("project_id");
        }
        Long groupId = attributes.id("group_id");
        String subject;
        if (projectId != null) {
            subject = Subjects.inProject(projectId, "milestones", iid);
        } else if (groupId != null) {
            subject = Subjects.inGroup(groupId, "milestones", iid);
        } else {
            throw body.missing("project.id");
        }
        Long userId = body.object("user").id("id");
        GenericData data = new GenericData("milestone", milestoneId, projectId, groupId, userId, action, null);
        return one(type, time, subject, userId, data);
    }

    /**
     * Resource Access Token Hook: a project or group token about to expire. The token's own bot user is
     * the entity, so it is the partition key.
     */
    static List<Draft> accessToken(JsonFields body, Instant receivedAt) {
        JsonFields attributes = body.object("object_attributes");
        long tokenId = attributes.requiredId("id");
        Long projectId = body.object("project").id("id");
        Long groupId = projectId == null ? body.object("group").id("group_id") : null;
        String subject;
        if (projectId != null) {
            subject = Subjects.inProject(projectId, "access_tokens", tokenId);
        } else if (groupId != null) {
            subject = Subjects.inGroup(groupId, "access_tokens", tokenId);
        } else {
            throw body.missing("project.id");
        }
        Long userId = attributes.id("user_id");
        // The body dates the token's creation and expiry day, not this notice.
        Instant time = EventTimes.received("access_token", receivedAt);
        GenericData data = new GenericData("access_token", tokenId, projectId, groupId, userId, null, null);
        return one(EventType.ACCESS_TOKEN_EXPIRING, time, subject, userId, data);
    }

    /** group_create/rename/destroy and subgroup_create/destroy (system hooks and group Subgroup Hooks). */
    static List<Draft> group(JsonFields body, String eventName, Instant receivedAt) {
        long groupId = body.requiredId("group_id");
        EventType type;
        Instant time;
        switch (eventName) {
            case "group_create", "subgroup_create" -> {
                type = EventType.GROUP_CREATED;
                time = EventTimes.fromPayload("created_at", receivedAt, body.time("created_at"));
            }
            case "group_rename" -> {
                type = EventType.GROUP_RENAMED;
                time = EventTimes.fromPayload("updated_at", receivedAt, body.time("updated_at"));
            }
            default -> {
                type = EventType.GROUP_REMOVED;
                time = EventTimes.received(eventName, receivedAt);
            }
        }
        GenericData data = new GenericData(eventName, groupId, null, groupId, null, null, null);
        return one(type, time, Subjects.group(groupId), null, data);
    }

    /** key_create/key_destroy: an SSH key added to or removed from an account. */
    static List<Draft> key(JsonFields body, String eventName, Instant receivedAt) {
        long keyId = body.requiredId("id");
        boolean created = eventName.equals("key_create");
        Instant time = created
                ? EventTimes.fromPayload("created_at", receivedAt, body.time("created_at"))
                : EventTimes.received(eventName, receivedAt);
        Long userId = body.id("user_id");
        GenericData data = new GenericData(eventName, keyId, null, null, userId, null, null);
        return one(
                created ? EventType.KEY_CREATED : EventType.KEY_REMOVED,
                time,
                Subjects.global("keys", keyId),
                userId,
                data);
    }

    /** System-hook repository_update: refs changed (its {@code changes} is an array of ref updates). */
    static List<Draft> repositoryUpdate(JsonFields body, Instant receivedAt) {
        long projectId = projectId(body);
        Long userId = body.id("user_id");
        // The body carries no timestamp at all.
        Instant time = EventTimes.received("repository_update", receivedAt);
        GenericData data = new GenericData("repository_update", null, projectId, null, userId, null, null);
        return one(EventType.REPOSITORY_UPDATED, time, Subjects.project(projectId), userId, data);
    }

    /**
     * The body GitLab posts to an external status check service: a merge-request body plus
     * {@code external_approval_rule}. The merge request's {@code updated_at} is when the check was requested.
     */
    static List<Draft> externalStatusCheck(JsonFields body, Instant receivedAt) {
        JsonFields attributes = body.object("object_attributes");
        long projectId = MergeRequestConverter.projectId(body, attributes);
        long iid = attributes.requiredId("iid");
        Long userId = body.object("user").id("id");
        Instant time = EventTimes.fromPayload(attributes.path("updated_at"), receivedAt, attributes.time("updated_at"));
        GenericData data = new GenericData(
                "merge_request", attributes.requiredId("id"), projectId, null, userId, Actions.of(body), null);
        return one(
                EventType.EXTERNAL_STATUS_CHECK_REQUESTED,
                time,
                Subjects.inProject(projectId, "merge_requests", iid),
                userId,
                data);
    }

    /** {@code project.id}, else the top-level {@code project_id} (job and system-hook bodies). */
    private static long projectId(JsonFields body) {
        Long projectId = body.object("project").id("id");
        if (projectId == null) {
            projectId = body.id("project_id");
        }
        if (projectId == null) {
            throw body.missing("project.id");
        }
        return projectId;
    }

    private static List<Draft> one(EventType type, Instant time, String subject, Long actorId, GenericData data) {
        return List.of(Draft.of(type, time, subject, actorId, data));
    }
}
