package io.eventstream.features.events;

/**
 * The key ids of GitLab kinds that no feature reads yet (pipelines, jobs, deployments, releases,
 * wiki pages, feature flags, milestones, access tokens, groups, keys, repository updates). They
 * become canonical events with a correct type, time and subject so they can be archived and
 * typed later without replaying webhooks.
 *
 * @param objectKind  GitLab's {@code object_kind} or {@code event_name}
 * @param objectId    id of the object (pipeline id, job id, release id, ...)
 * @param projectId   project, when the payload has one
 * @param groupId     group, when the payload has one
 * @param userId      the acting user, when the payload has one
 * @param action      GitLab's action, when present
 * @param status      GitLab's status, when present (pipelines, jobs, deployments)
 */
public record GenericData(
        String objectKind, Long objectId, Long projectId, Long groupId, Long userId, String action, String status)
        implements EventData {}
