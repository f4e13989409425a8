package io.eventstream.features.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.Personal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates the JSON Schema (draft 2020-12) of every {@link EventType} from its data record, so the
 * schemas cannot drift from what {@link CloudEventJson} writes and reads: property names come from
 * the codec's own mapper, a primitive record component is required and non-null, a boxed one is
 * optional and nullable, enums list their JSON values, nested records become nested objects.
 * Descriptions come from {@link DataFieldDocs} and {@link EventTypeDocs}.
 *
 * <p>Custom annotation keywords (validators ignore them): {@value #PERSONAL_KEYWORD} on a
 * {@link Personal} field with its kind, {@value #GITLAB_SOURCE_KEYWORD} at the root and
 * {@value #SUBJECT_PATTERN_KEYWORD} on {@code subject}.
 *
 * <p>The committed files under {@code features/src/main/resources/schemas/} are this class's output;
 * a test fails when they differ. Regenerate from the repository root with
 * {@code ./features/regenerate-docs.sh} (see {@link #main(String[])}).
 */
public final class EventSchemaGenerator {

    public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
    public static final String PERSONAL_KEYWORD = "x-personal";
    public static final String GITLAB_SOURCE_KEYWORD = "x-gitlab-source";
    public static final String SUBJECT_PATTERN_KEYWORD = "x-subject-pattern";
    /** Where the schemas live, relative to the repository root. */
    public static final Path DEFAULT_OUTPUT_DIR = Path.of("features", "src", "main", "resources", "schemas");

    /** The envelope attributes that must be present, in the order CloudEventJson writes them. */
    static final List<String> REQUIRED_ATTRIBUTES = List.of("specversion", "id", "source", "type", "time", "data");

    private final ObjectMapper mapper = CloudEventJson.newMapper();
    private final ObjectWriter writer = mapper.writer(prettyPrinter());

    /** The schema of one event type. */
    public ObjectNode schemaOf(EventType type) {
        EventTypeDocs docs = EventTypeDocs.of(type);
        ObjectNode schema = mapper.createObjectNode();
        schema.put("$schema", DIALECT);
        schema.put("$id", CloudEvent.schemaUri(type));
        schema.put("title", type.type());
        schema.put("description", docs.description());
        schema.put(GITLAB_SOURCE_KEYWORD, docs.gitlabSource());
        schema.put("type", "object");
        ArrayNode required = schema.putArray("required");
        REQUIRED_ATTRIBUTES.forEach(required::add);

        ObjectNode properties = schema.putObject("properties");
        properties
                .putObject("specversion")
                .put("description", "CloudEvents specification version.")
                .put("type", "string")
                .put("const", CloudEvent.SPEC_VERSION);
        properties
                .putObject("id")
                .put(
                        "description",
                        "Unique per source: GitLab's delivery UUID (X-Gitlab-Event-UUID) where known, "
                                + "else a stable hash of the payload.")
                .put("type", "string")
                .put("minLength", 1);
        properties
                .putObject("source")
                .put("description", "The GitLab instance URI, e.g. https://gitlab.example.com.")
                .put("type", "string")
                .put("minLength", 1)
                .put("format", "uri-reference");
        properties
                .putObject("type")
                .put("description", "The event type.")
                .put("type", "string")
                .put("const", type.type());
        properties
                .putObject("time")
                .put("description", "When it happened in GitLab (event time), RFC 3339; producers write UTC.")
                .put("type", "string")
                .put("minLength", 1)
                .put("format", "date-time");
        ObjectNode subject = properties
                .putObject("subject")
                .put("description", "The object the event is about: " + docs.subject() + ".");
        nullableType(subject, "string");
        subject.put(SUBJECT_PATTERN_KEYWORD, docs.subject());
        nullableType(
                properties
                        .putObject("datacontenttype")
                        .put("description", "Media type of data: " + CloudEvent.DATA_CONTENT_TYPE + "."),
                "string");
        nullableType(properties.putObject("dataschema").put("description", "URI of this schema (its $id)."), "string")
                .put("format", "uri");
        nullableType(
                        properties
                                .putObject("recordedtime")
                                .put(
                                        "description",
                                        "Extension: when the event was ingested, RFC 3339; producers write UTC."),
                        "string")
                .put("format", "date-time");
        nullableType(
                properties
                        .putObject("partitionkey")
                        .put(
                                "description",
                                "Extension and Kafka record key: the entity the event is about "
                                        + "(the user id for user activity), so one entity's events stay ordered in one partition."),
                "string");
        ObjectNode data = properties.putObject("data").put("description", DataFieldDocs.ofRecord(type.dataClass()));
        describeRecord(data, type.dataClass(), false);
        return schema;
    }

    /** The schema file's text: two-space indented JSON with a final newline, stable byte for byte. */
    public String render(EventType type) {
        try {
            return writer.writeValueAsString(schemaOf(type)) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes every schema into a directory (default {@link #DEFAULT_OUTPUT_DIR}); returns the files written. */
    public List<Path> writeAll(Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new java.util.ArrayList<>();
        for (EventType type : EventType.values()) {
            Path file = directory.resolve(type.type() + ".json");
            Files.writeString(file, render(type), StandardCharsets.UTF_8);
            written.add(file);
        }
        return written;
    }

    /** Regenerates the schema files: {@code EventSchemaGenerator [output-dir]}, run from the repository root. */
    public static void main(String[] args) throws IOException {
        Path directory = args.length > 0 ? Path.of(args[0]) : DEFAULT_OUTPUT_DIR;
        List<Path> written = new EventSchemaGenerator().writeAll(directory);
        System.out.println("wrote " + written.size() + " schemas to " + directory);
    }

    // ---------------------------------------------------------------- records to schema

    private void describeRecord(ObjectNode node, Class<?> recordClass, boolean nullable) {
        nullableType(node, "object", nullable);
        node.put("title", recordClass.getSimpleName());
        Map<String, String> jsonNames = jsonNames(recordClass);
        RecordComponent[] components = recordClass.getRecordComponents();
        ArrayNode required = mapper.createArrayNode();
        ObjectNode properties = mapper.createObjectNode();
        for (RecordComponent component : components) {
            String name = jsonNames.get(component.getName());
            if (name == null) {
                throw new IllegalStateException(recordClass.getSimpleName() + "." + component.getName()
                        + " is not a JSON property of the codec");
            }
            boolean primitive = component.getType().isPrimitive();
            if (primitive) {
                required.add(name);
            }
            ObjectNode field = properties
                    .putObject(name)
                    .put("description", DataFieldDocs.ofField(recordClass, component.getName()));
            Personal personal = component.getAnnotation(Personal.class);
            if (personal != null) {
                field.put(PERSONAL_KEYWORD, personal.value().name());
            }
            describeValue(field, component.getGenericType(), !primitive);
        }
        if (!required.isEmpty()) {
            node.set("required", required);
        }
        node.set("properties", properties);
    }

    private void describeValue(ObjectNode node, Type type, boolean nullable) {
        Class<?> raw = rawClass(type);
        if (raw == long.class || raw == Long.class) {
            nullableType(node, "integer", nullable);
        } else if (raw == int.class || raw == Integer.class) {
            // Jackson rejects an int outside 32 bits, so the schema does too.
            nullableType(node, "integer", nullable)
                    .put("minimum", Integer.MIN_VALUE)
                    .put("maximum", Integer.MAX_VALUE);
        } else if (raw == boolean.class || raw == Boolean.class) {
            nullableType(node, "boolean", nullable);
        } else if (raw == String.class) {
            nullableType(node, "string", nullable);
        } else if (raw.isEnum()) {
            nullableType(node, "string", nullable);
            ArrayNode values = node.putArray("enum");
            for (Object constant : raw.getEnumConstants()) {
                values.add(mapper.valueToTree(constant));
            }
            if (nullable) {
                values.addNull();
            }
        } else if (raw == List.class && type instanceof ParameterizedType parameterized) {
            nullableType(node, "array", nullable);
            describeValue(node.putObject("items"), parameterized.getActualTypeArguments()[0], false);
        } else if (raw.isRecord()) {
            describeRecord(node, raw, nullable);
        } else {
            throw new IllegalStateException("no JSON Schema mapping for " + type.getTypeName());
        }
    }

    /** Java component name to JSON property name, exactly as the codec's mapper names them. */
    private Map<String, String> jsonNames(Class<?> recordClass) {
        BeanDescription description = mapper.getSerializationConfig().introspect(mapper.constructType(recordClass));
        Map<String, String> names = new HashMap<>();
        for (BeanPropertyDefinition property : description.findProperties()) {
            names.put(property.getInternalName(), property.getName());
        }
        return names;
    }

    private ObjectNode nullableType(ObjectNode node, String jsonType) {
        return nullableType(node, jsonType, true);
    }

    private ObjectNode nullableType(ObjectNode node, String jsonType, boolean nullable) {
        if (nullable) {
            node.putArray("type").add(jsonType).add("null");
        } else {
            node.put("type", jsonType);
        }
        return node;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        throw new IllegalStateException("no JSON Schema mapping for " + type.getTypeName());
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(
                Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        // An explicit "\n" so the files are the same bytes on every operating system; arrays stay on one line.
        printer.indentObjectsWith(new DefaultIndenter("  ", "\n"));
        return printer;
    }
}
