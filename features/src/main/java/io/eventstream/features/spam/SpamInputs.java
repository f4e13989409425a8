package io.eventstream.features.spam;

import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.IssueData;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.events.SpamVerdictData;
import io.eventstream.features.events.UserData;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns canonical events into {@link SpamInput}s, dropping text and emails on the way.
 *
 * <p>Relevant events (everything else gives null):
 * <ul>
 *   <li>{@code issue.opened} (user = author, else actor), {@code note.created} (user = author; GitLab's
 *       system notes are not user content and are skipped), {@code merge_request.opened} (user = author,
 *       else actor): content events;</li>
 *   <li>{@code user.created}: sign-up time = event time, email domain class and keyed hash;</li>
 *   <li>{@code member.added|updated|removed} with project scope (group memberships are skipped: the
 *       job does not know which projects a group holds);</li>
 *   <li>{@code spam.verdict} with verdict DISALLOW or BLOCK (user = the content's author).</li>
 * </ul>
 *
 * <p>Not thread-safe (it holds a {@link Mac}): build one per operator instance, in {@code open()}.
 */
public final class SpamInputs {
    private static final int HASH_HEX_CHARS = 16;

    private final ContentText text;
    private final EmailDomains domains;
    private final Mac mac;
    private final boolean readsIssueClosed;

    /**
     * With the configured GitLab host and the resolved hash key ({@link SpamJobConfig#resolveHashKey});
     * optional inputs as the configuration's enabled features read them.
     */
    public SpamInputs(SpamJobConfig config, byte[] hashKey) {
        this(config.gitlabHost(), hashKey, EmailDomains.shipped(), SpamFeatureSpec.kindsRead(config));
    }

    /** Without optional inputs (those of the default features only). */
    public SpamInputs(String gitlabHost, byte[] hashKey, EmailDomains domains) {
        this(gitlabHost, hashKey, domains, 0);
    }

    /** {@code kindsRead}: kinds features read ({@link SpamFeatureSpec#kinds}); decides the optional inputs. */
    public SpamInputs(String gitlabHost, byte[] hashKey, EmailDomains domains, long kindsRead) {
        this.text = new ContentText(gitlabHost);
        this.domains = domains;
        this.mac = hmac(hashKey);
        this.readsIssueClosed = (kindsRead & SpamFeatureSpec.kinds(SpamInput.ISSUE_CLOSED)) != 0;
    }

    /** The input for a relevant event, or null when the event does not concern spam features. */
    public SpamInput from(CloudEvent event) {
        return switch (event.type()) {
            case ISSUE_OPENED -> issue(event, event.dataAs(IssueData.class));
            case NOTE_CREATED -> note(event, event.dataAs(NoteData.class));
            case MERGE_REQUEST_OPENED -> mergeRequest(event, event.dataAs(MergeRequestData.class));
            case USER_CREATED -> userCreated(event, event.dataAs(UserData.class));
            case MEMBER_ADDED, MEMBER_UPDATED -> member(event, event.dataAs(MemberData.class), SpamInput.MEMBER_ADDED);
            case MEMBER_REMOVED -> member(event, event.dataAs(MemberData.class), SpamInput.MEMBER_REMOVED);
            case SPAM_VERDICT -> verdict(event, event.dataAs(SpamVerdictData.class));
            case ISSUE_CLOSED -> readsIssueClosed ? issueClosed(event, event.dataAs(IssueData.class)) : null;
            default -> null;
        };
    }

    /** The keyed hash of an email domain: HMAC-SHA256 with the configured key, first 16 hex characters. */
    public String domainHash(String domain) {
        byte[] digest = mac.doFinal(domain.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, HASH_HEX_CHARS / 2);
    }

    private SpamInput issue(CloudEvent event, IssueData data) {
        Long user = data.authorId() != null ? data.authorId() : data.actorId();
        if (user == null) {
            return null;
        }
        SpamInput input = base(event, user, SpamInput.ISSUE_OPENED);
        input.projectId = data.projectId();
        text.analyze(data.title() == null ? "" : data.title(), data.description(), input);
        return input;
    }

    private static SpamInput issueClosed(CloudEvent event, IssueData data) {
        Long user = data.authorId() != null ? data.authorId() : data.actorId();
        if (user == null) {
            return null;
        }
        SpamInput input = base(event, user, SpamInput.ISSUE_CLOSED);
        input.projectId = data.projectId();
        return input;
    }

    private SpamInput note(CloudEvent event, NoteData data) {
        if (data.system()) {
            return null;
        }
        SpamInput input = base(event, data.authorId(), SpamInput.NOTE_CREATED);
        input.projectId = data.projectId();
        input.noteableType = data.noteableType();
        text.analyze(null, data.body(), input);
        return input;
    }

    private SpamInput mergeRequest(CloudEvent event, MergeRequestData data) {
        Long user = data.authorId() != null ? data.authorId() : data.actorId();
        if (user == null) {
            return null;
        }
        SpamInput input = base(event, user, SpamInput.MERGE_REQUEST_OPENED);
        input.projectId = data.projectId();
        text.analyze(data.title() == null ? "" : data.title(), data.description(), input);
        return input;
    }

    private SpamInput userCreated(CloudEvent event, UserData data) {
        SpamInput input = base(event, data.userId(), SpamInput.USER_CREATED);
        String domain = EmailDomains.domainOf(data.email());
        input.emailDomainClass = domains.classify(domain).value();
        input.emailDomainHash = domain == null ? null : domainHash(domain);
        return input;
    }

    private static SpamInput member(CloudEvent event, MemberData data, int kind) {
        if (!MemberData.PROJECT.equals(data.scope()) || data.projectId() == null) {
            return null;
        }
        SpamInput input = base(event, data.userId(), kind);
        input.projectId = data.projectId();
        return input;
    }

    private static SpamInput verdict(CloudEvent event, SpamVerdictData data) {
        if (data.verdict() == null || !data.verdict().isSpam()) {
            return null;
        }
        return base(event, data.userId(), SpamInput.SPAM_VERDICT);
    }

    private static SpamInput base(CloudEvent event, long userId, int kind) {
        SpamInput input = new SpamInput();
        input.eventId = event.id();
        input.timeMillis = event.timeMillis();
        input.userId = userId;
        input.kind = kind;
        return input;
    }

    private static Mac hmac(byte[] key) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("the email-domain hash key must not be empty");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }
}
