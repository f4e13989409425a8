package io.eventstream.features.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.EventError;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.ReasonCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validates structured-mode CloudEvents against the JSON Schema of their {@code type}
 * ({@code schemas/<type>.json} on the classpath, loaded once). Returns every violation as an
 * {@link EventError} with a stable {@link ReasonCode} and the field's path ({@code data.author_id},
 * {@code data.commits[0].sha}); an empty list means valid. Never throws on bad input.
 *
 * <p>Reason codes agree with {@link CloudEventJson#read(byte[])}: an absent, null or (for envelope
 * strings) empty required field is {@code MISSING_FIELD}; a wrong JSON type, an enum value outside
 * the set or a bad format is {@code INVALID_FIELD}; a bad {@code time}/{@code recordedtime} is
 * {@code BAD_TIMESTAMP}; {@code specversion} other than 1.0 is {@code BAD_SPEC_VERSION}. At most one
 * error per field is reported (the missing-field one when both apply).
 *
 * <p>Thread-safe; build one per operator or process (loading the schemas takes a moment).
 */
public final class EventValidator {

    private static final Set<String> TIMESTAMP_FIELDS = Set.of("time", "recordedtime");

    private final ObjectMapper mapper = CloudEventJson.newMapper();
    private final Map<EventType, JsonSchema> schemas = new EnumMap<>(EventType.class);
    private final Map<EventType, JsonNode> rawSchemas = new EnumMap<>(EventType.class);
    private final int maxBytes;

    /** A validator with the default size limit of {@link CloudEventJson#DEFAULT_MAX_BYTES} (1 MiB). */
    public EventValidator() {
        this(CloudEventJson.DEFAULT_MAX_BYTES);
    }

    /**
     * @param maxBytes payloads larger than this are {@code OVERSIZED} without being parsed
     * @throws IllegalStateException when a schema is missing from the classpath, or
     *     {@link UncheckedIOException} when one cannot be read (build defects, not bad input)
     */
    public EventValidator(int maxBytes) {
        this.maxBytes = maxBytes;
        JsonSchemaFactory factory = schemaFactory();
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_PATH)
                .build();
        for (EventType type : EventType.values()) {
            JsonNode raw = loadSchema(type);
            rawSchemas.put(type, raw);
            JsonSchema schema = factory.getSchema(raw, config);
            // Build every keyword validator now rather than on the first event of each type.
            schema.initializeValidators();
            schemas.put(type, schema);
        }
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** Validates one structured-mode event given as bytes (UTF-8 JSON). */
    public List<EventError> validate(byte[] json) {
        if (json == null || json.length == 0) {
            return List.of(EventError.of(ReasonCode.MALFORMED_JSON, "empty record"));
        }
        if (json.length > maxBytes) {
            return List.of(EventError.of(
                    ReasonCode.OVERSIZED,
                    "payload of " + json.length + " bytes exceeds the limit of " + maxBytes + " bytes"));
        }
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (IOException e) {
            // The parser's message can quote the payload, so it is not passed on.
            return List.of(EventError.of(ReasonCode.MALFORMED_JSON, "not valid JSON"));
        }
        return validate(node);
    }

    /** Validates one structured-mode event already parsed. */
    public List<EventError> validate(JsonNode structuredEvent) {
        if (structuredEvent == null || !structuredEvent.isObject()) {
            return List.of(EventError.of(ReasonCode.MALFORMED_JSON, "a CloudEvent must be a JSON object"));
        }
        JsonNode typeNode = structuredEvent.get("type");
        if (typeNode == null
                || typeNode.isNull()
                || (typeNode.isTextual() && typeNode.asText().isEmpty())) {
            return List.of(EventError.missing("type"));
        }
        if (!typeNode.isTextual()) {
            return List.of(new EventError(ReasonCode.INVALID_FIELD, "type", "type must be a string"));
        }
        EventType type = EventType.fromType(typeNode.asText()).orElse(null);
        if (type == null) {
            return List.of(new EventError(ReasonCode.UNKNOWN_TYPE, "type", "unknown event type"));
        }
        Set<ValidationMessage> messages;
        try {
            messages = schemas.get(type).validate(structuredEvent);
        } catch (RuntimeException e) {
            // Defensive: the library is not documented never to throw on exotic input.
            return List.of(EventError.of(
                    ReasonCode.INVALID_FIELD,
                    "schema validation failed: " + e.getClass().getSimpleName()));
        }
        List<EventError> errors = toErrors(messages);
        EventError tooLarge = integerBeyondLong(structuredEvent, rawSchemas.get(type), "");
        if (tooLarge == null || errors.stream().anyMatch(e -> tooLarge.field().equals(e.field()))) {
            return errors;
        }
        List<EventError> all = new ArrayList<>(errors);
        all.add(tooLarge);
        all.sort(Comparator.comparing(EventError::field));
        return List.copyOf(all);
    }

