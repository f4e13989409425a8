package io.eventstream.features.events;

/**
 * {@code com.gitlab.project.created|transferred}.
 *
 * @param projectId                   GitLab project id
 * @param namespaceId                 owning namespace when known
 * @param pathWithNamespace           e.g. {@code group/project}
 * @param previousPathWithNamespace   before a transfer, else null
 * @param visibility                  {@code private}, {@code internal}, {@code public}, or null
 * @param ownerId                     the owner user when the payload names one
 */
public record ProjectData(
        long projectId,
        Long namespaceId,
        String pathWithNamespace,
        String previousPathWithNamespace,
        String visibility,
        Long ownerId)
        implements EventData {}
