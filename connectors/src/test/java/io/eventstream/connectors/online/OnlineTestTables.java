package io.eventstream.connectors.online;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Two test tables (single and composite key), random row histories and the naive expectation. */
final class OnlineTestTables {

    static final DatasetSchema USER_SCHEMA = new DatasetSchema(
            "user_features",
            List.of(
                    Column.required("user_id", ColumnType.LONG, "user"),
                    Column.required("event_time", ColumnType.TIMESTAMP_MILLIS, "as of"),
                    Column.required("notes_1h", ColumnType.INT, "notes in the last hour"),
                    Column.nullable("account_age_seconds", ColumnType.LONG, "null when sign-up unknown"),
                    Column.nullable("uppercase_ratio", ColumnType.DOUBLE, "share of uppercase letters"),
                    Column.nullable("has_2fa", ColumnType.BOOLEAN, "two-factor enabled"),
                    Column.nullable("email_domain_class", ColumnType.STRING, "webmail/disposable/other/unknown"),
                    Column.nullable("last_content_time", ColumnType.TIMESTAMP_MILLIS, "previous content event")),
            "event_time");

    static final OnlineTableSpec USER_SPEC = OnlineTableSpec.of(USER_SCHEMA, Duration.ofDays(7), "v3", "user_id");

    static final DatasetSchema PATH_SCHEMA = new DatasetSchema(
            "reviewer_paths",
            List.of(
                    Column.required("project_id", ColumnType.LONG, "project"),
                    Column.required("user_id", ColumnType.INT, "candidate"),
                    Column.required("path_prefix", ColumnType.STRING, "directory prefix"),
                    Column.required("event_time", ColumnType.TIMESTAMP_MILLIS, "as of"),
                    Column.required("touch_count_90d", ColumnType.LONG, "commits touching the prefix"),
                    Column.nullable("review_count_90d", ColumnType.INT, "reviews touching the prefix")),
            "event_time");

    static final OnlineTableSpec PATH_SPEC =
            OnlineTableSpec.of(PATH_SCHEMA, Duration.ofDays(30), "v1", "project_id", "user_id", "path_prefix");

    private static final String[] DOMAIN_CLASSES = {"webmail", "disposable", "other", "unknown"};
    // Prefixes with the Redis key separator and escape character, and one that differs only by them.
    private static final String[] PREFIXES = {"src", "src/main", "doc:s", "a\\b", "a:b", "a\\:b", "ünï/cødé"};

    private OnlineTestTables() {}

    /**
     * A history of {@code versionsPerKey} rows for each of {@code keys} entities. Event times come
     * from a narrow range so that rows of one key often share an event time with different values.
     */
    static List<Object[]> userRows(Random random, int keys, int versionsPerKey) {
        List<Object[]> rows = new ArrayList<>();
        long base = 1_700_000_000_000L;
        for (long user = 1; user <= keys; user++) {
            for (int v = 0; v < versionsPerKey; v++) {
                rows.add(new Object[] {
                    user * 1_000_003L,
                    base + random.nextInt(versionsPerKey) * 1000L,
                    random.nextInt(50),
                    random.nextInt(4) == 0 ? null : random.nextLong(0, 400_000_000L),
                    random.nextInt(4) == 0 ? null : random.nextInt(1000) / 997.0,
                    random.nextInt(3) == 0 ? null : random.nextBoolean(),
                    random.nextInt(4) == 0 ? null : DOMAIN_CLASSES[random.nextInt(DOMAIN_CLASSES.length)],
                    random.nextInt(4) == 0 ? null : base - random.nextInt(86_400_000),
                });
            }
        }
        return rows;
    }

    static List<Object[]> pathRows(Random random, int versionsPerKey) {
        List<Object[]> rows = new ArrayList<>();
        long base = 1_700_000_000_000L;
        for (long project : new long[] {7, 8}) {
            for (int user : new int[] {42, 43}) {
                for (String prefix : PREFIXES) {
                    for (int v = 0; v < versionsPerKey; v++) {
                        rows.add(new Object[] {
                            project,
                            user,
                            prefix,
                            base + random.nextInt(versionsPerKey) * 60_000L,
                            (long) random.nextInt(1000),
                            random.nextBoolean() ? null : random.nextInt(100)
                        });
                    }
                }
            }
        }
        return rows;
    }

    /** The rows shuffled, with about a fifth of them repeated at random places. */
    static List<Object[]> replay(List<Object[]> rows, Random random) {
        List<Object[]> replay = new ArrayList<>(rows);
        for (int i = 0; i < rows.size() / 5; i++) {
            replay.add(rows.get(random.nextInt(rows.size())));
        }
        Collections.shuffle(replay, random);
        return replay;
    }

    /**
     * The naive expectation: per key, the row with the greatest event time; among equal event
     * times the greatest row digest (the documented tie-break); as a reader returns it.
     */
    static Map<List<Object>, Map<String, Object>> newestPerKey(OnlineTableSpec spec, List<Object[]> rows) {
        int time = spec.schema().timeIndex();
        Map<List<Object>, Object[]> newest = new HashMap<>();
        for (Object[] row : rows) {
            newest.merge(spec.keyOf(row), row, (a, b) -> {
                long ta = (Long) a[time];
                long tb = (Long) b[time];
                if (ta != tb) {
                    return ta > tb ? a : b;
                }
                return RowDigest.of(spec, a).compareTo(RowDigest.of(spec, b)) >= 0 ? a : b;
            });
        }
        Map<List<Object>, Map<String, Object>> expected = new HashMap<>();
        newest.forEach((key, row) -> expected.put(key, asReadRow(spec, row)));
        return expected;
    }

    static Map<String, Object> asReadRow(OnlineTableSpec spec, Object[] row) {
        Map<String, Object> read = new LinkedHashMap<>();
        for (int i = 0; i < row.length; i++) {
            read.put(spec.columns().get(i).name(), row[i]);
        }
        read.put(OnlineTableSpec.FEATURE_SET_VERSION, spec.featureSetVersion());
        return read;
    }

    /** The rows of {@code rows} whose key starts with {@code prefix}: what a prefix scan must return. */
    static Map<List<Object>, Map<String, Object>> withKeyPrefix(
            Map<List<Object>, Map<String, Object>> rows, List<Object> prefix) {
        Map<List<Object>, Map<String, Object>> matching = new HashMap<>();
        rows.forEach((key, row) -> {
            if (key.subList(0, prefix.size()).equals(prefix)) {
                matching.put(key, row);
            }
        });
        return matching;
    }

    /** Applies rows in batches of random sizes (1..maxBatch), as a sink would. */
    static void upsertInRandomBatches(OnlineStore store, List<Object[]> rows, Random random, int maxBatch) {
        int from = 0;
        while (from < rows.size()) {
            int to = Math.min(rows.size(), from + 1 + random.nextInt(maxBatch));
            store.upsert(rows.subList(from, to));
            from = to;
        }
    }
}
