package io.eventstream.features.events;

import static io.eventstream.features.events.Personal.Kind.IDENTITY;

/**
 * {@code com.gitlab.user.*}: sign-up, removal, rename, block, failed login.
 *
 * @param userId            GitLab user id
 * @param username          current username
 * @param previousUsername  username before a rename, else null
 * @param name              display name
 * @param email             primary email; null when GitLab sent {@code [REDACTED]} or nothing
 * @param state             account state when known ({@code active}, {@code blocked}, ...)
 * @param twoFactorEnabled  null when the payload does not say
 * @param emailVerified     null when the payload does not say
 */
public record UserData(
        long userId,
        @Personal(IDENTITY) String username,
        @Personal(IDENTITY) String previousUsername,
        @Personal(IDENTITY) String name,
        @Personal(IDENTITY) String email,
        String state,
        Boolean twoFactorEnabled,
        Boolean emailVerified)
        implements EventData {}
