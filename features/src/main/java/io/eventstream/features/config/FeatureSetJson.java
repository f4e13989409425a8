package io.eventstream.features.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.windows.WindowSpec;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The pieces every {@code _feature_set.json} is made of (windows, windowed features, schemas) and
 * its one text form. The text is hashed into {@code feature_set_version}, so every job writes each
 * piece the same way: a change here changes every fingerprint, hence every dataset version.
 */
public final class FeatureSetJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FeatureSetJson() {}

    /** A new definition with {@code feature_set} and {@code logic_version} first. */
    public static ObjectNode root(String featureSet, int logicVersion) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("feature_set", featureSet);
        root.put("logic_version", logicVersion);
        return root;
    }

    /** A new object, for definitions that are not feature sets (plain schemas). */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Array {@code windows}, sorted by name so reordering the YAML file does not look like a new definition. */
    public static void windows(ObjectNode root, List<WindowSpec> windows) {
        ArrayNode array = root.putArray("windows");
        windows.stream().sorted(Comparator.comparing(WindowSpec::name)).forEach(w -> window(array.addObject(), w));
    }

    /** One window's name, length and hop, as text and in milliseconds. */
    public static void window(ObjectNode node, WindowSpec w) {
        node.put("name", w.name());
        node.put("length", Durations.formatMillis(w.lengthMillis()));
        node.put("hop", Durations.formatMillis(w.hopMillis()));
        node.put("length_millis", w.lengthMillis());
        node.put("hop_millis", w.hopMillis());
    }

    /**
     * Object {@code features}: each windowed feature's key to the names of its configured windows. A
     * feature off by default (no default windows) and not enabled is left out: declaring a new
     * feature does not change the definition of configurations that do not use it.
     */
    public static <F extends WindowedFeature> void features(
            ObjectNode root, F[] features, Function<F, List<WindowSpec>> windowsOf) {
        ObjectNode node = root.putObject("features");
        for (F feature : features) {
            if (feature.defaultWindows().isEmpty() && windowsOf.apply(feature).isEmpty()) {
                continue;
            }
            ArrayNode list = node.putArray(feature.key());
            windowsOf.apply(feature).forEach(w -> list.add(w.name()));
        }
    }

    /** Object {@code schemas}: each schema by name, as {@link #schema} writes it. */
    public static void schemas(ObjectNode root, List<DatasetSchema> schemas) {
        ObjectNode node = root.putObject("schemas");
        for (DatasetSchema schema : schemas) {
            schema(node.putObject(schema.name()), schema);
        }
    }

    /** A schema's {@code time_column} and its {@code columns} (name, type, nullability, description). */
    public static void schema(ObjectNode node, DatasetSchema schema) {
        node.put("time_column", schema.timeColumn());
        ArrayNode columns = node.putArray("columns");
        for (Column c : schema.columns()) {
            columns.addObject()
                    .put("name", c.name())
                    .put("type", c.type().name())
                    .put("nullable", c.nullable())
                    .put("description", c.description());
        }
    }

    /** The text written as {@code _feature_set.json}: two-space indentation, one field per line, final newline. */
    public static String render(ObjectNode root) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return MAPPER.writer(printer).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }
}
