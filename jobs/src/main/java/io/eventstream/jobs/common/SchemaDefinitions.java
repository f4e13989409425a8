package io.eventstream.jobs.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code _feature_set.json} of datasets that have columns but no feature definitions (labels,
 * late events, dead letters): the schema itself, so a changed column still bumps the version.
 */
public final class SchemaDefinitions {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SchemaDefinitions() {
    }

    public static String json(DatasetSchema schema) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("dataset", schema.name());
        root.put("time_column", schema.timeColumn());
        ArrayNode columns = root.putArray("columns");
        for (Column column : schema.columns()) {
            columns.addObject()
                    .put("name", column.name())
                    .put("type", column.type().name())
                    .put("nullable", column.nullable())
                    .put("description", column.description());
        }
        return root.toPrettyString();
    }

    public static String fingerprint(DatasetSchema schema) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json(schema).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
