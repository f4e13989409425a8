package io.eventstream.features.datasets;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One column of a dataset or online table.
 *
 * @param name         snake_case column name
 * @param type         logical type
 * @param nullable     whether the value may be null
 * @param description  meaning, unit and null rule, for the feature catalogue and {@code _feature_set.json}
 */
public record Column(String name, ColumnType type, boolean nullable, String description) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    public Column {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("column name must be snake_case: " + name);
        }
    }

    public static Column required(String name, ColumnType type, String description) {
        return new Column(name, type, false, description);
    }

    public static Column nullable(String name, ColumnType type, String description) {
        return new Column(name, type, true, description);
    }
}
