package io.eventstream.features.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.features.events.AbuseReportData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.Personal;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventSchemaGeneratorTest {
    /** Surefire runs in the module directory. */
    private static final Path SCHEMA_DIR = Path.of("src", "main", "resources", "schemas");

    private final EventSchemaGenerator generator = new EventSchemaGenerator();
    private final ObjectMapper mapper = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void committedSchemaIsTheGeneratedOne(EventType type) throws IOException {
        Path file = SCHEMA_DIR.resolve(type.type() + ".json");
        assertThat(file)
                .as("schema of %s; run %s", type.type(), EventCatalogue.REGENERATE_COMMAND)
                .exists();
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .as(
                        "%s differs from the generated schema; run %s from the repository root",
                        file, EventCatalogue.REGENERATE_COMMAND)
                .isEqualTo(generator.render(type));
    }

    @Test
    void everySchemaFileBelongsToAnEventType() throws IOException {
        List<String> expected = Arrays.stream(EventType.values())
                .map(t -> t.type() + ".json")
                .sorted()
                .toList();
        try (Stream<Path> files = Files.list(SCHEMA_DIR)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .isEqualTo(expected);
        }
    }

    /**
     * Checks the committed files against the records with a separate, naive reading of them:
     * camelCase to snake_case by hand, required exactly when primitive, x-personal exactly when
     * annotated, a description everywhere.
     */
    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaAgreesWithTheDataRecord(EventType type) throws IOException {
        JsonNode schema =
                mapper.readTree(SCHEMA_DIR.resolve(type.type() + ".json").toFile());
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("properties").path("type").path("const").asText())
                .isEqualTo(type.type());
        assertThat(schema.path("x-gitlab-source").asText()).isNotBlank();
        assertThat(schema.path("properties")
                        .path("subject")
                        .path("x-subject-pattern")
                        .asText())
                .isNotBlank();
        assertThat(texts(schema.path("required")))
                .containsExactly("specversion", "id", "source", "type", "time", "data");
        schema.path("properties")
                .properties()
                .forEach(p -> assertThat(p.getValue().path("description").asText())
                        .as(p.getKey())
                        .isNotBlank());
        assertRecordMatches(schema.path("properties").path("data"), type.dataClass(), "data");
    }

    private void assertRecordMatches(JsonNode object, Class<?> recordClass, String path) {
        RecordComponent[] components = recordClass.getRecordComponents();
        List<String> names = new ArrayList<>();
        List<String> primitives = new ArrayList<>();
        for (RecordComponent component : components) {
            String name = snakeCase(component.getName());
            names.add(name);
            JsonNode property = object.path("properties").path(name);
            String where = path + "." + name;
            assertThat(property.isObject()).as(where + " present").isTrue();
            assertThat(property.path("description").asText())
                    .as(where + " description")
                    .isNotBlank();
            Personal personal = component.getAnnotation(Personal.class);
            assertThat(property.path("x-personal").asText(null))
                    .as(where + " x-personal")
                    .isEqualTo(personal == null ? null : personal.value().name());
            JsonNode jsonType = property.path("type");
            if (component.getType().isPrimitive()) {
                primitives.add(name);
                assertThat(jsonType.isTextual()).as(where + " not nullable").isTrue();
            } else {
                assertThat(texts(jsonType)).as(where + " nullable").contains("null");
            }
            if (component.getType().isRecord()) {
                assertRecordMatches(property, component.getType(), where);
            } else if (component.getGenericType() instanceof ParameterizedType list
                    && list.getActualTypeArguments()[0] instanceof Class<?> element
                    && element.isRecord()) {
                assertRecordMatches(property.path("items"), element, where + "[]");
            }
        }
        assertThat(fieldNames(object.path("properties")))
                .as(path + " has no extra properties")
                .isEqualTo(names);
        assertThat(texts(object.path("required"))).as(path + " required").isEqualTo(primitives);
    }

    @Test
    void abuseReportDataSchemaIsExactlyAsHandWritten() throws IOException {
        String expected = """
                {"description": "A resolved abuse report.", "type": "object", "title": "AbuseReportData",
                 "required": ["report_id", "reported_user_id"],
                 "properties": {
                   "report_id": {"description": "Abuse report id.", "type": "integer"},
                   "reported_user_id": {"description": "The reported user's id.", "type": "integer"},
                   "reporter_id": {"description": "The reporting user's id, when known.", "type": ["integer", "null"]},
                   "resolution": {"description": "How it was resolved; banned and blocked confirm abuse, dismissed does not.",
                                  "type": ["string", "null"], "enum": ["banned", "blocked", "dismissed", null]}}}
                """;
        assertThat(generator
                        .schemaOf(EventType.ABUSE_REPORT_RESOLVED)
                        .path("properties")
                        .path("data"))
                .isEqualTo(mapper.readTree(expected));
        assertThat(AbuseReportData.class.getRecordComponents()).hasSize(4);
    }

    @Test
    void personalFieldsCarryTheirKind() {
        JsonNode user = generator
                .schemaOf(EventType.USER_RENAMED)
                .path("properties")
                .path("data")
                .path("properties");
        assertThat(user.path("email").path("x-personal").asText()).isEqualTo("IDENTITY");
        assertThat(user.path("user_id").has("x-personal")).isFalse();
        JsonNode note = generator
                .schemaOf(EventType.NOTE_CREATED)
                .path("properties")
                .path("data")
                .path("properties");
        assertThat(note.path("body").path("x-personal").asText()).isEqualTo("TEXT");
        assertThat(note.path("diff_position")
                        .path("properties")
                        .path("new_line")
                        .path("maximum")
                        .asLong())
                .isEqualTo(Integer.MAX_VALUE);
    }

    private static String snakeCase(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static List<String> texts(JsonNode node) {
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        List<String> values = new ArrayList<>();
        node.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<String> fieldNames(JsonNode object) {
        return object.properties().stream().map(e -> e.getKey()).collect(Collectors.toList());
    }
}
