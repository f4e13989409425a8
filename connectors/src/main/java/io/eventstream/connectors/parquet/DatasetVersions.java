package io.eventstream.connectors.parquet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Resolves the version directory {@code <root>/<dataset>/v<N>} a job writes to: the existing version
 * whose {@code _feature_set.json} records the same feature-set fingerprint, else a new
 * {@code v<max+1>} with its {@code _feature_set.json}. Existing versions are never modified.
 */
public final class DatasetVersions {
    /** Name of the file recording a version's feature set, at the version's root. */
    public static final String FEATURE_SET_FILE = "_feature_set.json";

    private static final Pattern VERSION_DIR = Pattern.compile("v([1-9][0-9]*)");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DatasetVersions() {
    }

    /**
     * Returns the version directory for {@code fingerprint}, creating it when no version has it.
     *
     * @throws IllegalArgumentException when {@code definitionJson} is not JSON
     * @throws IllegalStateException    when a version has the fingerprint but other columns (the
     *                                  fingerprint must cover the schema)
     * @throws UncheckedIOException     when the directories cannot be read or written
     */
    public static Path resolve(Path root, DatasetSchema schema, String definitionJson, String fingerprint) {
        JsonNode definition = parseDefinition(definitionJson);
        Path datasetDir = root.resolve(schema.name());
        try {
            Files.createDirectories(datasetDir);
            while (true) {
                int max = 0;
                for (int version : versions(datasetDir)) {
                    max = Math.max(max, version);
                    Path dir = datasetDir.resolve("v" + version);
                    Optional<JsonNode> recorded = readFeatureSet(dir);
                    if (recorded.isPresent() && fingerprint.equals(recorded.get().path("fingerprint").asText())) {
                        requireSameColumns(dir, recorded.get(), schema);
                        return dir;
                    }
                }
                Path created = datasetDir.resolve("v" + (max + 1));
                try {
                    Files.createDirectory(created);
                } catch (FileAlreadyExistsException raced) {
                    continue; // another client created it first: look again, it may have our fingerprint
                }
                writeFeatureSet(created, max + 1, schema, definition, fingerprint);
                return created;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve the dataset version under " + datasetDir, e);
        }
    }

    /** Version numbers present under a dataset directory, ascending. */
    static List<Integer> versions(Path datasetDir) throws IOException {
        List<Integer> versions = new ArrayList<>();
        try (Stream<Path> children = Files.list(datasetDir)) {
            children.filter(Files::isDirectory).forEach(child -> {
                Matcher m = VERSION_DIR.matcher(child.getFileName().toString());
                if (m.matches()) {
                    versions.add(Integer.parseInt(m.group(1)));
                }
            });
        }
        versions.sort(null);
        return versions;
    }

    private static JsonNode parseDefinition(String definitionJson) {
        try {
            return JSON.readTree(definitionJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the feature-set definition is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Optional<JsonNode> readFeatureSet(Path versionDir) throws IOException {
        Path file = versionDir.resolve(FEATURE_SET_FILE);
        // A version directory without the file is one whose creation was interrupted: never reused.
        return Files.isRegularFile(file) ? Optional.of(JSON.readTree(file.toFile())) : Optional.empty();
    }

    private static void requireSameColumns(Path dir, JsonNode recorded, DatasetSchema schema) {
        if (!columnSignature(columnsJson(schema)).equals(columnSignature(recorded.path("columns")))) {
            throw new IllegalStateException(dir + " has fingerprint " + recorded.path("fingerprint").asText()
                    + " but other columns than " + schema.name() + ": the fingerprint must cover the schema");
        }
    }

    /** Name, type and nullability of each column: what makes files of two schemas compatible. */
    private static List<String> columnSignature(JsonNode columns) {
        List<String> signature = new ArrayList<>();
        for (JsonNode c : columns) {
            signature.add(c.path("name").asText() + ":" + c.path("type").asText() + ":" + c.path("nullable").asBoolean());
        }
        return signature;
    }

    private static void writeFeatureSet(Path dir, int version, DatasetSchema schema, JsonNode definition,
                                        String fingerprint) throws IOException {
        ObjectNode file = JSON.createObjectNode();
        file.put("dataset", schema.name());
        file.put("version", version);
        file.put("fingerprint", fingerprint);
        file.put("created_at", Instant.now().toString());
        file.put("time_column", schema.timeColumn());
        file.put("partitioning", "dt=YYYY-MM-DD/hour=HH, UTC hour of " + schema.timeColumn());
        file.set("columns", columnsJson(schema));
        file.set("feature_set", definition);
        // Written aside and moved in, so a reader never sees a half-written file.
        Path temporary = dir.resolve("." + FEATURE_SET_FILE + ".tmp");
        JSON.writeValue(temporary.toFile(), file);
        Files.move(temporary, dir.resolve(FEATURE_SET_FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    private static ArrayNode columnsJson(DatasetSchema schema) {
        MessageType parquet = DatasetWriteSupport.parquetSchema(schema);
        ArrayNode columns = JSON.createArrayNode();
        for (Column column : schema.columns()) {
            ObjectNode c = columns.addObject();
            c.put("name", column.name());
            c.put("type", column.type().name());
            c.put("nullable", column.nullable());
            c.put("parquet_type", parquet.getType(column.name()).toString());
            c.put("description", column.description());
        }
        return columns;
    }
}
