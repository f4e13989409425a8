package io.eventstream.features.gitlab;

import io.eventstream.features.events.DiffPosition;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.NoteData;
import java.time.Instant;
import java.util.List;

/** {@code object_kind: note} (Note Hook) to {@code com.gitlab.note.created|updated}. */
final class NoteConverter {
    private NoteConverter() {}

    static List<Draft> convert(JsonFields body, Instant receivedAt) {
        JsonFields attributes = body.object("object_attributes");
        if (!attributes.isPresent()) {
            throw body.missing("object_attributes");
        }
        String action = Actions.of(body);
        EventType type;
        Instant time;
        // Before GitLab 16 note hooks fired only on creation and carried no action.
        if (action == null || action.equals("create")) {
            type = EventType.NOTE_CREATED;
            time = EventTimes.fromPayload(attributes.path("created_at"), receivedAt, attributes.time("created_at"));
        } else if (action.equals("update")) {
            type = EventType.NOTE_UPDATED;
            time = EventTimes.fromPayload(attributes.path("updated_at"), receivedAt, attributes.time("updated_at"));
        } else {
            throw Actions.unsupported("note", action);
        }
        Long projectId = body.object("project").id("id");
        if (projectId == null) {
            projectId = body.id("project_id");
        }
        if (projectId == null) {
            projectId = attributes.id("project_id");
        }
        long noteId = attributes.requiredId("id");
        Long authorId = attributes.id("author_id");
        if (authorId == null) {
            authorId = body.object("user").id("id");
        }
        if (authorId == null) {
            throw attributes.missing("author_id");
        }
        String noteableType = attributes.keyword("noteable_type");
        if (noteableType == null) {
            throw attributes.missing("noteable_type");
        }
        Long noteableIid = switch (noteableType) {
            case NoteData.ISSUE -> body.object("issue").id("iid");
            case NoteData.MERGE_REQUEST -> body.object("merge_request").id("iid");
            default -> null;
        };
        String commitId = attributes.keyword("commit_id");
        if (commitId == null && NoteData.COMMIT.equals(noteableType)) {
            commitId = body.object("commit").keyword("id");
        }
        NoteData data = new NoteData(
                projectId,
                noteId,
                authorId,
                noteableType,
                attributes.id("noteable_id"),
                noteableIid,
                commitId,
                attributes.text("note"),
                attributes.flag("system"),
                attributes.flag("internal") || attributes.flag("confidential"),
                diffPosition(attributes.object("position")));
        String subject =
                projectId != null ? Subjects.inProject(projectId, "notes", noteId) : Subjects.global("notes", noteId);
        return List.of(Draft.of(type, time, subject, authorId, data));
    }

    /** A diff note's position; null for plain notes and for the all-null positions GitLab also sends. */
    private static DiffPosition diffPosition(JsonFields position) {
        if (!position.isPresent() || (!position.has("old_path") && !position.has("new_path"))) {
            return null;
        }
        return new DiffPosition(
                position.text("old_path"),
                position.text("new_path"),
                position.integer("old_line"),
                position.integer("new_line"),
                position.keyword("base_sha"),
                position.keyword("head_sha"),
                position.keyword("start_sha"));
    }
}
