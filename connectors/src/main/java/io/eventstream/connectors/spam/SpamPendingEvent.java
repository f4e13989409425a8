package io.eventstream.connectors.spam;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstream.features.spam.ContentText;
import io.eventstream.features.spam.SpamInput;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The content event a caller is about to post (a note, issue or merge request), as JSON, turned
 * into the {@link SpamInput} the job will make of it, so that a request-time read can include it.
 *
 * <p>Fields (names as the {@code spam_features} columns): {@code content_type} ({@code issue},
 * {@code note}, {@code merge_request}; required), {@code event_id} (default {@code pending}),
 * {@code project_id}, {@code noteable_type} (notes). Then either the raw text, {@code title} and
 * {@code body}, analysed here by the job's own {@link ContentText} (never stored or logged), or the
 * numbers the job derives from it: {@code text_length}, {@code title_length}, {@code link_count},
 * {@code external_link_count}, {@code mention_count}, {@code uppercase_ratio}, {@code has_code_block},
 * {@code text_hash} (a signed 64-bit integer), absent numbers counting 0 (false, null title length).
 */
public final class SpamPendingEvent {
    private static final Set<String> FIELDS = Set.of(
            "content_type",
            "event_id",
            "project_id",
            "noteable_type",
            "title",
            "body",
            "text_length",
            "title_length",
            "link_count",
            "external_link_count",
            "mention_count",
            "uppercase_ratio",
            "has_code_block",
            "text_hash");
    private static final Set<String> DERIVED = Set.of(
            "text_length",
            "title_length",
            "link_count",
            "external_link_count",
            "mention_count",
            "uppercase_ratio",
            "has_code_block",
            "text_hash");

    private SpamPendingEvent() {}

    /**
     * The input for {@code userId} at {@code timeMillis}.
     *
     * @throws IllegalArgumentException naming the field, when the JSON is not such an event
     */
    public static SpamInput parse(JsonNode json, long userId, long timeMillis, ContentText text) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the pending event must be a JSON object");
        }
        boolean hasText = false;
        boolean hasDerived = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field " + name + " in the pending event; fields: "
                        + String.join(", ", FIELDS.stream().sorted().toList()));
            }
            hasText |= name.equals("title") || name.equals("body");
            hasDerived |= DERIVED.contains(name);
        }
        if (hasText && hasDerived) {
            throw new IllegalArgumentException("give the pending event's title/body or the numbers derived from them "
                    + "(text_length, link_count, text_hash, ...), not both");
        }
        SpamInput input = new SpamInput();
        input.userId = userId;
        input.timeMillis = timeMillis;
        input.eventId = json.has("event_id") ? text(json, "event_id") : "pending";
        String type = text(json, "content_type");
        input.kind = switch (type == null ? "" : type) {
            case "issue" -> SpamInput.ISSUE_OPENED;
            case "note" -> SpamInput.NOTE_CREATED;
            case "merge_request" -> SpamInput.MERGE_REQUEST_OPENED;
            default -> throw new IllegalArgumentException("content_type must be issue, note or merge_request");
        };
        input.projectId = json.hasNonNull("project_id") ? integer(json, "project_id") : null;
        input.noteableType = input.kind == SpamInput.NOTE_CREATED ? text(json, "noteable_type") : null;
        if (hasText) {
            text.analyze(input.kind == SpamInput.NOTE_CREATED ? null : text(json, "title"), text(json, "body"), input);
            return input;
        }
        input.textLength = (int) count(json, "text_length");
        input.titleLength = json.hasNonNull("title_length") ? (int) count(json, "title_length") : null;
        input.linkCount = (int) count(json, "link_count");
        input.externalLinkCount = (int) count(json, "external_link_count");
        input.mentionCount = (int) count(json, "mention_count");
        if (json.hasNonNull("uppercase_ratio")) {
            JsonNode ratio = json.get("uppercase_ratio");
            if (!ratio.isNumber() || !(ratio.asDouble() >= 0 && ratio.asDouble() <= 1)) {
                throw new IllegalArgumentException("uppercase_ratio must be a number in [0, 1]");
            }
            input.uppercaseRatio = ratio.asDouble();
        }
        if (json.hasNonNull("has_code_block")) {
            if (!json.get("has_code_block").isBoolean()) {
                throw new IllegalArgumentException("has_code_block must be true or false");
            }
            input.hasCodeBlock = json.get("has_code_block").asBoolean();
        }
        input.textHash = json.hasNonNull("text_hash") ? integer(json, "text_hash") : 0L;
        return input;
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return node.asText();
    }

    private static long integer(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText()); // 64-bit hashes as strings survive JavaScript callers
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(field + " must be a 64-bit integer");
            }
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new IllegalArgumentException(field + " must be a 64-bit integer");
        }
        return node.asLong();
    }

    private static long count(JsonNode json, String field) {
        if (!json.hasNonNull(field)) {
            return 0;
        }
        long value = integer(json, field);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " must be a count (0 to " + Integer.MAX_VALUE + ")");
        }
        return value;
    }
}