    /**
     * The first value of an {@code integer} field (an integral float such as {@code 1e30} included)
     * that does not fit a 64-bit long, or null: every integer field of the canonical events is at most
     * a long, while JSON Schema's {@code integer} has no bound of its own. Fields the schema does not
     * define are not checked (decoders ignore them). Walks the value with its schema: the schemas use
     * only {@code properties} and {@code items}, no references.
     */
    private static EventError integerBeyondLong(JsonNode node, JsonNode schema, String path) {
        if (schema == null) {
            return null;
        }
        if (node.isObject() && schema.has("properties")) {
            JsonNode properties = schema.get("properties");
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                EventError error = integerBeyondLong(
                        field.getValue(),
                        properties.get(field.getKey()),
                        path.isEmpty() ? field.getKey() : path + "." + field.getKey());
                if (error != null) {
                    return error;
                }
            }
        } else if (node.isArray() && schema.has("items")) {
            for (int i = 0; i < node.size(); i++) {
                EventError error = integerBeyondLong(node.get(i), schema.get("items"), path + "[" + i + "]");
                if (error != null) {
                    return error;
                }
            }
        } else if (node.isNumber()
                && !node.canConvertToLong()
                && (node.isIntegralNumber() || node.canConvertToExactIntegral())
                && allowsInteger(schema.get("type"))) {
            return new EventError(ReasonCode.INVALID_FIELD, path, "'" + path + "' does not fit a 64-bit integer");
        }
        return null;
    }

    private static boolean allowsInteger(JsonNode type) {
        if (type == null) {
            return false;
        }
        if (type.isArray()) {
            for (JsonNode t : type) {
                if ("integer".equals(t.asText())) {
                    return true;
                }
            }
            return false;
        }
        return "integer".equals(type.asText());
    }

    // ---------------------------------------------------------------- messages to errors

    private static List<EventError> toErrors(Set<ValidationMessage> messages) {
        Map<String, EventError> byField = new LinkedHashMap<>();
        for (ValidationMessage message : messages) {
            EventError error = toError(message);
            byField.merge(
                    error.field(),
                    error,
                    (first, second) -> second.reason() == ReasonCode.MISSING_FIELD ? second : first);
        }
        List<EventError> errors = new ArrayList<>(byField.values());
        errors.sort(Comparator.comparing(EventError::field));
        return List.copyOf(errors);
    }

    private static EventError toError(ValidationMessage message) {
        String keyword = message.getType();
        String location = fieldPath(message.getInstanceLocation());
        switch (keyword) {
            case "required": {
                String field = location.isEmpty() ? message.getProperty() : location + "." + message.getProperty();
                return EventError.missing(field);
            }
            case "type": {
                JsonNode value = message.getInstanceNode();
                boolean isNull = value == null || value.isNull();
                JsonNodePath at = message.getInstanceLocation();
                boolean isProperty = at.getNameCount() > 0 && at.getElement(at.getNameCount() - 1) instanceof String;
                // A null where the field cannot be null is a missing field, as in the codec; a null list item is not.
                if (isNull && isProperty) {
                    return EventError.missing(location);
                }
                return new EventError(
                        ReasonCode.INVALID_FIELD,
                        location,
                        "'" + location + "' must be " + expectedType(message.getSchemaNode()) + ", got "
                                + (isNull ? "null" : value.getNodeType().name().toLowerCase(Locale.ROOT)));
            }
            case "minLength":
                // Only required envelope strings have a minimum length: empty counts as absent, as in the codec.
                return EventError.missing(location);
            case "const":
                if (location.equals("specversion")) {
                    return new EventError(ReasonCode.BAD_SPEC_VERSION, location, "specversion must be 1.0");
                }
                return new EventError(
                        ReasonCode.INVALID_FIELD, location, "'" + location + "' must be " + message.getSchemaNode());
            case "enum":
                return new EventError(
                        ReasonCode.INVALID_FIELD,
                        location,
                        "'" + location + "' is not one of " + message.getSchemaNode());
            case "format":
                if (TIMESTAMP_FIELDS.contains(location)) {
                    return new EventError(
                            ReasonCode.BAD_TIMESTAMP, location, location + " is not an RFC 3339 timestamp");
                }
                return new EventError(
                        ReasonCode.INVALID_FIELD,
                        location,
                        "'" + location + "' is not a valid "
                                + message.getSchemaNode().asText());
            default:
                return new EventError(
                        ReasonCode.INVALID_FIELD, location, "'" + location + "' violates '" + keyword + "'");
        }
    }

    private static String expectedType(JsonNode typeKeyword) {
        if (typeKeyword != null && typeKeyword.isArray()) {
            List<String> names = new ArrayList<>();
            typeKeyword.forEach(t -> names.add(t.asText()));
            return String.join(" or ", names);
        }
        return typeKeyword == null ? "another type" : typeKeyword.asText();
    }

    /** {@code $.data.commits[0].sha} as {@code data.commits[0].sha}, the path style of {@link EventError}. */
    static String fieldPath(JsonNodePath path) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            if (element instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else {
                if (text.length() > 0) {
                    text.append('.');
                }
                text.append(element);
            }
        }
        return text.toString();
    }

    // ---------------------------------------------------------------- schema loading

    private JsonNode loadSchema(EventType type) {
        try (InputStream in = EventValidator.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
            if (in == null) {
                throw new IllegalStateException("schema " + type.schemaResource() + " is not on the classpath");
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + type.schemaResource(), e);
        }
    }

    /** Draft 2020-12 with the project's annotation keywords declared, so the library does not warn about them. */
    private static JsonSchemaFactory schemaFactory() {
        JsonMetaSchema metaSchema = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                .keyword(new NonValidationKeyword(EventSchemaGenerator.PERSONAL_KEYWORD))
                .keyword(new NonValidationKeyword(EventSchemaGenerator.GITLAB_SOURCE_KEYWORD))
                .keyword(new NonValidationKeyword(EventSchemaGenerator.SUBJECT_PATTERN_KEYWORD))
                .build();
        return JsonSchemaFactory.getInstance(
                SpecVersion.VersionFlag.V202012, builder -> builder.metaSchema(metaSchema));
    }
}
