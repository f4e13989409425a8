package io.eventstream.features.events;

/**
 * {@code com.gitlab.member.*}: a user added to, updated in or removed from a project (team) or group.
 *
 * @param userId       the member
 * @param scope        {@code project} or {@code group}
 * @param projectId    set when scope is project
 * @param groupId      set when scope is group
 * @param accessLevel  GitLab access level number (10 guest, 20 reporter, 30 developer, 40 maintainer, 50 owner); null when removed and unknown
 * @param expiresAt    membership expiry as epoch millis UTC, null when none
 */
public record MemberData(long userId, String scope, Long projectId, Long groupId, Integer accessLevel, Long expiresAt)
        implements EventData {

    public static final String PROJECT = "project";
    public static final String GROUP = "group";
}
