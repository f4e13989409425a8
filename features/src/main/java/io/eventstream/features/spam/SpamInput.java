package io.eventstream.features.spam;

import io.eventstream.features.events.OrderedInput;
import java.util.Objects;

/**
 * One event relevant to a user's spam features, reduced to what the features need: a flat Flink
 * POJO (public no-arg constructor, public fields of primitive, boxed or String type only) so Flink
 * serializes it without Kryo. Text never reaches it: content arrives as lengths, counts, ratios
 * and a 64-bit hash of the normalized text; an email arrives as a domain class and a keyed hash.
 *
 * <p>Made by {@link SpamInputs#from}. Keyed by {@link #userId}; applied in {@code (timeMillis, eventId)}
 * order ({@link OrderedInput#compareOrder}).
 */
public class SpamInput extends OrderedInput {
    /** {@code com.gitlab.issue.opened}: content. */
    public static final int ISSUE_OPENED = 1;
    /** {@code com.gitlab.note.created} (not system notes): content. */
    public static final int NOTE_CREATED = 2;
    /** {@code com.gitlab.merge_request.opened}: content. */
    public static final int MERGE_REQUEST_OPENED = 3;
    /** {@code com.gitlab.user.created}: sign-up time and email domain. */
    public static final int USER_CREATED = 4;
    /** {@code com.gitlab.member.added|updated} with project scope: the user is a member of {@link #projectId}. */
    public static final int MEMBER_ADDED = 5;
    /** {@code com.gitlab.member.removed} with project scope. */
    public static final int MEMBER_REMOVED = 6;
    /** {@code com.gitlab.spam.verdict} with verdict DISALLOW or BLOCK about the user's content. */
    public static final int SPAM_VERDICT = 7;
    /**
     * {@code com.gitlab.issue.closed} (user = the issue's author, else the actor): made only when an
     * enabled feature reads it ({@link SpamInputs}), so it does not keep states alive otherwise.
     */
    public static final int ISSUE_CLOSED = 8;

    /** The user whose state this event updates (the key). */
    public long userId;
    /** One of the kind constants above. */
    public int kind;
    /** The content's project, or the membership's project; null when the event has none. */
    public Long projectId;
    /** Notes only: {@code Issue}, {@code MergeRequest}, {@code Commit}, {@code Snippet}; else null. */
    public String noteableType;

    /** Content: code points of the body (note body, issue/MR description; 0 when empty). */
    public int textLength;
    /** Content: code points of the title; null for notes, which have none. */
    public Integer titleLength;
    /** Content: http(s) links in title and body. */
    public int linkCount;
    /** Content: links whose host is not the GitLab instance (nor a subdomain of it). */
    public int externalLinkCount;
    /** Content: {@code @name} mentions. */
    public int mentionCount;
    /** Content: uppercase letters / letters in title and body; 0 when there are no letters. */
    public double uppercaseRatio;
    /** Content: the body has a fenced code block. */
    public boolean hasCodeBlock;
    /** Content: 64-bit hash of the normalized title and body (lowercased, whitespace collapsed). */
    public long textHash;

    /** Sign-up: {@link EmailDomainClass#value()} of the email's domain. */
    public String emailDomainClass;
    /** Sign-up: keyed hash (HMAC-SHA256, 16 hex chars) of the email's domain; null when no domain. */
    public String emailDomainHash;

    public SpamInput() {}

    public boolean isContent() {
        return kind == ISSUE_OPENED || kind == NOTE_CREATED || kind == MERGE_REQUEST_OPENED;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SpamInput other)) {
            return false;
        }
        return timeMillis == other.timeMillis
                && userId == other.userId
                && kind == other.kind
                && textLength == other.textLength
                && linkCount == other.linkCount
                && externalLinkCount == other.externalLinkCount
                && mentionCount == other.mentionCount
                && Double.compare(uppercaseRatio, other.uppercaseRatio) == 0
                && hasCodeBlock == other.hasCodeBlock
                && textHash == other.textHash
                && Objects.equals(eventId, other.eventId)
                && Objects.equals(projectId, other.projectId)
                && Objects.equals(noteableType, other.noteableType)
                && Objects.equals(titleLength, other.titleLength)
                && Objects.equals(emailDomainClass, other.emailDomainClass)
                && Objects.equals(emailDomainHash, other.emailDomainHash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, timeMillis, userId, kind);
    }

    @Override
    public String toString() {
        return "SpamInput{" + eventId + " t=" + timeMillis + " user=" + userId + " kind=" + kind + " project="
                + projectId + "}";
    }

    @Override
    public long key() {
        return userId;
    }
}
