package io.eventstream.features.events;

/**
 * {@code com.gitlab.spam.verdict}: our own label-bearing type, emitted by the spam checker or a
 * moderator for a piece of content.
 *
 * @param userId         the content's author
 * @param targetType     {@code Issue}, {@code Note}, {@code MergeRequest}, {@code Snippet}, ...
 * @param targetId       id of the content
 * @param targetEventId  CloudEvent id of the event that created the content, when known
 * @param verdict        the verdict
 * @param source         who decided: {@code spamcheck}, {@code akismet}, {@code moderator}, ...
 */
public record SpamVerdictData(
        long userId, String targetType, Long targetId, String targetEventId, Verdict verdict, String source)
        implements EventData {

    /** The verdicts of GitLab's spam checker; DISALLOW and BLOCK count as spam. */
    public enum Verdict {
        ALLOW,
        CONDITIONAL_ALLOW,
        DISALLOW,
        BLOCK,
        NOOP;

        public boolean isSpam() {
            return this == DISALLOW || this == BLOCK;
        }
    }
}
