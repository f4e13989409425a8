package io.eventstream.features.datasets;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered columns of a dataset (or online table) and the column that places a row in time
 * (its {@code dt=}/{@code hour=} partition). Rows are {@code Object[]} in column order, each value
 * of its column type's Java class or null.
 *
 * @param name        dataset name, e.g. {@code spam_features}
 * @param columns     ordered columns
 * @param timeColumn  name of a TIMESTAMP_MILLIS column that partitions the rows
 */
public record DatasetSchema(String name, List<Column> columns, String timeColumn) implements Serializable {

    public DatasetSchema {
        columns = List.copyOf(columns);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            if (seen.put(columns.get(i).name(), i) != null) {
                throw new IllegalArgumentException(
                        "duplicate column " + columns.get(i).name() + " in " + name);
            }
        }
        Integer time = seen.get(timeColumn);
        if (time == null
                || columns.get(time).type() != ColumnType.TIMESTAMP_MILLIS
                || columns.get(time).nullable()) {
            throw new IllegalArgumentException(
                    "time column " + timeColumn + " of " + name + " must be a non-null TIMESTAMP_MILLIS column");
        }
    }

    /** The same columns under another dataset name (e.g. one job's own {@code late_events}). */
    public DatasetSchema renamed(String newName) {
        return new DatasetSchema(newName, columns, timeColumn);
    }

    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + column + " in " + name);
    }

    public int timeIndex() {
        return indexOf(timeColumn);
    }

    /** Checks a row against the schema; returns null when valid, else what is wrong. */
    public String check(Object[] row) {
        if (row.length != columns.size()) {
            return name + ": row has " + row.length + " values for " + columns.size() + " columns";
        }
        for (int i = 0; i < row.length; i++) {
            Column c = columns.get(i);
            if (row[i] == null) {
                if (!c.nullable()) {
                    return name + "." + c.name() + " is null but not nullable";
                }
            } else if (!c.type().javaClass().isInstance(row[i])) {
                return name + "." + c.name() + " must be "
                        + c.type().javaClass().getSimpleName() + ", got "
                        + row[i].getClass().getSimpleName();
            }
        }
        return null;
    }
}
