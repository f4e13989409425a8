package io.eventstream.connectors.parquet;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.types.Row;

/**
 * Flink typing of dataset rows: a {@link Row} holds the values of a {@link DatasetSchema} in
 * column order, each of its column type's Java class (timestamps as {@code Long} epoch millis) or
 * null. Use {@link #typeInfo(DatasetSchema)} in {@code .returns(...)} so Flink serializes rows with
 * its row serializer instead of falling back to Kryo.
 */
public final class DatasetRows {

    private DatasetRows() {}

    /** The row type of a dataset: one named field per column, in schema order. */
    public static RowTypeInfo typeInfo(DatasetSchema schema) {
        List<Column> columns = schema.columns();
        TypeInformation<?>[] types = new TypeInformation<?>[columns.size()];
        String[] names = new String[columns.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = fieldType(columns.get(i).type());
            names[i] = columns.get(i).name();
        }
        return new RowTypeInfo(types, names);
    }

    /** A positional row holding {@code values} (in schema order, as {@code DatasetSchema} rows are). */
    public static Row of(Object[] values) {
        return Row.of(values);
    }

    private static TypeInformation<?> fieldType(ColumnType type) {
        return switch (type) {
            case STRING -> Types.STRING;
            case INT -> Types.INT;
            case LONG, TIMESTAMP_MILLIS -> Types.LONG;
            case DOUBLE -> Types.DOUBLE;
            case BOOLEAN -> Types.BOOLEAN;
        };
    }
}
