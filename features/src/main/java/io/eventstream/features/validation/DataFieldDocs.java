package io.eventstream.features.validation;

import io.eventstream.features.events.AbuseReportData;
import io.eventstream.features.events.CommitData;
import io.eventstream.features.events.DiffPosition;
import io.eventstream.features.events.EmojiData;
import io.eventstream.features.events.GenericData;
import io.eventstream.features.events.IssueData;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.events.ProjectData;
import io.eventstream.features.events.PushData;
import io.eventstream.features.events.SpamVerdictData;
import io.eventstream.features.events.UserData;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code description} of every data record and of each of its components, keyed by the Java
 * component name. Javadoc is not available at run time, so the schema generator reads the texts
 * from here; it refuses a record component without one, so a new field cannot ship undocumented.
 */
final class DataFieldDocs {

    private static final Map<Class<?>, String> RECORDS = new HashMap<>();
    private static final Map<Class<?>, Map<String, String>> FIELDS = new HashMap<>();

    private DataFieldDocs() {}

    static {
        record(
                UserData.class,
                "A GitLab user account.",
                "userId",
                "GitLab user id.",
                "username",
                "Current username.",
                "previousUsername",
                "Username before a rename; null otherwise.",
                "name",
                "Display name.",
                "email",
                "Primary email; null when GitLab sent [REDACTED] or nothing.",
                "state",
                "Account state when known: active, blocked, ...",
                "twoFactorEnabled",
                "Whether two-factor authentication is on; null when the payload does not say.",
                "emailVerified",
                "Whether the email is verified; null when the payload does not say.");
        record(
                MemberData.class,
                "A user's membership of a project (team) or group.",
                "userId",
                "The member's user id.",
                "scope",
                "project or group.",
                "projectId",
                "The project, when scope is project.",
                "groupId",
                "The group, when scope is group.",
                "accessLevel",
                "GitLab access level: 10 guest, 20 reporter, 30 developer, 40 maintainer, 50 owner; "
                        + "null when removed and unknown.",
                "expiresAt",
                "Membership expiry, epoch milliseconds UTC; null when none.");
        record(
                ProjectData.class,
                "A project and its namespace.",
                "projectId",
                "GitLab project id.",
                "namespaceId",
                "Owning namespace id, when known.",
                "pathWithNamespace",
                "Full path, e.g. group/project.",
                "previousPathWithNamespace",
                "Full path before a transfer; null otherwise.",
                "visibility",
                "private, internal or public; null when unknown.",
                "ownerId",
                "The owning user, when the payload names one.");
        record(
                IssueData.class,
                "An issue or work item (task, incident, epic, ...).",
                "projectId",
                "Project id; null for group-level work items (epics).",
                "groupId",
                "Group id, set for group-level work items.",
                "issueId",
                "Global issue id.",
                "iid",
                "Per-project (or per-group) issue number.",
                "authorId",
                "User who created the issue.",
                "actorId",
                "User who did this action (the hook's user.id); null when missing.",
                "title",
                "Title text.",
                "description",
                "Description text; null when empty or absent.",
                "state",
                "opened or closed.",
                "confidential",
                "Whether the issue is confidential.",
                "workItemType",
                "Issue, Task, Incident, Epic, ...",
                "assigneeIds",
                "Current assignees' user ids.",
                "labels",
                "Label titles.");
        record(
                NoteData.class,
                "A comment on an issue, merge request, commit or snippet.",
                "projectId",
                "Project of the commented object; null when missing.",
                "noteId",
                "Note id.",
                "authorId",
                "User who wrote the note.",
                "noteableType",
                "What was commented on: Issue, MergeRequest, Commit or Snippet.",
                "noteableId",
                "Global id of the issue, merge request or snippet; null for commits.",
                "noteableIid",
                "Per-project number of the issue or merge request; null otherwise.",
                "commitId",
                "Commit SHA, for notes on commits.",
                "body",
                "Note text.",
                "system",
                "A note GitLab generated itself (e.g. 'changed the description').",
                "internal",
                "Internal (confidential) note.",
                "diffPosition",
                "Where a diff note sits; null for notes that are not on a diff line.");
        record(
                DiffPosition.class,
                "The file and line of a diff note on each side of the diff.",
                "oldPath",
                "File path before the change.",
                "newPath",
                "File path after the change.",
                "oldLine",
                "Line in the old file; null for an added line.",
                "newLine",
                "Line in the new file; null for a removed line.",
                "baseSha",
                "Merge base commit of the diff.",
                "headSha",
                "Head commit of the diff.",
                "startSha",
                "Start commit of the diff.");
        record(
                MergeRequestData.class,
                "A merge request, its people and branches.",
                "projectId",
                "Target project id.",
                "mergeRequestId",
                "Global merge request id.",
                "iid",
                "Per-project merge request number.",
                "authorId",
                "User who opened the merge request.",
                "actorId",
                "User who did this action (the hook's user.id); null when missing.",
                "title",
                "Title text.",
                "description",
                "Description text; null when empty.",
                "state",
                "opened, closed, merged or locked.",
                "sourceProjectId",
                "Project of the source branch (differs from project_id for forks).",
                "sourceBranch",
                "Source branch name.",
                "targetBranch",
                "Target branch name.",
                "draft",
                "Draft (work in progress).",
                "reviewerIds",
                "Current reviewers' user ids.",
                "previousReviewerIds",
                "Reviewers before this event, from the payload's changes.reviewers; " + "null when it does not say.",
                "assigneeIds",
                "Current assignees' user ids.",
                "changedPaths",
                "Files the merge request changes, when the producer supplies them; else null.");
        record(
                PushData.class,
                "A push to a branch or tag.",
                "projectId",
                "Project pushed to.",
                "userId",
                "The pusher's user id.",
                "ref",
                "Full ref, e.g. refs/heads/main.",
                "branch",
                "Branch or tag name without the refs/heads/ or refs/tags/ prefix.",
                "before",
                "SHA before the push (40 zeros when the ref was created).",
                "after",
                "SHA after the push (40 zeros when the ref was deleted).",
                "created",
                "The ref did not exist before this push.",
                "deleted",
                "The ref was deleted by this push.",
                "totalCommitsCount",
                "Commits in the push; GitLab lists at most 20 of them in commits.",
                "commits",
                "The listed commits, oldest first as GitLab sends them.");
        record(
                CommitData.class,
                "One commit of a push; author names, emails and messages are dropped on purpose.",
                "sha",
                "Commit SHA.",
                "timestamp",
                "Commit time, epoch milliseconds UTC; null when absent.",
                "added",
                "Paths added.",
                "modified",
                "Paths modified.",
                "removed",
                "Paths removed.");
        record(
                EmojiData.class,
                "An emoji reaction.",
                "projectId",
                "Project of the awarded object; null when missing.",
                "userId",
                "User who awarded the emoji.",
                "awardId",
                "The award's id.",
                "name",
                "Emoji name, e.g. thumbsup.",
                "awardableType",
                "What was awarded: Issue, MergeRequest, Note, Snippet, ...",
                "awardableId",
                "Id of the awarded object.");
        record(
                SpamVerdictData.class,
                "A spam verdict on a piece of content.",
                "userId",
                "The content author's user id.",
                "targetType",
                "Kind of content: Issue, Note, MergeRequest, Snippet, ...",
                "targetId",
                "Id of the content.",
                "targetEventId",
                "CloudEvent id of the event that created the content, when known.",
                "verdict",
                "The verdict; DISALLOW and BLOCK count as spam.",
                "source",
                "Who decided: spamcheck, akismet, moderator, ...");
        record(
                AbuseReportData.class,
                "A resolved abuse report.",
                "reportId",
                "Abuse report id.",
                "reportedUserId",
                "The reported user's id.",
                "reporterId",
                "The reporting user's id, when known.",
                "resolution",
                "How it was resolved; banned and blocked confirm abuse, dismissed does not.");
        record(
                GenericData.class,
                "The key ids of a GitLab kind that no feature reads yet.",
                "objectKind",
                "GitLab's object_kind or event_name.",
                "objectId",
                "Id of the object (pipeline, job, deployment, release, milestone, key, ...).",
                "projectId",
                "Project id, when the payload has one.",
                "groupId",
                "Group id, when the payload has one.",
                "userId",
                "The acting user's id, when the payload has one.",
                "action",
                "GitLab's action, when present.",
                "status",
                "GitLab's status, when present (pipelines, jobs, deployments).");
    }

    private static void record(Class<?> type, String description, String... componentAndText) {
        RECORDS.put(type, description);
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < componentAndText.length; i += 2) {
            fields.put(componentAndText[i], componentAndText[i + 1]);
        }
        FIELDS.put(type, fields);
    }

    static String ofRecord(Class<?> type) {
        String text = RECORDS.get(type);
        if (text == null) {
            throw new IllegalStateException("no description for record " + type.getSimpleName() + " in DataFieldDocs");
        }
        return text;
    }

    static String ofField(Class<?> type, String component) {
        String text = FIELDS.getOrDefault(type, Map.of()).get(component);
        if (text == null) {
            throw new IllegalStateException(
                    "no description for " + type.getSimpleName() + "." + component + " in DataFieldDocs");
        }
        return text;
    }
}
