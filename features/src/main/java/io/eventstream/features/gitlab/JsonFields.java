package io.eventstream.features.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstream.features.events.EventError;
import io.eventstream.features.events.ReasonCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read-only view of one JSON object of a GitLab body that absorbs GitLab's field-level quirks in one
 * place, so the converters read values, not shapes:
 * <ul>
 *   <li>ids as numbers, numeric strings or GraphQL GIDs ({@code gid://gitlab/User/5});</li>
 *   <li>{@code null}, absent and {@code ""} all mean "no value";</li>
 *   <li>booleans as {@code true}/{@code false}, {@code "1"}/{@code "0"}, {@code 1}/{@code 0}, {@code "true"}/{@code "false"};</li>
 *   <li>keys with stray trailing spaces ({@code "iid "}, seen in a GitLab docs example that clients copied);</li>
 *   <li>the literal {@code [REDACTED]} that gitlab.com puts in email fields;</li>
 *   <li>timestamps in any shape {@link GitLabTimestamps} accepts.</li>
 * </ul>
 * A value of the wrong JSON type raises {@link ReasonCode#INVALID_FIELD} (an unparseable timestamp
 * {@link ReasonCode#BAD_TIMESTAMP}) naming the field's path, never quoting the value: payload text may be
 * personal.
 */
final class JsonFields {
    private static final Pattern GID = Pattern.compile("gid://gitlab/[A-Za-z:]+/(\\d+)");
    private static final String REDACTED = "[REDACTED]";

    private final JsonNode node;
    private final String path;

    private JsonFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The body's top-level object. */
    static JsonFields root(JsonNode object) {
        return new JsonFields(object, "");
    }

    /** True when this object exists in the body (a missing nested object reads as all-absent). */
    boolean isPresent() {
        return node != null && node.isObject();
    }

    /** Dotted path of a field of this object, as error messages name it. */
    String path(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The raw value; null when absent or JSON null. */
    JsonNode raw(String name) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(name);
        if (value == null) {
            value = paddedKey(name);
        }
        return value == null || value.isNull() ? null : value;
    }

    /** True when the field is present and not null. */
    boolean has(String name) {
        return raw(name) != null;
    }

    private JsonNode paddedKey(String name) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().length() != name.length()
                    && field.getKey().strip().equals(name)) {
                return field.getValue();
            }
        }
        return null;
    }

    /** A nested object; an absent one reads as an object whose fields are all absent. */
    JsonFields object(String name) {
        JsonNode value = raw(name);
        if (value != null && !value.isObject()) {
            throw invalid(name, "must be an object");
        }
        return new JsonFields(value, path(name));
    }

    /** The objects of an array field; empty when absent. Non-object elements are an error. */
    List<JsonFields> objects(String name) {
        JsonNode array = array(name);
        List<JsonFields> result = new ArrayList<>(array == null ? 0 : array.size());
        if (array != null) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                if (!element.isObject()) {
                    throw invalid(name + "[" + i + "]", "must be an object");
                }
                result.add(new JsonFields(element, path(name) + "[" + i + "]"));
            }
        }
        return result;
    }

    private JsonNode array(String name) {
        JsonNode value = raw(name);
        if (value != null && !value.isArray()) {
            throw invalid(name, "must be an array");
        }
        return value;
    }

    /** True when the field is a JSON array (possibly empty). */
    boolean isArray(String name) {
        JsonNode value = raw(name);
        return value != null && value.isArray();
    }

    /** Free text exactly as sent; null when absent or empty. */
    String text(String name) {
        JsonNode value = raw(name);
        if (value == null) {
            return null;
        }
        if (!value.isValueNode()) {
            throw invalid(name, "must be a string");
        }
        String text = value.asText();
        return text.isEmpty() ? null : text;
    }

    /** An identifier-like string (state, branch, action): trimmed; null when absent or blank. */
    String keyword(String name) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        String stripped = text.strip();
        return stripped.isEmpty() ? null : stripped;
    }

    /** An email address; null when absent, empty or {@code [REDACTED]}. */
    String email(String name) {
        String text = keyword(name);
        return text == null || REDACTED.equals(text) ? null : text;
    }

    /** A numeric id; null when absent or empty. */
    Long id(String name) {
        JsonNode value = raw(name);
        return value == null ? null : toId(value, path(name));
    }

    /** A numeric id that must be there. */
    long requiredId(String name) {
        Long id = id(name);
        if (id == null) {
            throw missing(name);
        }
        return id;
    }

    /** The ids of an array field (numbers, strings or GIDs); empty when absent. */
    List<Long> ids(String name) {
        JsonNode array = array(name);
        List<Long> ids = new ArrayList<>();
        if (array != null) {
            for (int i = 0; i < array.size(); i++) {
                Long id = toId(array.get(i), path(name) + "[" + i + "]");
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /**
     * User ids of an array field whose elements are user objects ({@code reviewers[].id}) or bare ids;
     * empty when absent.
     */
    List<Long> userIds(String name) {
        JsonNode array = array(name);
        List<Long> ids = new ArrayList<>();
        if (array != null) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                String elementPath = path(name) + "[" + i + "]";
                Long id =
                        element.isObject() ? new JsonFields(element, elementPath).id("id") : toId(element, elementPath);
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /**
     * The {@code changes} block as an object of {@code {previous, current}} pairs. System-hook
     * {@code repository_update} bodies send an array of ref updates instead; that reads as no field changes.
     */
    JsonFields changes() {
        return isArray("changes") ? new JsonFields(null, path("changes")) : object("changes");
    }

    /** The strings of an array field; empty when absent. */
    List<String> strings(String name) {
        JsonNode array = array(name);
        List<String> result = new ArrayList<>();
        if (array != null) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                if (!element.isValueNode()) {
                    throw invalid(name + "[" + i + "]", "must be a string");
                }
                if (!element.isNull()) {
                    result.add(element.asText());
                }
            }
        }
        return result;
    }

    /** A small integer (line numbers, counts); null when absent. */
    Integer integer(String name) {
        Long value = id(name);
        if (value == null) {
            return null;
        }
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw invalid(name, "is out of range");
        }
        return value.intValue();
    }

    /** A boolean in any of GitLab's spellings; null when absent or empty. */
    Boolean bool(String name) {
        JsonNode value = raw(name);
        if (value == null) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber() && (value.asLong() == 0 || value.asLong() == 1)) {
            return value.asLong() == 1;
        }
        if (value.isTextual()) {
            switch (value.asText().strip().toLowerCase(Locale.ROOT)) {
                case "1", "true" -> {
                    return true;
                }
                case "0", "false" -> {
                    return false;
                }
                case "" -> {
                    return null;
                }
                default -> {
                    // fall through to the error below
                }
            }
        }
        throw invalid(name, "must be a boolean");
    }

    /** A boolean that reads as false when absent. */
    boolean flag(String name) {
        return Boolean.TRUE.equals(bool(name));
    }

    /** A timestamp; null when absent or empty; {@link ReasonCode#BAD_TIMESTAMP} when unparseable. */
    Instant time(String name) {
        String text = keyword(name);
        if (text == null) {
            return null;
        }
        return GitLabTimestamps.parse(text)
                .orElseThrow(() -> new PayloadException(
                        ReasonCode.BAD_TIMESTAMP,
                        path(name),
                        "'" + path(name) + "' is not a timestamp in any GitLab format"));
    }

    private Long toId(JsonNode value, String fieldPath) {
        if (value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isFloatingPointNumber()
                && value.doubleValue() == Math.rint(value.doubleValue())
                && Math.abs(value.doubleValue()) < 0x1p53) {
            return (long) value.doubleValue();
        }
        if (value.isTextual()) {
            String text = value.asText().strip();
            if (text.isEmpty()) {
                return null;
            }
            Matcher gid = GID.matcher(text);
            String digits = gid.matches() ? gid.group(1) : text;
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new PayloadException(ReasonCode.INVALID_FIELD, fieldPath, "'" + fieldPath + "' must be a numeric id");
    }

    PayloadException missing(String name) {
        return new PayloadException(EventError.missing(path(name)));
    }

    PayloadException invalid(String name, String why) {
        return new PayloadException(ReasonCode.INVALID_FIELD, path(name), "'" + path(name) + "' " + why);
    }
}
