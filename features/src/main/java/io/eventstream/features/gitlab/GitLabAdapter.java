package io.eventstream.features.gitlab;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.EventError;
import io.eventstream.features.events.ReasonCode;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Converts GitLab webhook and system-hook delivery bodies into canonical {@link CloudEvent}s.
 *
 * <p>Every GitLab quirk (six timestamp shapes, ids as numbers or strings, {@code action} in two places,
 * null vs empty strings, {@code "1"}/{@code "0"} booleans, missing project or user ids,
 * {@code [REDACTED]} emails, {@code changes} as an object or an array) is absorbed here and in the
 * package's helpers, so everything downstream sees clean typed events. The rules per kind (type,
 * event time, subject, partition key) are in {@code docs/gitlab-adapters.md}.
 *
 * <p>Envelope: {@code id} is the delivery's {@code X-Gitlab-Event-UUID} (extra events of the same
 * delivery get {@code #1}, {@code #2}, ...), else {@code sha256-} and the first 128 bits of the body's
 * SHA-256, so redelivering the same body gives the same ids; {@code recordedtime} is the receive time;
 * {@code dataschema} is {@link CloudEvent#schemaUri}.
 *
 * <p>Thread-safe and cheap to call; build one per operator or thread (building it creates an
 * {@link ObjectMapper}).
 */
public final class GitLabAdapter {
    /** The {@code X-Gitlab-Event} value of a test delivery: a sample body, not something that happened. */
    public static final String TEST_HOOK_HEADER = "Test Hook";

    // Kinds GitLab sends that have no canonical type yet: recognised, deliberately not converted.
    private static final Set<String> UNCONVERTED_OBJECT_KINDS = Set.of("vulnerability");
    private static final Set<String> UNCONVERTED_EVENT_NAMES = Set.of(
            "project_destroy",
            "project_rename",
            "project_update",
            "user_unblock",
            "user_deactivate",
            "user_activate",
            "user_access_request_to_project",
            "user_access_request_revoked_for_project",
            "user_access_request_to_group",
            "user_access_request_revoked_for_group",
            "member_approval_requested");

    private final String sourceUri;
    private final int maxBytes;
    private final ObjectMapper mapper;

    /** An adapter with the default size limit ({@link CloudEventJson#DEFAULT_MAX_BYTES}). */
    public GitLabAdapter(String sourceUri) {
        this(sourceUri, CloudEventJson.DEFAULT_MAX_BYTES);
    }

    /**
     * @param sourceUri  the GitLab instance, used as every event's {@code source}, e.g. {@code https://gitlab.example.com}
     * @param maxBytes   bodies larger than this are rejected with {@link ReasonCode#OVERSIZED} before parsing
     */
    public GitLabAdapter(String sourceUri, int maxBytes) {
        this.sourceUri = Objects.requireNonNull(sourceUri, "sourceUri");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    public String sourceUri() {
        return sourceUri;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /**
     * Converts one delivery body to zero or more canonical events; never throws on bad input.
     *
     * @param body         the HTTP body as received
     * @param eventHeader  the {@code X-Gitlab-Event} header, or null; only {@value #TEST_HOOK_HEADER} changes
     *                     the outcome, the body alone says what it is
     * @param eventUuid    the {@code X-Gitlab-Event-UUID} header, or null
     * @param receivedAt   when the delivery was received, or null; becomes {@code recordedtime}, and the event
     *                     time of kinds whose body dates nothing (pushes without commits, removals, wiki pages...)
     */
    public Conversion convert(byte[] body, String eventHeader, String eventUuid, Instant receivedAt) {
        if (body == null || body.length == 0) {
            return Conversion.failed(EventError.of(ReasonCode.MALFORMED_JSON, "empty body"));
        }
        if (body.length > maxBytes) {
            return Conversion.failed(EventError.of(
                    ReasonCode.OVERSIZED,
                    "body of " + body.length + " bytes exceeds the limit of " + maxBytes + " bytes"));
        }
        if (eventHeader != null && eventHeader.strip().equalsIgnoreCase(TEST_HOOK_HEADER)) {
            return Conversion.failed(EventError.of(
                    ReasonCode.UNSUPPORTED_ACTION,
                    "test delivery (X-Gitlab-Event: Test Hook): a sample body, not a product event"));
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (IOException e) {
            return Conversion.failed(EventError.of(ReasonCode.MALFORMED_JSON, "not valid JSON" + where(e)));
        }
        if (tree == null || !tree.isObject()) {
            return Conversion.failed(
                    EventError.of(ReasonCode.MALFORMED_JSON, "a GitLab hook body must be a JSON object"));
        }
        try {
            List<Draft> drafts = convertTree(JsonFields.root(tree), receivedAt);
            return Conversion.ok(envelopes(drafts, body, eventUuid, receivedAt));
        } catch (PayloadException e) {
            return Conversion.failed(e.error());
        } catch (RuntimeException e) {
            // A shape no rule anticipated must become a dead letter, not stop the stream. The message names
            // only the exception type: its text could quote the payload.
            return Conversion.failed(EventError.of(
                    ReasonCode.INVALID_FIELD,
                    "unexpected payload shape (" + e.getClass().getSimpleName() + ")"));
        }
    }

    private static List<Draft> convertTree(JsonFields body, Instant receivedAt) {
        String objectKind = body.keyword("object_kind");
        String eventName = body.keyword("event_name");
        if (objectKind != null) {
            switch (objectKind) {
                case "merge_request" -> {
                    return body.object("external_approval_rule").isPresent()
                            ? GenericKindConverter.externalStatusCheck(body, receivedAt)
                            : MergeRequestConverter.convert(body, receivedAt);
                }
                case "issue", "work_item" -> {
                    return IssueConverter.convert(body, objectKind, receivedAt);
                }
                case "note" -> {
                    return NoteConverter.convert(body, receivedAt);
                }
                case "push", "tag_push" -> {
                    return PushConverter.convert(body, objectKind, receivedAt);
                }
                case "emoji" -> {
                    return EmojiConverter.convert(body, receivedAt);
                }
                case "pipeline" -> {
                    return GenericKindConverter.pipeline(body, receivedAt);
                }
                case "build" -> {
                    return GenericKindConverter.job(body, receivedAt);
                }
                case "deployment" -> {
                    return GenericKindConverter.deployment(body, receivedAt);
                }
                case "release" -> {
                    return GenericKindConverter.release(body, receivedAt);
                }
                case "wiki_page" -> {
                    return GenericKindConverter.wikiPage(body, receivedAt);
                }
                case "feature_flag" -> {
                    return GenericKindConverter.featureFlag(body, receivedAt);
                }
                case "milestone" -> {
                    return GenericKindConverter.milestone(body, receivedAt);
                }
                case "access_token" -> {
                    return GenericKindConverter.accessToken(body, receivedAt);
                }
                default -> {
                    if (UNCONVERTED_OBJECT_KINDS.contains(objectKind)) {
                        throw unconverted("object_kind", objectKind);
                    }
                    if (eventName == null) {
                        throw unknown("object_kind", objectKind);
                    }
                    // else: let event_name decide
                }
            }
        }
        if (eventName != null) {
            switch (eventName) {
                case "push", "tag_push" -> {
                    return PushConverter.convert(body, eventName, receivedAt);
                }
                case "repository_update" -> {
                    return GenericKindConverter.repositoryUpdate(body, receivedAt);
                }
                case "user_create", "user_destroy", "user_rename", "user_block", "user_failed_login" -> {
                    return SystemHookConverter.user(body, eventName, receivedAt);
                }
                case "user_add_to_team",
                        "user_update_for_team",
                        "user_remove_from_team",
                        "user_add_to_group",
                        "user_update_for_group",
                        "user_remove_from_group" -> {
                    return SystemHookConverter.member(body, eventName, receivedAt);
                }
                case "project_create", "project_transfer" -> {
                    return SystemHookConverter.project(body, eventName, receivedAt);
                }
                case "group_create", "group_rename", "group_destroy", "subgroup_create", "subgroup_destroy" -> {
                    return GenericKindConverter.group(body, eventName, receivedAt);
                }
                case "key_create", "key_destroy" -> {
                    return GenericKindConverter.key(body, eventName, receivedAt);
                }
                default -> {
                    if (UNCONVERTED_EVENT_NAMES.contains(eventName)) {
                        throw unconverted("event_name", eventName);
                    }
                    throw unknown("event_name", eventName);
                }
            }
        }
        throw new PayloadException(
                ReasonCode.MISSING_FIELD,
                "object_kind",
                "neither object_kind nor event_name: not a GitLab webhook or system-hook body");
    }

    private List<CloudEvent> envelopes(List<Draft> drafts, byte[] body, String eventUuid, Instant receivedAt) {
        String uuid = eventUuid == null ? null : eventUuid.strip();
        String baseId = uuid == null || uuid.isEmpty() ? bodyId(body) : uuid;
        List<CloudEvent> events = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            Draft draft = drafts.get(i);
            events.add(new CloudEvent(
                    i == 0 ? baseId : baseId + "#" + i,
                    sourceUri,
                    draft.type(),
                    draft.time(),
                    draft.subject(),
                    CloudEvent.schemaUri(draft.type()),
                    receivedAt,
                    draft.partitionKey(),
                    draft.data()));
        }
        return events;
    }

    /** The id of a delivery without a UUID: stable for the same bytes, 128 bits of SHA-256. */
    static String bodyId(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "sha256-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static PayloadException unconverted(String field, String kind) {
        return new PayloadException(
                ReasonCode.UNSUPPORTED_KIND, field, "GitLab " + field + " '" + kind + "' has no canonical event type");
    }

    private static PayloadException unknown(String field, String kind) {
        return new PayloadException(
                ReasonCode.INVALID_FIELD,
                field,
                "unrecognised GitLab " + field + " '" + identifier(kind)
                        + "': not a known webhook or system-hook kind");
    }

    /** A kind or action for an error message: shown only when it looks like an identifier (payload text never is). */
    static String identifier(String value) {
        return value.length() <= 40 && value.matches("[a-z0-9_]+") ? value : "(not an identifier)";
    }

    private static String where(IOException e) {
        if (e instanceof JsonParseException parse && parse.getLocation() != null) {
            return " at line " + parse.getLocation().getLineNr() + ", column "
                    + parse.getLocation().getColumnNr();
        }
        return "";
    }
}
