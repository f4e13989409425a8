package io.eventstream.jobs.testing;

import io.eventstream.features.datasets.DatasetSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Compares row sets column by column, matched by a unique key column, with a message naming the
 * first differing rows and columns (a plain {@code isEqualTo} on 50,000 arrays says nothing useful).
 * Values compare by {@link Objects#equals}: types matter ({@code Integer} 3 is not {@code Long} 3).
 */
public final class RowSets {
    private static final int SHOWN = 10;

    private RowSets() {}

    /** Asserts both collections hold the same rows, each key once; row order does not matter. */
    public static void assertSameRows(
            String what,
            DatasetSchema schema,
            String keyColumn,
            Collection<Object[]> expected,
            Collection<Object[]> actual) {
        int key = schema.indexOf(keyColumn);
        assertSameRows(
                what,
                schema,
                byKey(what + " (expected)", expected, row -> row[key]),
                byKey(what, actual, row -> row[key]));
    }

    /** As above, for rows unique by several columns (e.g. a candidate row by event and candidate). */
    public static void assertSameRows(
            String what,
            DatasetSchema schema,
            List<String> keyColumns,
            Collection<Object[]> expected,
            Collection<Object[]> actual) {
        int[] key = keyColumns.stream().mapToInt(schema::indexOf).toArray();
        Function<Object[], Object> keyOf =
                row -> Arrays.stream(key).mapToObj(i -> row[i]).toList();
        assertSameRows(what, schema, byKey(what + " (expected)", expected, keyOf), byKey(what, actual, keyOf));
    }

    /** As above, for rows already keyed (e.g. online tables by user id). */
    public static <K> void assertSameRows(
            String what, DatasetSchema schema, Map<K, Object[]> expected, Map<K, Object[]> actual) {
        List<String> problems = new ArrayList<>();
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> extra = new TreeSet<>();
        expected.keySet().forEach(k -> {
            if (!actual.containsKey(k)) {
                missing.add(String.valueOf(k));
            }
        });
        actual.keySet().forEach(k -> {
            if (!expected.containsKey(k)) {
                extra.add(String.valueOf(k));
            }
        });
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " rows missing, e.g. " + first(missing));
        }
        if (!extra.isEmpty()) {
            problems.add(extra.size() + " unexpected rows, e.g. " + first(extra));
        }
        int differing = 0;
        for (Map.Entry<K, Object[]> entry : expected.entrySet()) {
            Object[] a = actual.get(entry.getKey());
            if (a == null) {
                continue;
            }
            Object[] e = entry.getValue();
            if (a.length != e.length) {
                throw new AssertionError(
                        what + ": row " + entry.getKey() + " has " + a.length + " values, expected " + e.length);
            }
            boolean differs = false;
            for (int c = 0; c < e.length; c++) {
                if (!Objects.equals(e[c], a[c])) {
                    differs = true;
                    if (differing < SHOWN) {
                        problems.add("row " + entry.getKey() + " column "
                                + schema.columns().get(c).name() + ": expected " + describe(e[c]) + ", got "
                                + describe(a[c]));
                    }
                }
            }
            differing += differs ? 1 : 0;
        }
        if (differing > 0) {
            problems.add(differing + " rows differ in at least one column");
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(what + " (" + expected.size() + " rows expected, " + actual.size() + " read):\n  "
                    + String.join("\n  ", problems));
        }
    }

    /** Rows by their key; fails on a repeated key (a duplicated row). */
    private static Map<Object, Object[]> byKey(
            String what, Collection<Object[]> rows, Function<Object[], Object> keyOf) {
        Map<Object, Object[]> byKey = new LinkedHashMap<>();
        Map<String, Integer> repeated = new TreeMap<>();
        for (Object[] row : rows) {
            Object key = keyOf.apply(row);
            if (byKey.put(key, row) != null) {
                repeated.merge(String.valueOf(key), 1, Integer::sum);
            }
        }
        if (!repeated.isEmpty()) {
            throw new AssertionError(what + ": " + repeated.size()
                    + " keys occur more than once (duplicated rows), e.g. " + first(repeated.keySet()));
        }
        return byKey;
    }

    private static String first(Collection<?> keys) {
        return keys.stream().limit(SHOWN).toList().toString();
    }

    private static String describe(Object value) {
        return value == null ? "null" : value + " (" + value.getClass().getSimpleName() + ")";
    }
}
