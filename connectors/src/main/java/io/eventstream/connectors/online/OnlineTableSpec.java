package io.eventstream.connectors.online;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an online feature table holds: its columns, the entity key, the event-time column that
 * decides which row is newest, how long an entity stays readable after its last accepted write,
 * and the feature-set version stamped on every row.
 *
 * <p>The table name is {@code schema.name()} and the event-time column is
 * {@code schema.timeColumn()} (a non-null TIMESTAMP_MILLIS column, enforced by
 * {@link DatasetSchema}). Rows are {@code Object[]} (or Flink {@code Row}s) in column order.
 *
 * @param schema             table name, ordered columns and event-time column
 * @param keyColumns         entity key, one or more non-nullable STRING/INT/LONG columns, in key order
 * @param ttl                positive; an entity disappears this long after its last accepted upsert
 * @param featureSetVersion  non-blank; written next to every row so readers can tell which
 *                           feature definitions produced it
 * @param prefixIndexColumns 0 (no index) or how many leading key columns the Redis backend indexes,
 *                           so that {@link OnlineTableReader#scanPrefix} can read all rows sharing
 *                           those leading key values without scanning the keyspace (SQLite's primary
 *                           key serves any leading prefix already); between 0 and the key size minus 1
 */
public record OnlineTableSpec(
        DatasetSchema schema, List<String> keyColumns, Duration ttl, String featureSetVersion, int prefixIndexColumns)
        implements Serializable {

    /** Field/column holding {@link #featureSetVersion()} in both backends. */
    public static final String FEATURE_SET_VERSION = "feature_set_version";
    /** Field/column holding the tie-break digest for rows with equal event time (see docs/online-tables.md). */
    public static final String ROW_DIGEST = "row_digest";
    /** SQLite column holding the expiry instant in epoch millis. */
    public static final String EXPIRES_AT = "expires_at";

    private static final Set<String> RESERVED = Set.of(FEATURE_SET_VERSION, ROW_DIGEST, EXPIRES_AT);
    private static final Set<ColumnType> KEY_TYPES = Set.of(ColumnType.STRING, ColumnType.INT, ColumnType.LONG);
    // Table names become SQL identifiers and Redis key prefixes: no quoting or escaping surprises.
    private static final Pattern TABLE_NAME = Pattern.compile("[a-z][a-z0-9_]*");

    public OnlineTableSpec {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(ttl, "ttl");
        keyColumns = List.copyOf(keyColumns);
        if (!TABLE_NAME.matcher(schema.name()).matches()) {
            throw new IllegalArgumentException("online table name must be snake_case: " + schema.name());
        }
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("online table " + schema.name() + " needs at least one key column");
        }
        if (new HashSet<>(keyColumns).size() != keyColumns.size()) {
            throw new IllegalArgumentException(
                    "online table " + schema.name() + " repeats a key column: " + keyColumns);
        }
        for (String key : keyColumns) {
            Column column = schema.columns().get(schema.indexOf(key));
            if (column.nullable() || !KEY_TYPES.contains(column.type())) {
                throw new IllegalArgumentException("key column " + schema.name() + "." + key
                        + " must be a non-nullable STRING, INT or LONG column");
            }
        }
        for (Column column : schema.columns()) {
            if (RESERVED.contains(column.name())) {
                throw new IllegalArgumentException("column name " + column.name() + " is reserved in online tables");
            }
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.toMillis() == 0) {
            throw new IllegalArgumentException(
                    "ttl of online table " + schema.name() + " must be at least 1 ms: " + ttl);
        }
        if (featureSetVersion == null || featureSetVersion.isBlank()) {
            throw new IllegalArgumentException("online table " + schema.name() + " needs a feature-set version");
        }
        if (prefixIndexColumns < 0 || prefixIndexColumns >= keyColumns.size()) {
            throw new IllegalArgumentException("online table " + schema.name() + " can index 0 to "
                    + (keyColumns.size() - 1) + " leading key columns, not " + prefixIndexColumns);
        }
    }

    /** A table without a key-prefix index. */
    public OnlineTableSpec(DatasetSchema schema, List<String> keyColumns, Duration ttl, String featureSetVersion) {
        this(schema, keyColumns, ttl, featureSetVersion, 0);
    }

    /** Convenience: {@code new OnlineTableSpec(schema, List.of(keyColumns), ttl, featureSetVersion)}. */
    public static OnlineTableSpec of(
            DatasetSchema schema, Duration ttl, String featureSetVersion, String... keyColumns) {
        return new OnlineTableSpec(schema, List.of(keyColumns), ttl, featureSetVersion);
    }

    /**
     * This table with a Redis index on its first {@code leadingKeyColumns} key columns (see
     * {@link #prefixIndexColumns()}): each accepted write also adds the entity to the set of its
     * leading key values, which {@link OnlineTableReader#scanPrefix} reads.
     */
    public OnlineTableSpec withPrefixIndex(int leadingKeyColumns) {
        return new OnlineTableSpec(schema, keyColumns, ttl, featureSetVersion, leadingKeyColumns);
    }

    public String table() {
        return schema.name();
    }

    public String eventTimeColumn() {
        return schema.timeColumn();
    }

    public List<Column> columns() {
        return schema.columns();
    }

    /** Positions of the key columns in a row, in key order. */
    public int[] keyIndexes() {
        int[] indexes = new int[keyColumns.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = schema.indexOf(keyColumns.get(i));
        }
        return indexes;
    }

    /** The key of a row, as the list {@code get} takes. */
    public List<Object> keyOf(Object[] row) {
        List<Object> key = new ArrayList<>(keyColumns.size());
        for (int index : keyIndexes()) {
            key.add(row[index]);
        }
        return key;
    }

    /** Throws when a key does not match the key columns' count and types; a key is never null. */
    void checkKey(List<Object> key) {
        if (key == null || key.size() != keyColumns.size()) {
            throw new IllegalArgumentException(
                    "key of " + table() + " must have " + keyColumns.size() + " values " + keyColumns);
        }
        checkKeyValues(key);
    }

    /** Throws unless a key prefix has 1 to key size - 1 values of the leading key columns' types. */
    void checkKeyPrefix(List<Object> prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.size() >= keyColumns.size()) {
            throw new IllegalArgumentException(
                    "a key prefix of " + table() + " has 1 to " + (keyColumns.size() - 1) + " values of " + keyColumns);
        }
        checkKeyValues(prefix);
    }

    private void checkKeyValues(List<Object> key) {
        for (int i = 0; i < key.size(); i++) {
            Column column = schema.columns().get(schema.indexOf(keyColumns.get(i)));
            Object value = key.get(i);
            if (!column.type().javaClass().isInstance(value)) {
                throw new IllegalArgumentException("key column " + table() + "." + column.name() + " must be "
                        + column.type().javaClass().getSimpleName() + ", got "
                        + (value == null ? "null" : value.getClass().getSimpleName()));
            }
        }
    }

    /**
     * Throws when a row does not fit the schema or holds a NaN (SQLite cannot store NaN, and an
     * undefined feature is null in both backends). Messages name columns and classes, never values.
     */
    void checkRow(Object[] row) {
        String problem = schema.check(row);
        if (problem != null) {
            throw new IllegalArgumentException("row rejected by online table " + problem);
        }
        for (int i = 0; i < row.length; i++) {
            if (row[i] instanceof Double d && d.isNaN()) {
                throw new IllegalArgumentException("row rejected by online table " + table() + "."
                        + schema.columns().get(i).name() + " is NaN; write null for an undefined value");
            }
        }
    }
}
