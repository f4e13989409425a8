package io.eventstream.connectors.parquet;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link DatasetSchema} in a form Java serialization can carry inside a Flink operator (the
 * schema types of {@code features} are plain records, not {@code Serializable}).
 */
final class SerializedSchema implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String timeColumn;
    private final String[] columnNames;
    private final ColumnType[] types;
    private final boolean[] nullable;
    private final String[] descriptions;

    SerializedSchema(DatasetSchema schema) {
        List<Column> columns = schema.columns();
        this.name = schema.name();
        this.timeColumn = schema.timeColumn();
        this.columnNames = new String[columns.size()];
        this.types = new ColumnType[columns.size()];
        this.nullable = new boolean[columns.size()];
        this.descriptions = new String[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            columnNames[i] = c.name();
            types[i] = c.type();
            nullable[i] = c.nullable();
            descriptions[i] = c.description();
        }
    }

    DatasetSchema schema() {
        List<Column> columns = new ArrayList<>(columnNames.length);
        for (int i = 0; i < columnNames.length; i++) {
            columns.add(new Column(columnNames[i], types[i], nullable[i], descriptions[i]));
        }
        return new DatasetSchema(name, columns, timeColumn);
    }
}
