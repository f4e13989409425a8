package io.eventstream.connectors.parquet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.schema.MessageType;

/**
 * Resolves the version directory {@code <root>/<dataset>/v<N>} a job writes to: the existing version
 * whose {@code _feature_set.json} records the same feature-set fingerprint, else a new
 * {@code v<max+1>} with its {@code _feature_set.json}. Existing versions are never modified.
 *
 * <p>Works on every Flink filesystem. A new version is claimed atomically where the filesystem
 * can: by creating its directory on the local disk, by creating {@code v<N>/_version_claim}
 * exclusively on HDFS. S3 (before conditional writes) has no exclusive create, so two clients
 * creating the first version of two different feature sets in the same instant can both claim it;
 * {@code docs/datasets.md} says so.
 */
public final class DatasetVersions {
    /** Name of the file recording a version's feature set, at the version's root. */
    public static final String FEATURE_SET_FILE = "_feature_set.json";

    private static final Pattern VERSION_DIR = Pattern.compile("v([1-9][0-9]*)");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DatasetVersions() {}

    /**
     * Returns the version directory for {@code fingerprint}, creating it when no version has it.
     *
     * @throws IllegalArgumentException when {@code definitionJson} is not JSON
     * @throws IllegalStateException    when a version has the fingerprint but other columns (the
     *                                  fingerprint must cover the schema)
     * @throws UncheckedIOException     when the directories cannot be read or written
     */
    public static java.nio.file.Path resolve(
            java.nio.file.Path root, DatasetSchema schema, String definitionJson, String fingerprint) {
        Path version = resolve(new Path(root.toAbsolutePath().toUri()), schema, definitionJson, fingerprint);
        return java.nio.file.Path.of(version.toUri());
    }

    /** {@link #resolve(java.nio.file.Path, DatasetSchema, String, String)} on any Flink filesystem. */
    public static Path resolve(Path root, DatasetSchema schema, String definitionJson, String fingerprint) {
        JsonNode definition = parseDefinition(definitionJson);
        Path datasetDir = new Path(root, schema.name());
        try {
            FileSystem fs = datasetDir.getFileSystem();
            fs.mkdirs(datasetDir);
            while (true) {
                int max = 0;
                for (int version : versions(datasetDir)) {
                    max = Math.max(max, version);
                    Path dir = new Path(datasetDir, "v" + version);
                    Optional<JsonNode> recorded = readFeatureSet(dir);
                    if (recorded.isPresent()
                            && fingerprint.equals(
                                    recorded.get().path("fingerprint").asText())) {
                        requireSameColumns(dir, recorded.get(), schema);
                        return dir;
                    }
                }
                Path created = new Path(datasetDir, "v" + (max + 1));
                if (!claim(fs, created)) {
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
    static List<Integer> versions(java.nio.file.Path datasetDir) throws IOException {
        return versions(new Path(datasetDir.toAbsolutePath().toUri()));
    }

    static List<Integer> versions(Path datasetDir) throws IOException {
        List<Integer> versions = new ArrayList<>();
        FileSystem fs = datasetDir.getFileSystem();
        FileStatus[] children = fs.exists(datasetDir) ? fs.listStatus(datasetDir) : null;
        for (FileStatus child : children == null ? new FileStatus[0] : children) {
            Matcher m = VERSION_DIR.matcher(child.getPath().getName());
            if (child.isDir() && m.matches()) {
                versions.add(Integer.parseInt(m.group(1)));
            }
        }
        versions.sort(null);
        return versions;
    }

    /** Claims a new version directory; false when another client has it already. */
    private static boolean claim(FileSystem fs, Path versionDir) throws IOException {
        if (DatasetFiles.isLocal(versionDir)) {
            try {
                Files.createDirectory(java.nio.file.Path.of(versionDir.toUri()));
                return true;
            } catch (FileAlreadyExistsException raced) {
                return false;
            }
        }
        Path claim = new Path(versionDir, "_version_claim");
        if (fs.exists(claim)) {
            return false;
        }
        try (FSDataOutputStream out = fs.create(claim, FileSystem.WriteMode.NO_OVERWRITE)) {
            out.flush();
            return true;
        } catch (IOException e) {
            if (fs.exists(claim)) {
                return false; // HDFS refused the exclusive create: another client claimed it
            }
            throw e;
        }
    }

    private static JsonNode parseDefinition(String definitionJson) {
        try {
            return JSON.readTree(definitionJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the feature-set definition is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Optional<JsonNode> readFeatureSet(Path versionDir) throws IOException {
        Path file = new Path(versionDir, FEATURE_SET_FILE);
        FileSystem fs = file.getFileSystem();
        // A version directory without the file is one whose creation was interrupted: never reused.
        if (!fs.exists(file)) {
            return Optional.empty();
        }
        try (FSDataInputStream in = fs.open(file)) {
            return Optional.of(JSON.readTree(in));
        }
    }

    private static void requireSameColumns(Path dir, JsonNode recorded, DatasetSchema schema) {
        if (!columnSignature(columnsJson(schema)).equals(columnSignature(recorded.path("columns")))) {
            throw new IllegalStateException(
                    dir + " has fingerprint " + recorded.path("fingerprint").asText() + " but other columns than "
                            + schema.name() + ": the fingerprint must cover the schema");
        }
    }

    /** Name, type and nullability of each column: what makes files of two schemas compatible. */
    private static List<String> columnSignature(JsonNode columns) {
        List<String> signature = new ArrayList<>();
        for (JsonNode c : columns) {
            signature.add(c.path("name").asText() + ":" + c.path("type").asText() + ":"
                    + c.path("nullable").asBoolean());
        }
        return signature;
    }

    private static void writeFeatureSet(
            Path dir, int version, DatasetSchema schema, JsonNode definition, String fingerprint) throws IOException {
        ObjectNode file = JSON.createObjectNode();
        file.put("dataset", schema.name());
        file.put("version", version);
        file.put("fingerprint", fingerprint);
        file.put("created_at", Instant.now().toString());
        file.put("time_column", schema.timeColumn());
        file.put("partitioning", "dt=YYYY-MM-DD/hour=HH, UTC hour of " + schema.timeColumn());
        file.set("columns", columnsJson(schema));
        file.set("feature_set", definition);
        // Published whole (rename or completed upload), so a reader never sees a half-written file.
        DatasetFiles.publish(new Path(dir, FEATURE_SET_FILE), JSON.writeValueAsBytes(file));
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
