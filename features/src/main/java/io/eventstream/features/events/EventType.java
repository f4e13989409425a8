package io.eventstream.features.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every canonical event type: its CloudEvents {@code type} string and the record its {@code data}
 * binds to. The JSON Schema of a type is {@code schemas/<type>.json} on the classpath.
 */
public enum EventType {
    USER_CREATED("com.gitlab.user.created", UserData.class),
    USER_REMOVED("com.gitlab.user.removed", UserData.class),
    USER_RENAMED("com.gitlab.user.renamed", UserData.class),
    USER_BLOCKED("com.gitlab.user.blocked", UserData.class),
    USER_FAILED_LOGIN("com.gitlab.user.failed_login", UserData.class),

    MEMBER_ADDED("com.gitlab.member.added", MemberData.class),
    MEMBER_UPDATED("com.gitlab.member.updated", MemberData.class),
    MEMBER_REMOVED("com.gitlab.member.removed", MemberData.class),

    PROJECT_CREATED("com.gitlab.project.created", ProjectData.class),
    PROJECT_TRANSFERRED("com.gitlab.project.transferred", ProjectData.class),

    ISSUE_OPENED("com.gitlab.issue.opened", IssueData.class),
    ISSUE_UPDATED("com.gitlab.issue.updated", IssueData.class),
    ISSUE_CLOSED("com.gitlab.issue.closed", IssueData.class),
    ISSUE_REOPENED("com.gitlab.issue.reopened", IssueData.class),

    NOTE_CREATED("com.gitlab.note.created", NoteData.class),
    NOTE_UPDATED("com.gitlab.note.updated", NoteData.class),

    MERGE_REQUEST_OPENED("com.gitlab.merge_request.opened", MergeRequestData.class),
    MERGE_REQUEST_UPDATED("com.gitlab.merge_request.updated", MergeRequestData.class),
    MERGE_REQUEST_CLOSED("com.gitlab.merge_request.closed", MergeRequestData.class),
    MERGE_REQUEST_REOPENED("com.gitlab.merge_request.reopened", MergeRequestData.class),
    MERGE_REQUEST_MERGED("com.gitlab.merge_request.merged", MergeRequestData.class),
    MERGE_REQUEST_APPROVED("com.gitlab.merge_request.approved", MergeRequestData.class),
    MERGE_REQUEST_UNAPPROVED("com.gitlab.merge_request.unapproved", MergeRequestData.class),
    /** One user's approval (GitLab's {@code approval} action; {@code approved} means fully approved). */
    MERGE_REQUEST_APPROVAL("com.gitlab.merge_request.approval", MergeRequestData.class),
    MERGE_REQUEST_UNAPPROVAL("com.gitlab.merge_request.unapproval", MergeRequestData.class),
    MERGE_REQUEST_REVIEWERS_CHANGED("com.gitlab.merge_request.reviewers_changed", MergeRequestData.class),

    PUSH("com.gitlab.push", PushData.class),
    TAG_PUSH("com.gitlab.tag_push", PushData.class),

    EMOJI_AWARDED("com.gitlab.emoji.awarded", EmojiData.class),
    EMOJI_REVOKED("com.gitlab.emoji.revoked", EmojiData.class),

    SPAM_VERDICT("com.gitlab.spam.verdict", SpamVerdictData.class),
    ABUSE_REPORT_RESOLVED("com.gitlab.abuse_report.resolved", AbuseReportData.class),

    // Kinds no feature reads yet: correct type, time, subject and key ids (GenericData).
    PIPELINE_UPDATED("com.gitlab.pipeline.updated", GenericData.class),
    JOB_UPDATED("com.gitlab.job.updated", GenericData.class),
    DEPLOYMENT_UPDATED("com.gitlab.deployment.updated", GenericData.class),
    RELEASE_CREATED("com.gitlab.release.created", GenericData.class),
    RELEASE_UPDATED("com.gitlab.release.updated", GenericData.class),
    RELEASE_DELETED("com.gitlab.release.deleted", GenericData.class),
    WIKI_PAGE_CREATED("com.gitlab.wiki_page.created", GenericData.class),
    WIKI_PAGE_UPDATED("com.gitlab.wiki_page.updated", GenericData.class),
    WIKI_PAGE_DELETED("com.gitlab.wiki_page.deleted", GenericData.class),
    FEATURE_FLAG_UPDATED("com.gitlab.feature_flag.updated", GenericData.class),
    MILESTONE_CREATED("com.gitlab.milestone.created", GenericData.class),
    MILESTONE_UPDATED("com.gitlab.milestone.updated", GenericData.class),
    MILESTONE_CLOSED("com.gitlab.milestone.closed", GenericData.class),
    MILESTONE_REOPENED("com.gitlab.milestone.reopened", GenericData.class),
    ACCESS_TOKEN_EXPIRING("com.gitlab.access_token.expiring", GenericData.class),
    GROUP_CREATED("com.gitlab.group.created", GenericData.class),
    GROUP_RENAMED("com.gitlab.group.renamed", GenericData.class),
    GROUP_REMOVED("com.gitlab.group.removed", GenericData.class),
    KEY_CREATED("com.gitlab.key.created", GenericData.class),
    KEY_REMOVED("com.gitlab.key.removed", GenericData.class),
    REPOSITORY_UPDATED("com.gitlab.repository.updated", GenericData.class),
    EXTERNAL_STATUS_CHECK_REQUESTED("com.gitlab.external_status_check.requested", GenericData.class);

    private static final Map<String, EventType> BY_TYPE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));

    private final String type;
    private final Class<? extends EventData> dataClass;

    EventType(String type, Class<? extends EventData> dataClass) {
        this.type = type;
        this.dataClass = dataClass;
    }

    /** The CloudEvents {@code type} attribute. */
    public String type() {
        return type;
    }

    public Class<? extends EventData> dataClass() {
        return dataClass;
    }

    /** Classpath resource of this type's JSON Schema. */
    public String schemaResource() {
        return "schemas/" + type + ".json";
    }

    public static Optional<EventType> fromType(String type) {
        return Optional.ofNullable(type == null ? null : BY_TYPE.get(type));
    }
}
