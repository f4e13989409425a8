package io.eventstream.connectors.online;

import static io.eventstream.connectors.online.OnlineTestTables.PATH_SPEC;
import static io.eventstream.connectors.online.OnlineTestTables.USER_SCHEMA;
import static io.eventstream.connectors.online.OnlineTestTables.USER_SPEC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteOnlineStoreTest {

    @TempDir
    Path dir;

    @Test
    void shuffledReplaysWithDuplicatesEndInTheNewestRowPerKey() {
        Random random = new Random(11);
        List<Object[]> rows = OnlineTestTables.userRows(random, 300, 6);
        Map<List<Object>, Map<String, Object>> expected = OnlineTestTables.newestPerKey(USER_SPEC, rows);
        for (int replay = 0; replay < 3; replay++) {
            Path file = dir.resolve("replay-" + replay + ".db");
            try (SqliteOnlineStore store = new SqliteOnlineStore(file, USER_SPEC)) {
                OnlineTestTables.upsertInRandomBatches(store, OnlineTestTables.replay(rows, random), random, 200);
                assertThat(store.scan()).isEqualTo(expected);
                // Replaying everything again, oldest first, moves nothing backwards.
                List<Object[]> again = new ArrayList<>(rows);
                again.sort((a, b) -> Long.compare((Long) a[1], (Long) b[1]));
                store.upsert(again);
                assertThat(store.scan()).isEqualTo(expected);
            }
        }
    }

    @Test
    void compositeKeysKeepEntitiesThatDifferInOneKeyPartApart() {
        Random random = new Random(5);
        List<Object[]> rows = OnlineTestTables.pathRows(random, 5);
        Map<List<Object>, Map<String, Object>> expected = OnlineTestTables.newestPerKey(PATH_SPEC, rows);
        try (SqliteOnlineStore store = new SqliteOnlineStore(dir.resolve("paths.db"), PATH_SPEC)) {
            OnlineTestTables.upsertInRandomBatches(store, OnlineTestTables.replay(rows, random), random, 30);
            assertThat(expected).hasSize(2 * 2 * 7);
            assertThat(store.scan()).isEqualTo(expected);
            List<Object> key = List.of(7L, 42, "a:b");
            assertThat(store.get(key)).contains(expected.get(key));
            assertThat(store.get(List.of(7L, 42, "a:c"))).isEmpty();
        }
    }

    @Test
    void prefixScansReturnTheLiveRowsOfLeadingKeyValuesThroughThePrimaryKey() throws SQLException {
        Random random = new Random(8);
        List<Object[]> rows = OnlineTestTables.pathRows(random, 4);
        Map<List<Object>, Map<String, Object>> expected = OnlineTestTables.newestPerKey(PATH_SPEC, rows);
        AtomicLong now = new AtomicLong(1_750_000_000_000L);
        Path file = dir.resolve("prefix.db");
        try (SqliteOnlineStore store = new SqliteOnlineStore(file, PATH_SPEC, clock(now), Duration.ofDays(365))) {
            store.upsert(rows);
            for (List<Object> prefix : List.<List<Object>>of(List.of(7L), List.of(8L), List.of(7L, 43), List.of(9L))) {
                assertThat(store.scanPrefix(prefix))
                        .as("prefix %s", prefix)
                        .isEqualTo(OnlineTestTables.withKeyPrefix(expected, prefix));
            }
            assertThat(store.scanPrefix(List.of(7L))).hasSize(2 * 7);
            // Rows of project 8 written a TTL later outlive those of project 7.
            now.addAndGet(PATH_SPEC.ttl().toMillis() - 1);
            List<Object[]> project8 = rows.stream().filter(r -> r[0].equals(8L)).toList();
            store.upsert(project8.stream()
                    .map(r -> {
                        Object[] newer = r.clone();
                        newer[3] = (Long) r[3] + 3_600_000L;
                        return newer;
                    })
                    .toList());
            now.addAndGet(1);
            assertThat(store.scanPrefix(List.of(7L))).isEmpty();
            assertThat(store.scanPrefix(List.of(8L))).hasSize(2 * 7);

            assertThatThrownBy(() -> store.scanPrefix(List.of(7L, 42, "src")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1 to 2 values");
            assertThatThrownBy(() -> store.scanPrefix(List.of(7)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("project_id must be Long");
        }
        // The planner answers a prefix from the primary key's index, not by reading the table.
        try (SqliteOnlineStore store = SqliteOnlineStore.openExisting(file, PATH_SPEC);
                Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.PreparedStatement plan = sql.prepareStatement("EXPLAIN QUERY PLAN " + store.prefixSql(1))) {
            plan.setLong(1, 7L);
            plan.setLong(2, 0L);
            try (ResultSet rs = plan.executeQuery()) {
                rs.next();
                assertThat(rs.getString("detail"))
                        .startsWith(
                                "SEARCH reviewer_paths USING INDEX sqlite_autoindex_reviewer_paths_1 (project_id=?)");
            }
        }
    }

    @Test
    void nullsRoundTripAndANewerRowWithNullsReplacesValues() {
        Object[] full = {5L, 1000L, 3, 86_400L, 0.25, true, "webmail", 900L};
        Object[] sparse = {5L, 2000L, 4, null, null, null, null, null};
        try (SqliteOnlineStore store = new SqliteOnlineStore(dir.resolve("nulls.db"), USER_SPEC)) {
            store.upsert(List.<Object[]>of(full));
            assertThat(store.get(List.of(5L))).contains(OnlineTestTables.asReadRow(USER_SPEC, full));
            store.upsert(List.<Object[]>of(sparse));
            Map<String, Object> read = store.get(List.of(5L)).orElseThrow();
            assertThat(read)
                    .containsEntry("account_age_seconds", null)
                    .containsEntry("has_2fa", null)
                    .containsEntry("notes_1h", 4)
                    .containsEntry("feature_set_version", "v3");
            assertThat(read).isEqualTo(OnlineTestTables.asReadRow(USER_SPEC, sparse));
            // The older full row arriving late changes nothing.
            store.upsert(List.<Object[]>of(full));
            assertThat(store.get(List.of(5L))).contains(OnlineTestTables.asReadRow(USER_SPEC, sparse));
        }
    }

    @Test
    void storedLayoutIsTheDocumentedOne() throws SQLException {
        Path file = dir.resolve("layout.db");
        AtomicLong now = new AtomicLong(1_750_000_000_000L);
        try (SqliteOnlineStore store = new SqliteOnlineStore(file, USER_SPEC, clock(now), Duration.ofHours(1))) {
            store.upsert(List.<Object[]>of(new Object[] {9L, 1000L, 3, null, 0.5, false, "other", 7L}));
        }
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = sql.createStatement()) {
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("PRAGMA table_info(user_features)")) {
                while (rs.next()) {
                    columns.add(rs.getString("name") + " " + rs.getString("type") + (rs.getInt("pk") > 0 ? " PK" : ""));
                }
            }
            assertThat(columns)
                    .containsExactly(
                            "user_id INTEGER PK",
                            "event_time INTEGER",
                            "notes_1h INTEGER",
                            "account_age_seconds INTEGER",
                            "uppercase_ratio REAL",
                            "has_2fa INTEGER",
                            "email_domain_class TEXT",
                            "last_content_time INTEGER",
                            "feature_set_version TEXT",
                            "row_digest TEXT",
                            "expires_at INTEGER");
            try (ResultSet rs = statement.executeQuery("SELECT has_2fa, account_age_seconds IS NULL, expires_at, "
                    + "feature_set_version, length(row_digest) FROM user_features WHERE user_id = 9")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isZero();
                assertThat(rs.getInt(2)).isEqualTo(1);
                assertThat(rs.getLong(3))
                        .isEqualTo(1_750_000_000_000L + Duration.ofDays(7).toMillis());
                assertThat(rs.getString(4)).isEqualTo("v3");
                assertThat(rs.getInt(5)).isEqualTo(19);
            }
            try (ResultSet rs = statement.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
        }
    }

    @Test
    void expiredRowsAreInvisibleReplaceableAndPurged() throws SQLException {
        OnlineTableSpec spec = OnlineTableSpec.of(USER_SCHEMA, Duration.ofMinutes(1), "v3", "user_id");
        AtomicLong now = new AtomicLong(1_750_000_000_000L);
        Path file = dir.resolve("ttl.db");
        Object[] newer = {1L, 5000L, 1, null, null, null, null, null};
        Object[] older = {1L, 4000L, 2, null, null, null, null, null};
        Object[] other = {2L, 5000L, 3, null, null, null, null, null};
        try (SqliteOnlineStore store = new SqliteOnlineStore(file, spec, clock(now), Duration.ofDays(1))) {
            store.upsert(List.of(newer, other));
            now.addAndGet(59_999);
            assertThat(store.get(List.of(1L))).isPresent();
            now.addAndGet(1);
            assertThat(store.get(List.of(1L))).isEmpty();
            assertThat(store.scan()).isEmpty();
            assertThat(countRows(file)).isEqualTo(2);

            // An expired row counts as absent: an older row now takes its place, with a fresh TTL.
            store.upsert(List.<Object[]>of(older));
            assertThat(store.get(List.of(1L))).contains(OnlineTestTables.asReadRow(spec, older));

            assertThat(store.purgeExpired()).isEqualTo(1);
            assertThat(countRows(file)).isEqualTo(1);
        }
    }

    @Test
    void upsertPurgesExpiredRowsOncePerPurgeInterval() throws SQLException {
        OnlineTableSpec spec = OnlineTableSpec.of(USER_SCHEMA, Duration.ofSeconds(15), "v3", "user_id");
        AtomicLong now = new AtomicLong(1_750_000_000_000L);
        Path file = dir.resolve("purge.db");
        try (SqliteOnlineStore store = new SqliteOnlineStore(file, spec, clock(now), Duration.ofSeconds(30))) {
            store.upsert(List.<Object[]>of(new Object[] {1L, 1L, 1, null, null, null, null, null}));
            now.addAndGet(20_000);
            // User 1 expired 5 s ago, but the next purge is due at +30 s only.
            store.upsert(List.<Object[]>of(new Object[] {2L, 1L, 1, null, null, null, null, null}));
            assertThat(countRows(file)).isEqualTo(2);
            now.addAndGet(10_000);
            store.upsert(List.<Object[]>of(new Object[] {3L, 1L, 1, null, null, null, null, null}));
            assertThat(countRows(file)).isEqualTo(2);
            assertThat(store.scan().keySet()).containsExactlyInAnyOrder(List.of(2L), List.of(3L));
        }
    }

    @Test
    void severalWritersOnOneFileEndInTheNewestRowPerKey() throws Exception {
        Random random = new Random(3);
        List<Object[]> rows = OnlineTestTables.userRows(random, 400, 5);
        Map<List<Object>, Map<String, Object>> expected = OnlineTestTables.newestPerKey(USER_SPEC, rows);
        List<Object[]> replay = OnlineTestTables.replay(rows, random);
        Path file = dir.resolve("shared.db");
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                // Overlapping slices: every row goes to two writers, so they contend on the same keys.
                List<Object[]> slice = new ArrayList<>();
                for (int i = 0; i < replay.size(); i++) {
                    if (i % writers == w || (i + 1) % writers == w) {
                        slice.add(replay.get(i));
                    }
                }
                long seed = w;
                done.add(pool.submit(() -> {
                    try (SqliteOnlineStore store = new SqliteOnlineStore(file, USER_SPEC)) {
                        OnlineTestTables.upsertInRandomBatches(store, slice, new Random(seed), 40);
                    }
                }));
            }
            for (Future<?> writer : done) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
        try (OnlineTableReader reader = OnlineTableReader.open("sqlite:" + file, USER_SPEC)) {
            assertThat(reader.scan()).isEqualTo(expected);
            List<Object> present = List.of(1_000_003L);
            List<Object> absent = List.of(-1L);
            assertThat(reader.getAll(List.of(present, absent))).isEqualTo(Map.of(present, expected.get(present)));
        }
    }

    @Test
    void aRowThatDoesNotFitTheSchemaRejectsTheWholeBatch() {
        try (SqliteOnlineStore store = new SqliteOnlineStore(dir.resolve("bad.db"), USER_SPEC)) {
            Object[] good = {1L, 1L, 1, null, null, null, null, null};
            Object[] wrongType = {2L, 1L, 1L, null, null, null, null, null};
            assertThatThrownBy(() -> store.upsert(List.of(good, wrongType)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("user_features.notes_1h must be Integer, got Long");
            assertThat(store.scan()).isEmpty();
            assertThatThrownBy(() -> store.get(List.of(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("user_features.user_id must be Long");
        }
    }

    @Test
    void aTableOfAnotherShapeFailsWithAClearMessage() {
        Path file = dir.resolve("shape.db");
        new SqliteOnlineStore(file, USER_SPEC).close();
        DatasetSchema changed = new DatasetSchema(
                "user_features",
                List.of(
                        Column.required("user_id", ColumnType.LONG, "user"),
                        Column.required("event_time", ColumnType.TIMESTAMP_MILLIS, "as of"),
                        Column.required("notes_24h", ColumnType.INT, "notes in a day")),
                "event_time");
        OnlineTableSpec spec = OnlineTableSpec.of(changed, Duration.ofDays(1), "v4", "user_id");
        assertThatThrownBy(() -> new SqliteOnlineStore(file, spec))
                .isInstanceOf(OnlineStoreException.class)
                .hasMessageContaining("a changed feature set needs a new table name or a new file");
    }

    @Test
    void aReaderNeedsAnExistingFile() {
        assertThatThrownBy(() -> OnlineTableReader.open("sqlite:" + dir.resolve("missing.db"), USER_SPEC))
                .isInstanceOf(OnlineStoreException.class)
                .hasMessageContaining("missing.db");
        try (OnlineStore store = OnlineStores.open("sqlite:" + dir.resolve("sub/dir/t.db"), USER_SPEC)) {
            assertThat(store.get(List.of(1L))).isEqualTo(Optional.empty());
        }
    }

    private static InstantSource clock(AtomicLong millis) {
        return () -> Instant.ofEpochMilli(millis.get());
    }

    private static long countRows(Path file) throws SQLException {
        try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = sql.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM user_features")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
