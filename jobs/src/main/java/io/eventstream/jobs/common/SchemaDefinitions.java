package io.eventstream.jobs.common;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.features.config.FeatureSetJson;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.datasets.Sha256;

/**
 * The {@code _feature_set.json} of datasets that have columns but no feature definitions (labels,
 * late events, dead letters): the schema itself, so a changed column still bumps the version.
 */
public final class SchemaDefinitions {
    private SchemaDefinitions() {}

    public static String json(DatasetSchema schema) {
        ObjectNode root = FeatureSetJson.object();
        root.put("dataset", schema.name());
        FeatureSetJson.schema(root, schema);
        return root.toPrettyString();
    }

    public static String fingerprint(DatasetSchema schema) {
        return Sha256.fingerprint(json(schema));
    }
}
