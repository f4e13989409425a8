package io.eventstream.features.validation;

import io.eventstream.features.events.EventType;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the schemas say about each event type beyond its data record: a one-line description, the
 * GitLab payload it is converted from ({@code x-gitlab-source}) and the shape of its CloudEvents
 * {@code subject} ({@code x-subject-pattern}). The adapters and the synthetic generator build
 * subjects to these patterns; a placeholder names a {@code data} field where the data has one
 * (otherwise the GitLab attribute, e.g. a wiki page's {@code slug}).
 *
 * @param description   what the event means
 * @param gitlabSource  the GitLab payload (X-Gitlab-Event header, object_kind / event_name, action) or "our own"
 * @param subject       subject pattern, e.g. {@code projects/{project_id}/merge_requests/{iid}}
 */
public record EventTypeDocs(String description, String gitlabSource, String subject) {

    private static final String ISSUE_HOOK =
            "Issue Hook (also Confidential Issue Hook; work items use the same header): object_kind=issue or work_item, object_attributes.action=";
    private static final String NOTE_HOOK =
            "Note Hook (also Confidential Note Hook): object_kind=note, object_attributes.action=";
    private static final String MR_HOOK =
            "Merge Request Hook (the same body also arrives as System Hook): object_kind=merge_request, object_attributes.action=";
    private static final String MR_SUBJECT = "projects/{project_id}/merge_requests/{iid}";
    private static final String ISSUE_SUBJECT =
            "projects/{project_id}/issues/{iid} (group-level work items: groups/{group_id}/work_items/{iid})";
    private static final String MEMBER_SUBJECT =
            "projects/{project_id}/members/{user_id} or groups/{group_id}/members/{user_id}";

    private static final Map<EventType, EventTypeDocs> DOCS = new EnumMap<>(EventType.class);

    static {
        put(
                EventType.USER_CREATED,
                "A user account was created (sign-up or admin creation).",
                "System Hook: event_name=user_create",
                "users/{user_id}");
        put(
                EventType.USER_REMOVED,
                "A user account was deleted.",
                "System Hook: event_name=user_destroy",
                "users/{user_id}");
        put(
                EventType.USER_RENAMED,
                "A user changed their username.",
                "System Hook: event_name=user_rename",
                "users/{user_id}");
        put(
                EventType.USER_BLOCKED,
                "A user was blocked or banned by an administrator (a spam label).",
                "our own: admin / moderation feed (GitLab sends no system hook for blocks)",
                "users/{user_id}");
        put(
                EventType.USER_FAILED_LOGIN,
                "A login attempt failed for an existing account.",
                "System Hook: event_name=user_failed_login",
                "users/{user_id}");

        put(
                EventType.MEMBER_ADDED,
                "A user became a member of a project or group.",
                "System Hook: event_name=user_add_to_team (project) or user_add_to_group (group); "
                        + "Member Hook (group webhook): event_name=user_add_to_group",
                MEMBER_SUBJECT);
        put(
                EventType.MEMBER_UPDATED,
                "A member's access level or expiry changed.",
                "System Hook: event_name=user_update_for_team or user_update_for_group; "
                        + "Member Hook: event_name=user_update_for_group",
                MEMBER_SUBJECT);
        put(
                EventType.MEMBER_REMOVED,
                "A user stopped being a member of a project or group.",
                "System Hook: event_name=user_remove_from_team or user_remove_from_group; "
                        + "Member Hook: event_name=user_remove_from_group",
                MEMBER_SUBJECT);

        put(
                EventType.PROJECT_CREATED,
                "A project was created.",
                "System Hook: event_name=project_create; Project Hook (group webhook): event_name=project_create",
                "projects/{project_id}");
        put(
                EventType.PROJECT_TRANSFERRED,
                "A project moved to another namespace.",
                "System Hook: event_name=project_transfer",
                "projects/{project_id}");

        put(EventType.ISSUE_OPENED, "An issue or work item was opened.", ISSUE_HOOK + "open", ISSUE_SUBJECT);
        put(
                EventType.ISSUE_UPDATED,
                "An issue or work item was edited (title, description, labels, assignees, ...).",
                ISSUE_HOOK + "update",
                ISSUE_SUBJECT);
        put(EventType.ISSUE_CLOSED, "An issue or work item was closed.", ISSUE_HOOK + "close", ISSUE_SUBJECT);
        put(
                EventType.ISSUE_REOPENED,
                "A closed issue or work item was reopened.",
                ISSUE_HOOK + "reopen",
                ISSUE_SUBJECT);

        put(
                EventType.NOTE_CREATED,
                "A comment was posted on an issue, merge request, commit or snippet.",
                NOTE_HOOK + "create (older bodies have no action: treated as create)",
                "projects/{project_id}/notes/{note_id}");
        put(
                EventType.NOTE_UPDATED,
                "A comment was edited.",
                NOTE_HOOK + "update",
                "projects/{project_id}/notes/{note_id}");

        put(EventType.MERGE_REQUEST_OPENED, "A merge request was opened.", MR_HOOK + "open", MR_SUBJECT);
        put(
                EventType.MERGE_REQUEST_UPDATED,
                "A merge request was edited or got new commits.",
                MR_HOOK + "update",
                MR_SUBJECT);
        put(
                EventType.MERGE_REQUEST_CLOSED,
                "A merge request was closed without merging.",
                MR_HOOK + "close",
                MR_SUBJECT);
        put(EventType.MERGE_REQUEST_REOPENED, "A closed merge request was reopened.", MR_HOOK + "reopen", MR_SUBJECT);
        put(EventType.MERGE_REQUEST_MERGED, "A merge request was merged.", MR_HOOK + "merge", MR_SUBJECT);
        put(
                EventType.MERGE_REQUEST_APPROVED,
                "A merge request got all the approvals it needs.",
                MR_HOOK + "approved",
                MR_SUBJECT);
        put(
                EventType.MERGE_REQUEST_UNAPPROVED,
                "A merge request fell below the approvals it needs.",
                MR_HOOK + "unapproved",
                MR_SUBJECT);
        put(
                EventType.MERGE_REQUEST_APPROVAL,
                "One user (actor_id) approved a merge request.",
                MR_HOOK + "approval",
                MR_SUBJECT);
        put(
                EventType.MERGE_REQUEST_UNAPPROVAL,
                "One user (actor_id) withdrew their approval.",
                MR_HOOK + "unapproval",
                MR_SUBJECT);
        put(
                EventType.MERGE_REQUEST_REVIEWERS_CHANGED,
                "The reviewers of a merge request changed (previous_reviewer_ids to reviewer_ids).",
                "Merge Request Hook with a changes.reviewers block (emitted in addition to the event of the body's action)",
                MR_SUBJECT);

        put(
                EventType.PUSH,
                "Commits were pushed to a branch, or a branch was created or deleted.",
                "Push Hook or System Hook: object_kind / event_name=push",
                "projects/{project_id}/{ref}");
        put(
                EventType.TAG_PUSH,
                "A tag was pushed or deleted.",
                "Tag Push Hook or System Hook: object_kind / event_name=tag_push",
                "projects/{project_id}/{ref}");

        put(
                EventType.EMOJI_AWARDED,
                "A user awarded an emoji reaction.",
                "Emoji Hook: object_kind=emoji, event_type=award (absent in older bodies: treated as award)",
                "projects/{project_id}/award_emoji/{award_id}");
        put(
                EventType.EMOJI_REVOKED,
                "A user took back an emoji reaction.",
                "Emoji Hook: object_kind=emoji, event_type=revoke",
                "projects/{project_id}/award_emoji/{award_id}");

        put(
                EventType.SPAM_VERDICT,
                "A spam verdict on a piece of content (a spam label).",
                "our own: emitted by the spam checker or a moderator",
                "users/{user_id}");
        put(
                EventType.ABUSE_REPORT_RESOLVED,
                "An abuse report was resolved (a spam label unless dismissed).",
                "our own: emitted by the abuse-report workflow",
                "users/{reported_user_id}");

        put(
                EventType.PIPELINE_UPDATED,
                "A CI pipeline changed status.",
                "Pipeline Hook: object_kind=pipeline",
                "projects/{project_id}/pipelines/{object_id}");
        put(
                EventType.JOB_UPDATED,
                "A CI job changed status.",
                "Job Hook (legacy name Build Hook): object_kind=build",
                "projects/{project_id}/jobs/{object_id}");
        put(
                EventType.DEPLOYMENT_UPDATED,
                "A deployment changed status.",
                "Deployment Hook: object_kind=deployment",
                "projects/{project_id}/deployments/{object_id}");
        put(
                EventType.RELEASE_CREATED,
                "A release was created.",
                "Release Hook: object_kind=release, action=create (top level)",
                "projects/{project_id}/releases/{object_id}");
        put(
                EventType.RELEASE_UPDATED,
                "A release was edited.",
                "Release Hook: object_kind=release, action=update (top level)",
                "projects/{project_id}/releases/{object_id}");
        put(
                EventType.RELEASE_DELETED,
                "A release was deleted.",
                "Release Hook: object_kind=release, action=delete (top level)",
                "projects/{project_id}/releases/{object_id}");
        put(
                EventType.WIKI_PAGE_CREATED,
                "A wiki page was created.",
                "Wiki Page Hook: object_kind=wiki_page, object_attributes.action=create",
                "projects/{project_id}/wiki_pages/{slug}");
        put(
                EventType.WIKI_PAGE_UPDATED,
                "A wiki page was edited.",
                "Wiki Page Hook: object_kind=wiki_page, object_attributes.action=update",
                "projects/{project_id}/wiki_pages/{slug}");
        put(
                EventType.WIKI_PAGE_DELETED,
                "A wiki page was deleted.",
                "Wiki Page Hook: object_kind=wiki_page, object_attributes.action=delete",
                "projects/{project_id}/wiki_pages/{slug}");
        put(
                EventType.FEATURE_FLAG_UPDATED,
                "A feature flag was switched on or off.",
                "Feature Flag Hook: object_kind=feature_flag",
                "projects/{project_id}/feature_flags/{object_id}");
        put(
                EventType.MILESTONE_CREATED,
                "A milestone was created.",
                "Milestone Hook: object_kind=milestone, action=create (top level)",
                "projects/{project_id}/milestones/{object_id}");
        put(
                EventType.MILESTONE_UPDATED,
                "A milestone was edited.",
                "Milestone Hook: object_kind=milestone, action=update (top level)",
                "projects/{project_id}/milestones/{object_id}");
        put(
                EventType.MILESTONE_CLOSED,
                "A milestone was closed.",
                "Milestone Hook: object_kind=milestone, action=close (top level)",
                "projects/{project_id}/milestones/{object_id}");
        put(
                EventType.MILESTONE_REOPENED,
                "A milestone was reopened.",
                "Milestone Hook: object_kind=milestone, action=reopen (top level)",
                "projects/{project_id}/milestones/{object_id}");
        put(
                EventType.ACCESS_TOKEN_EXPIRING,
                "A project or group access token expires soon.",
                "Resource Access Token Hook: object_kind=access_token, event_name=expiring_access_token",
                "projects/{project_id}/access_tokens/{object_id} or groups/{group_id}/access_tokens/{object_id}");
        put(
                EventType.GROUP_CREATED,
                "A group or subgroup was created.",
                "System Hook: event_name=group_create; Subgroup Hook: event_name=subgroup_create",
                "groups/{group_id}");
        put(
                EventType.GROUP_RENAMED,
                "A group changed its path.",
                "System Hook: event_name=group_rename",
                "groups/{group_id}");
        put(
                EventType.GROUP_REMOVED,
                "A group or subgroup was deleted.",
                "System Hook: event_name=group_destroy; Subgroup Hook: event_name=subgroup_destroy",
                "groups/{group_id}");
        put(
                EventType.KEY_CREATED,
                "A user added an SSH key.",
                "System Hook: event_name=key_create",
                "users/{user_id}/keys/{object_id}");
        put(
                EventType.KEY_REMOVED,
                "A user removed an SSH key.",
                "System Hook: event_name=key_destroy",
                "users/{user_id}/keys/{object_id}");
        put(
                EventType.REPOSITORY_UPDATED,
                "A project's repository changed (refs updated).",
                "System Hook: event_name=repository_update",
                "projects/{project_id}");
        put(
                EventType.EXTERNAL_STATUS_CHECK_REQUESTED,
                "GitLab asked an external status check service about a merge request.",
                "body sent to an External Status Check service: Merge Request Hook shape plus external_approval_rule",
                MR_SUBJECT);
    }

    private static void put(EventType type, String description, String gitlabSource, String subject) {
        DOCS.put(type, new EventTypeDocs(description, gitlabSource, subject));
    }

    /** The documentation of a type; every {@link EventType} has one (a test guards it). */
    public static EventTypeDocs of(EventType type) {
        EventTypeDocs docs = DOCS.get(type);
        if (docs == null) {
            throw new IllegalStateException("no documentation for " + type.type() + ": add it to EventTypeDocs");
        }
        return docs;
    }
}
