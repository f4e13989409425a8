package io.eventstream.features.events;

/**
 * {@code com.gitlab.emoji.awarded|revoked}.
 *
 * @param projectId      project of the awardable; null when missing
 * @param userId         who awarded
 * @param awardId        the award's id
 * @param name           emoji name, e.g. {@code thumbsup}
 * @param awardableType  {@code Issue}, {@code MergeRequest}, {@code Note}, {@code Snippet}, ...
 * @param awardableId    id of the awarded object
 */
public record EmojiData(Long projectId, long userId, Long awardId, String name, String awardableType, Long awardableId)
        implements EventData {}
