package io.eventstream.features.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * CloudEvents JSON codec: structured mode ({@code application/cloudevents+json}, one JSON object per
 * event) for writing and reading, binary mode ({@code ce_*} Kafka headers + data as the value) for
 * reading. Decoding never throws on bad input: it returns a {@link Decoded} with a {@link ReasonCode}.
 *
 * <p>Data fields are snake_case like GitLab's. In the data records a primitive component is
 * required (absent or null is {@link ReasonCode#MISSING_FIELD}); a boxed one is optional.
 *
 * <p>Thread-safe; build one per operator or thread and reuse it (building an ObjectMapper is slow).
 */
public final class CloudEventJson {

    /** Default maximum payload size: 1 MiB. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    /** Kafka header names of binary mode. */
    public static final String HEADER_PREFIX = "ce_";

    public static final String CONTENT_TYPE_HEADER = "content-type";

    private final ObjectMapper mapper;
    private final int maxBytes;
    private final Map<EventType, ObjectReader> strictReaders = new ConcurrentHashMap<>();

    public CloudEventJson() {
        this(DEFAULT_MAX_BYTES);
    }

    public CloudEventJson(int maxBytes) {
        this.maxBytes = maxBytes;
        this.mapper = newMapper();
    }

    /**
     * The mapper for canonical JSON: snake_case data, nulls omitted, unknown fields ignored. Reading is
     * as strict as the published JSON Schemas: one JSON value and nothing after it, and no coercion
     * between JSON types (Jackson's defaults would turn {@code 139.7} into the integer 139, {@code 12}
     * or {@code true} into a string, {@code "5"} into a number, {@code 0} into the first enum constant).
     */
    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfigDefaults(
                        config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Textual,
                        config -> config.setCoercion(CoercionInputShape.String, CoercionAction.TryConvert)
                                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.TryConvert))
                .build();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public int maxBytes() {
        return maxBytes;
    }

    // ---------------------------------------------------------------- writing

    /** Structured-mode JSON object of an event. */
    public ObjectNode toJsonNode(CloudEvent event) {
        ObjectNode node = mapper.createObjectNode();
        node.put("specversion", CloudEvent.SPEC_VERSION);
        node.put("id", event.id());
        node.put("source", event.source());
        node.put("type", event.type().type());
        node.put("time", formatTime(event.time()));
        if (event.subject() != null) {
            node.put("subject", event.subject());
        }
        node.put("datacontenttype", CloudEvent.DATA_CONTENT_TYPE);
        if (event.dataschema() != null) {
            node.put("dataschema", event.dataschema());
        }
        if (event.recordedTime() != null) {
            node.put("recordedtime", formatTime(event.recordedTime()));
        }
        if (event.partitionKey() != null) {
            node.put("partitionkey", event.partitionKey());
        }
        node.set("data", mapper.valueToTree(event.data()));
        return node;
    }

    /**
     * Structured-mode JSON bytes (UTF-8, one line): the same bytes as {@link #toJsonNode} written out,
     * streamed without building the tree (about twice as fast; the generator and sinks write millions).
     */
    public byte[] write(CloudEvent event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (JsonGenerator generator = mapper.getFactory().createGenerator(bytes)) {
            generator.writeStartObject();
            generator.writeStringField("specversion", CloudEvent.SPEC_VERSION);
            generator.writeStringField("id", event.id());
            generator.writeStringField("source", event.source());
            generator.writeStringField("type", event.type().type());
            generator.writeStringField("time", formatTime(event.time()));
            if (event.subject() != null) {
                generator.writeStringField("subject", event.subject());
            }
            generator.writeStringField("datacontenttype", CloudEvent.DATA_CONTENT_TYPE);
            if (event.dataschema() != null) {
                generator.writeStringField("dataschema", event.dataschema());
            }
            if (event.recordedTime() != null) {
                generator.writeStringField("recordedtime", formatTime(event.recordedTime()));
            }
            if (event.partitionKey() != null) {
                generator.writeStringField("partitionkey", event.partitionKey());
            }
            generator.writeFieldName("data");
            mapper.writeValue(generator, event.data());
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Structured-mode JSON string (one line, no trailing newline). */
    public String writeString(CloudEvent event) {
        return new String(write(event), StandardCharsets.UTF_8);
    }

    /** The data alone, as binary mode carries it in the Kafka record value. */
    public byte[] writeData(CloudEvent event) {
        try {
            return mapper.writeValueAsBytes(event.data());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Binary-mode headers ({@code ce_*} and {@code content-type}) of an event. */
    public Map<String, String> binaryHeaders(CloudEvent event) {
        ObjectNode node = toJsonNode(event);
        node.remove("data");
        node.remove("datacontenttype");
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        node.fields()
                .forEachRemaining(f ->
                        headers.put(HEADER_PREFIX + f.getKey(), f.getValue().asText()));
        headers.put(CONTENT_TYPE_HEADER, CloudEvent.DATA_CONTENT_TYPE);
        return headers;
    }

    public static String formatTime(Instant time) {
        return DateTimeFormatter.ISO_INSTANT.format(time);
    }

    // ---------------------------------------------------------------- reading

    /** Decodes one structured-mode event. */
    public Decoded<CloudEvent> read(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Decoded.failed(ReasonCode.MALFORMED_JSON, "empty record");
        }
        if (bytes.length > maxBytes) {
            return Decoded.failed(
                    ReasonCode.OVERSIZED,
                    "payload of " + bytes.length + " bytes exceeds the limit of " + maxBytes + " bytes");
        }
        CloudEvent event = readValidInOnePass(bytes);
        return event != null ? Decoded.ok(event) : readThroughTree(bytes);
    }

    /**
     * The reference decoding: the whole record parsed into a {@code JsonNode} tree, then
     * {@link #fromJsonNode}. Every result that is not a valid event comes from here.
     */
    Decoded<CloudEvent> readThroughTree(byte[] bytes) {
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (IOException e) {
            return Decoded.failed(ReasonCode.MALFORMED_JSON, "not valid JSON: " + shortMessage(e));
        }
        if (node == null || !node.isObject()) {
            return Decoded.failed(ReasonCode.MALFORMED_JSON, "a CloudEvent must be a JSON object");
        }
        return fromJsonNode((ObjectNode) node);
    }

    /**
     * A valid event decoded in one streaming pass, with {@code data} bound straight from the parser;
     * or null, and {@link #readThroughTree} decides. Building a tree of every record and binding
     * {@code data} from that tree again was most of the cost of a decode; the generator and the
     * project's writers produce records this pass accepts.
     *
     * <p>It accepts only what gives the same event as the tree: anything unusual returns null rather
     * than a result of its own, so errors and reason codes are always the tree path's. Null for: any
     * parse or binding error; a data field the record does not declare (Jackson would skip its value
     * unchecked, and a field repeated after binding has built the record counts as one); a number read
     * as text (the tree would give its canonical form, e.g. {@code 1.5} for {@code 1.50}, {@code 0} for
     * {@code -0}); {@code data} before {@code type}; an attribute that is not a string or null; a
     * missing, empty or invalid attribute. Other repeated names keep their last value, as in the tree.
     * {@code CloudEventOnePassDecodingTest} compares the two paths on mutated records.
     */
    CloudEvent readValidInOnePass(byte[] bytes) {
        try (JsonParser parser = new NumbersNotAsText(mapper.getFactory().createParser(bytes))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String specVersion = null;
            String id = null;
            String source = null;
            EventType type = null;
            String time = null;
            String subject = null;
            String dataschema = null;
            String recordedTime = null;
            String partitionKey = null;
            EventData data = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String attribute = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (attribute) {
                    case "specversion" -> specVersion = stringOrNull(parser, value);
                    case "id" -> id = stringOrNull(parser, value);
                    case "source" -> source = stringOrNull(parser, value);
                    case "type" -> {
                        type = EventType.fromType(stringOrNull(parser, value)).orElse(null);
                        if (type == null) {
                            return null;
                        }
                    }
                    case "time" -> time = stringOrNull(parser, value);
                    case "subject" -> subject = stringOrNull(parser, value);
                    case "dataschema" -> dataschema = stringOrNull(parser, value);
                    case "recordedtime" -> recordedTime = stringOrNull(parser, value);
                    case "partitionkey" -> partitionKey = stringOrNull(parser, value);
                    case "data" -> {
                        if (type == null || value != JsonToken.START_OBJECT) {
                            return null;
                        }
                        data = strictReader(type).readValue(parser);
                    }
                    // Read, not skipped: the tree path decodes every string and would fail on a bad one.
                    default -> stringOrNull(parser, value);
                }
            }
            if (parser.nextToken() != null) {
                return null; // something after the object: the tree path makes it MALFORMED_JSON
            }
            if (!CloudEvent.SPEC_VERSION.equals(specVersion)
                    || isEmpty(id)
                    || isEmpty(source)
                    || type == null
                    || isEmpty(time)
                    || data == null) {
                return null;
            }
            if (!isUri(source, false) || (dataschema != null && !isUri(dataschema, true))) {
                return null;
            }
            return new CloudEvent(
                    id,
                    source,
                    type,
                    parseTime(time),
                    subject,
                    dataschema,
                    recordedTime == null ? null : parseTime(recordedTime),
                    partitionKey,
                    data);
        } catch (IOException | RuntimeException e) {
            return null; // the tree path gives this record its result, error or not
        }
    }

    /** The reader of a type's data for {@link #readValidInOnePass}: unknown fields fail instead of being skipped. */
    private ObjectReader strictReader(EventType type) {
        return strictReaders.computeIfAbsent(
                type,
                t -> mapper.readerFor(t.dataClass())
                        .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        // data is one value inside the event: what follows it is the rest of the event
                        .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
    }

    /** The text of a string value, null for a JSON null; anything else ends the one-pass decode. */
    private static String stringOrNull(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        throw NotOnePass.INSTANCE;
    }

    private static boolean isEmpty(String text) {
        return text == null || text.isEmpty();
    }

    /**
     * Ends {@link #readValidInOnePass} when a number would be read as text: the tree path reads a
     * number into a numeric node first, so a text field gets the node's canonical form, not the
     * source text the parser holds. The exact value of a decimal is refused for the same reason.
     */
    private static final class NumbersNotAsText extends JsonParserDelegate {
        NumbersNotAsText(JsonParser parser) {
            super(parser);
        }

        private void refuseNumbers() {
            if (currentToken() == JsonToken.VALUE_NUMBER_INT || currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                throw NotOnePass.INSTANCE;
            }
        }

        @Override
        public String getText() throws IOException {
            refuseNumbers();
            return super.getText();
        }

        @Override
        public int getText(Writer writer) throws IOException {
            refuseNumbers();
            return super.getText(writer);
        }

        @Override
        public char[] getTextCharacters() throws IOException {
            refuseNumbers();
            return super.getTextCharacters();
        }

        @Override
        public int getTextLength() throws IOException {
            refuseNumbers();
            return super.getTextLength();
        }

        @Override
        public int getTextOffset() throws IOException {
            refuseNumbers();
            return super.getTextOffset();
        }

        @Override
        public String getValueAsString() throws IOException {
            refuseNumbers();
            return super.getValueAsString();
        }

        @Override
        public String getValueAsString(String defaultValue) throws IOException {
            refuseNumbers();
            return super.getValueAsString(defaultValue);
        }

        @Override
        public BigDecimal getDecimalValue() throws IOException {
            throw NotOnePass.INSTANCE;
        }
    }

    /** Control flow only (no stack trace): the record leaves the one-pass decode for the tree path. */
    private static final class NotOnePass extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final NotOnePass INSTANCE = new NotOnePass();

        private NotOnePass() {
            super("not decodable in one pass", null, false, false);
        }
    }

    public Decoded<CloudEvent> read(String json) {
        return read(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes one binary-mode event: attributes from {@code ce_*} headers, data from the value.
     * Header names are matched case-insensitively.
     */
    public Decoded<CloudEvent> readBinary(Map<String, String> headers, byte[] value) {
        if (value != null && value.length > maxBytes) {
            return Decoded.failed(
                    ReasonCode.OVERSIZED,
                    "payload of " + value.length + " bytes exceeds the limit of " + maxBytes + " bytes");
        }
        ObjectNode node = mapper.createObjectNode();
        Map<String, String> lower = headers.entrySet().stream()
                .collect(Collectors.toMap(
                        e -> e.getKey().toLowerCase(java.util.Locale.ROOT), Map.Entry::getValue, (a, b) -> b));
        lower.forEach((k, v) -> {
            if (k.startsWith(HEADER_PREFIX) && v != null) {
                node.put(k.substring(HEADER_PREFIX.length()), v);
            }
        });
        if (value != null && value.length > 0) {
            try {
                node.set("data", mapper.readTree(value));
            } catch (IOException e) {
                return Decoded.failed(ReasonCode.MALFORMED_JSON, "data is not valid JSON: " + shortMessage(e));
            }
        }
        return fromJsonNode(node);
    }

    /** True when Kafka headers say the record is in binary mode (a {@code ce_specversion} header). */
    public static boolean isBinaryMode(Map<String, String> headers) {
        for (String name : headers.keySet()) {
            if (name.equalsIgnoreCase(HEADER_PREFIX + "specversion")) {
                return true;
            }
        }
        return false;
    }

    /** URIs already found valid (sources and schema URIs repeat on every event); bounded. */
    private final Map<String, Boolean> validUris = new ConcurrentHashMap<>();

    private static final int MAX_REMEMBERED_URIS = 1_024;

    /**
     * True when the text is a URI reference (RFC 3986, as the schemas' {@code uri-reference} format
     * for {@code source}), and absolute when {@code absolute} ({@code uri}, for {@code dataschema}).
     */
    private boolean isUri(String text, boolean absolute) {
        Boolean known = validUris.get(text);
        if (known != null && (known || !absolute)) {
            return true;
        }
        boolean valid;
        boolean isAbsolute;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c > '~') {
                return false; // RFC 3986 is ASCII without spaces; java.net.URI also takes other characters
            }
        }
        try {
            java.net.URI uri = new java.net.URI(text);
            valid = true;
            isAbsolute = uri.isAbsolute();
        } catch (java.net.URISyntaxException e) {
            valid = false;
            isAbsolute = false;
        }
        if (valid && validUris.size() < MAX_REMEMBERED_URIS) {
            validUris.put(text, isAbsolute);
        }
        return valid && (isAbsolute || !absolute);
    }

    /** The optional attributes the schemas define, all strings (or null). */
    private static final String[] OPTIONAL_STRING_ATTRIBUTES = {
        "subject", "datacontenttype", "dataschema", "recordedtime", "partitionkey"
    };

    /** Decodes a structured-mode JSON object already parsed. */
    public Decoded<CloudEvent> fromJsonNode(ObjectNode node) {
        // The type first: it names the schema every other check follows (as EventValidator does).
        JsonNode typeNode = node.get("type");
        if (typeNode == null
                || typeNode.isNull()
                || (typeNode.isTextual() && typeNode.asText().isEmpty())) {
            return Decoded.failed(EventError.missing("type"));
        }
        if (!typeNode.isTextual()) {
            return Decoded.failed(new EventError(ReasonCode.INVALID_FIELD, "type", "type must be a string"));
        }
        if (EventType.fromType(typeNode.asText()).isEmpty()) {
            return Decoded.failed(new EventError(
                    ReasonCode.UNKNOWN_TYPE, "type", "unknown event type '" + abbreviate(typeNode.asText()) + "'"));
        }
        JsonNode spec = node.get("specversion");
        if (spec == null || spec.isNull()) {
            return Decoded.failed(EventError.missing("specversion"));
        }
        if (!spec.isTextual()) {
            return Decoded.failed(
                    new EventError(ReasonCode.INVALID_FIELD, "specversion", "specversion must be a string"));
        }
        if (!CloudEvent.SPEC_VERSION.equals(spec.asText())) {
            return Decoded.failed(new EventError(
                    ReasonCode.BAD_SPEC_VERSION,
                    "specversion",
                    "specversion must be 1.0, got '" + abbreviate(spec.asText()) + "'"));
        }
        for (String attribute : new String[] {"id", "source", "type", "time"}) {
            JsonNode value = node.get(attribute);
            if (value == null
                    || value.isNull()
                    || (value.isTextual() && value.asText().isEmpty())) {
                return Decoded.failed(EventError.missing(attribute));
            }
            if (!value.isTextual()) {
                return Decoded.failed(
                        new EventError(ReasonCode.INVALID_FIELD, attribute, attribute + " must be a string"));
            }
        }
        String typeName = node.get("type").asText();
        EventType type = EventType.fromType(typeName).orElse(null);
        if (type == null) {
            return Decoded.failed(new EventError(
                    ReasonCode.UNKNOWN_TYPE, "type", "unknown event type '" + abbreviate(typeName) + "'"));
        }
        for (String attribute : OPTIONAL_STRING_ATTRIBUTES) {
            JsonNode value = node.get(attribute);
            if (value != null && !value.isNull() && !value.isTextual()) {
                return Decoded.failed(
                        new EventError(ReasonCode.INVALID_FIELD, attribute, attribute + " must be a string or null"));
            }
        }
        if (!isUri(node.get("source").asText(), false)) {
            return Decoded.failed(new EventError(ReasonCode.INVALID_FIELD, "source", "source is not a URI reference"));
        }
        JsonNode dataschemaNode = node.get("dataschema");
        if (dataschemaNode != null && !dataschemaNode.isNull() && !isUri(dataschemaNode.asText(), true)) {
            return Decoded.failed(new EventError(ReasonCode.INVALID_FIELD, "dataschema", "dataschema is not a URI"));
        }
        Instant time;
        Instant recorded = null;
        try {
            time = parseTime(node.get("time").asText());
        } catch (DateTimeParseException e) {
            return Decoded.failed(new EventError(
                    ReasonCode.BAD_TIMESTAMP,
                    "time",
                    "time is not an RFC 3339 timestamp: '"
                            + abbreviate(node.get("time").asText()) + "'"));
        }
        JsonNode recordedNode = node.get("recordedtime");
        if (recordedNode != null && !recordedNode.isNull()) {
            try {
                recorded = parseTime(recordedNode.asText());
            } catch (DateTimeParseException e) {
                return Decoded.failed(new EventError(
                        ReasonCode.BAD_TIMESTAMP, "recordedtime", "recordedtime is not an RFC 3339 timestamp"));
            }
        }
        JsonNode dataNode = node.get("data");
        if (dataNode == null || dataNode.isNull()) {
            return Decoded.failed(EventError.missing("data"));
        }
        if (!dataNode.isObject()) {
            return Decoded.failed(new EventError(ReasonCode.INVALID_FIELD, "data", "data must be a JSON object"));
        }
        EventData data;
        try {
            data = mapper.treeToValue(integralNumbersAsLongs(dataNode), type.dataClass());
        } catch (MismatchedInputException e) {
            String field = "data" + pathOf(e);
            boolean missing = e.getMessage() != null && e.getMessage().contains("null");
            if (missing && !(e instanceof InvalidFormatException)) {
                return Decoded.failed(EventError.missing(field));
            }
            return Decoded.failed(
                    new EventError(ReasonCode.INVALID_FIELD, field, "wrong type or value for '" + field + "'"));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Decoded.failed(new EventError(ReasonCode.INVALID_FIELD, "data", "data does not match " + typeName));
        }
        return Decoded.ok(new CloudEvent(
                node.get("id").asText(),
                node.get("source").asText(),
                type,
                time,
                textOrNull(node, "subject"),
                textOrNull(node, "dataschema"),
                recorded,
                textOrNull(node, "partitionkey"),
                data));
    }

    /**
     * The tree with every number of integral value that fits a long as a long node: JSON Schema counts
     * {@code 5.0} and {@code 1e2} as integers, and the mapper binds only integer tokens to integer
     * fields, so without this the codec would refuse what the published schemas accept. A fraction
     * ({@code 139.7}) stays and is refused, never truncated. Only the tree path needs it: the one-pass
     * decode hands any float token to the tree path.
     */
    private static JsonNode integralNumbersAsLongs(JsonNode node) {
        if (node.isContainerNode()) {
            if (node instanceof ObjectNode object) {
                for (Map.Entry<String, JsonNode> field : object.properties()) {
                    field.setValue(integralNumbersAsLongs(field.getValue()));
                }
            } else {
                com.fasterxml.jackson.databind.node.ArrayNode array =
                        (com.fasterxml.jackson.databind.node.ArrayNode) node;
                for (int i = 0; i < array.size(); i++) {
                    array.set(i, integralNumbersAsLongs(array.get(i)));
                }
            }
            return node;
        }
        if (node.isFloatingPointNumber() && node.canConvertToExactIntegral() && node.canConvertToLong()) {
            return com.fasterxml.jackson.databind.node.LongNode.valueOf(node.longValue());
        }
        return node;
    }

    /**
     * RFC 3339 {@code date-time} as the published schemas' {@code format} accepts it: a four-digit
     * year, seconds, at most nine fraction digits, {@code T}, {@code t} or a space between date and
     * time, and {@code Z}, {@code z} or a numeric offset other than {@code -00:00} ("offset unknown").
     * Java's ISO parser alone would accept more (years such as {@code +999999999}, whose epoch millis
     * overflow a long; times without seconds), so the shape is checked first.
     *
     * @throws DateTimeParseException for anything else, including leap seconds ({@code :60}), which
     *     {@link Instant} cannot represent
     */
    public static Instant parseTime(String text) {
        Instant canonical = parseCanonicalUtc(text);
        if (canonical != null) {
            return canonical;
        }
        if (!RFC_3339_DATE_TIME.matcher(text).matches() || text.endsWith("-00:00")) {
            throw new DateTimeParseException("not an RFC 3339 date-time", text, 0);
        }
        String iso = text.substring(0, 10) + 'T' + text.substring(11).toUpperCase(java.util.Locale.ROOT);
        return OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    private static final java.util.regex.Pattern RFC_3339_DATE_TIME = java.util.regex.Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    private static final int[] NANOS_PER_FRACTION_DIGIT_UNIT = {
        0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
    };

    /**
     * The form this codec writes, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, parsed by hand: the general
     * ISO parser took a third of the time of a whole decode. Null for any other text, including every
     * invalid one, which then takes the general parser: results and errors stay exactly as before.
     */
    static Instant parseCanonicalUtc(String text) {
        int length = text.length();
        if (length < 20
                || length == 21
                || length > 30
                || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || (length > 20 && text.charAt(19) != '.')) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int fraction = length > 20 ? digits(text, 20, length - 21) : 0;
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > Month.of(month).length(Year.isLeap(year))
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || fraction < 0) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        int nanos = length > 20 ? fraction * NANOS_PER_FRACTION_DIGIT_UNIT[length - 21] : 0;
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1 if any is not one. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** Parser messages can quote the input; keep only the first line and cut it short. */
    private static String shortMessage(IOException e) {
        String message = e instanceof JsonParseException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return abbreviate(newline >= 0 ? message.substring(0, newline) : message);
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
