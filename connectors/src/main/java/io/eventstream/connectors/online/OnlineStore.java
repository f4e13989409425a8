package io.eventstream.connectors.online;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Write side of one online feature table (latest feature values per entity key). Open one with
 * {@link OnlineStores#open}. Not thread-safe: one instance per writer thread (each Flink sink
 * subtask opens its own).
 *
 * <h2>Newest wins</h2>
 * {@link #upsert} is idempotent and order-independent: for each key the table ends up holding the
 * row with the greatest {@code event_time}; between rows with equal {@code event_time} the one with
 * the greater row digest (a hash of its values, see docs/online-tables.md) wins. An older row, or
 * the same row again, never overwrites a newer one. A stored row whose TTL has run out counts as
 * absent, so any row replaces it. Replays after a restart therefore never move a value backwards:
 * at-least-once delivery gives an exactly-once effect.
 */
public interface OnlineStore extends AutoCloseable {

    /**
     * Applies rows (in column order of the table's schema) under the newest-wins rule, in as few
     * round trips/transactions as the backend allows. Rows may repeat keys and come in any order.
     *
     * @throws IllegalArgumentException when a row does not fit the schema (nothing of the batch
     *                                  is written); the message names columns, never values
     * @throws OnlineStoreException     when the backend fails; the batch may be partly applied,
     *                                  which is harmless since retrying it is idempotent
     */
    void upsert(List<Object[]> rows);

    /**
     * The live row of a key: column name to typed value (the column type's Java class, null for
     * nulls) plus {@value OnlineTableSpec#FEATURE_SET_VERSION}; empty when absent or expired.
     *
     * @param key  values of the key columns in key order, of their columns' Java classes
     */
    Optional<Map<String, Object>> get(List<Object> key);

    /** Releases the connection; never throws, also after the backend failed. */
    @Override
    void close();
}
