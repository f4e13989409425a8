package io.eventstream.jobs.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.datasets.Sha256;

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
        return Sha256.fingerprint(json(schema));
    }
}
