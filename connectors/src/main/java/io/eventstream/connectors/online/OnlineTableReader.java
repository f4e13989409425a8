package io.eventstream.connectors.online;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read side of an online feature table, for serving code and tests; both backends. Values come
 * back typed by the table's {@link OnlineTableSpec} (column name to the column type's Java class,
 * null for nulls) plus {@value OnlineTableSpec#FEATURE_SET_VERSION}. Expired rows are never
 * returned. Not thread-safe: one reader per thread.
 */
public interface OnlineTableReader extends AutoCloseable {

    /** Opens a reader for {@code sqlite:PATH} (the file must exist), {@code redis://…} or {@code rediss://…}. */
    static OnlineTableReader open(String uri, OnlineTableSpec spec) {
        return OnlineStores.openReader(uri, spec);
    }

    /** The live row of a key (see {@link OnlineStore#get}). */
    Optional<Map<String, Object>> get(List<Object> key);

    /** The live rows of several keys, absent keys left out; in one round trip where possible. */
    Map<List<Object>, Map<String, Object>> getAll(Collection<List<Object>> keys);

    /** Every live row of the table by key. Meant for tests and small tables: reads everything. */
    Map<List<Object>, Map<String, Object>> scan();

    /**
     * Every live row whose leading key values equal {@code keyPrefix} (e.g. all users of a project in
     * a table keyed by (project_id, user_id)), by key. Costs one index read plus one read per row of
     * the prefix, never a pass over the table: SQLite searches its primary key; Redis reads the
     * prefix's index set, which exists only when the spec declares
     * {@link OnlineTableSpec#withPrefixIndex} for exactly this many columns.
     *
     * @param keyPrefix  values of the first 1 to key size - 1 key columns, in key order
     * @throws IllegalArgumentException when the prefix does not fit the key, or (Redis) the table
     *                                  has no index for a prefix of this length
     */
    Map<List<Object>, Map<String, Object>> scanPrefix(List<Object> keyPrefix);

    @Override
    void close();
}
