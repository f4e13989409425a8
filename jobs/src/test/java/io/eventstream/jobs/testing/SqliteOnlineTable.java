package io.eventstream.jobs.testing;

import io.eventstream.connectors.online.OnlineTableSpec;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads an online table straight from its SQLite file with plain SQL, as a serving service in
 * another language would (layout in {@code docs/online-tables.md}), not through the store's own
 * reader: every live row by its key, values typed by the schema (BOOLEAN from 0/1).
 */
public final class SqliteOnlineTable {

    /** The rows (schema column order) and each row's {@code feature_set_version}, by key. */
    public record Content<K>(Map<K, Object[]> rows, Map<K, String> versions) {}

    private SqliteOnlineTable() {}

    /** A table with one {@code LONG} key column (e.g. the spam job's {@code user_id}). */
    public static Content<Long> read(Path file, DatasetSchema schema, String keyColumn) {
        int key = schema.indexOf(keyColumn);
        return read(file, schema, row -> (Long) row[key]);
    }

    /** A table with a composite key: each key is the list of its column values, in the given order. */
    public static Content<List<Object>> read(Path file, DatasetSchema schema, List<String> keyColumns) {
        int[] key = keyColumns.stream().mapToInt(schema::indexOf).toArray();
        return read(
                file, schema, row -> Arrays.stream(key).mapToObj(i -> row[i]).toList());
    }

    private static <K> Content<K> read(Path file, DatasetSchema schema, Function<Object[], K> keyOf) {
        Map<K, Object[]> rows = new LinkedHashMap<>();
        Map<K, String> versions = new LinkedHashMap<>();
        List<Column> columns = schema.columns();
        String sql = "SELECT * FROM \"" + schema.name() + "\" WHERE " + OnlineTableSpec.EXPIRES_AT + " > "
                + System.currentTimeMillis();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                Object[] row = new Object[columns.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = typed(columns.get(i), rs);
                }
                K key = keyOf.apply(row);
                if (rows.put(key, row) != null) {
                    throw new AssertionError("two rows for key " + key + " in " + schema.name());
                }
                versions.put(key, rs.getString(OnlineTableSpec.FEATURE_SET_VERSION));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + schema.name() + " from " + file, e);
        }
        return new Content<>(rows, versions);
    }

    private static Object typed(Column column, ResultSet rs) throws SQLException {
        String name = column.name();
        Object value = switch (column.type()) {
            case STRING -> rs.getString(name);
            case INT -> rs.getInt(name);
            case LONG, TIMESTAMP_MILLIS -> rs.getLong(name);
            case DOUBLE -> rs.getDouble(name);
            case BOOLEAN -> rs.getInt(name) != 0;
        };
        return rs.wasNull() ? null : value;
    }
}
