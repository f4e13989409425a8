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

    @Override
    void close();
}
