package io.eventstream.connectors.online;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * An online table in one SQLite file: the embedded default, like Feast's local online store.
 *
 * <p>Layout: a table named after the spec with one typed column per schema column (STRING as
 * TEXT; INT, LONG, TIMESTAMP_MILLIS as INTEGER; DOUBLE as REAL; BOOLEAN as INTEGER 0/1), then
 * {@code feature_set_version TEXT}, {@code row_digest TEXT} and {@code expires_at INTEGER} (epoch
 * millis), primary key = the key columns, and an index on {@code expires_at}. Writes are
 * {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE} the newest-wins rule of {@link OnlineStore}
 * (tie-break {@link RowDigest}), one IMMEDIATE transaction per {@link #upsert} call. WAL journal and a busy timeout let several
 * writers (Flink subtasks, processes) share the file: their transactions queue, none fails.
 *
 * <p>TTL: {@code expires_at} = time of the accepted write + TTL. Expired rows are invisible to
 * reads, count as absent for the next upsert, and are deleted by {@link #purgeExpired()}, which
 * {@link #upsert} also runs once per purge interval.
 *
 * <p>Durability: {@code synchronous=NORMAL} (WAL): a committed batch survives a process crash; a
 * power loss may lose the last commits. Not thread-safe: one instance per thread.
 */
public final class SqliteOnlineStore implements OnlineStore, OnlineTableReader {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteOnlineStore.class);

    /** How long a writer waits for another writer's transaction before failing. */
    public static final Duration BUSY_TIMEOUT = Duration.ofSeconds(60);
    /** Default interval between purges of expired rows run by {@link #upsert}. */
    public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(1);

    private final Path file;
    private final OnlineTableSpec spec;
    private final InstantSource clock;
    private final long purgeIntervalMillis;
    private final List<Column> columns;
    private final int[] keyIndexes;
    private final Connection connection;
    private final PreparedStatement upsert;
    private final PreparedStatement select;
    private final PreparedStatement scanAll;
    // Per prefix length (index = number of leading key columns), prepared on first use.
    private final PreparedStatement[] scanPrefix;
    private final PreparedStatement purge;
    private long nextPurgeAt;

    /** Opens (creating file and table if needed) a writable table with the system clock. */
    public SqliteOnlineStore(Path file, OnlineTableSpec spec) {
        this(file, spec, InstantSource.system(), DEFAULT_PURGE_INTERVAL, true);
    }

    /**
     * @param clock          source of "now" for expiry (tests inject one)
     * @param purgeInterval  how often {@link #upsert} deletes expired rows
     */
    public SqliteOnlineStore(Path file, OnlineTableSpec spec, InstantSource clock, Duration purgeInterval) {
        this(file, spec, clock, purgeInterval, true);
    }

    private SqliteOnlineStore(
            Path file, OnlineTableSpec spec, InstantSource clock, Duration purgeInterval, boolean create) {
        this.file = file;
        this.spec = spec;
        this.clock = clock;
        this.purgeIntervalMillis = purgeInterval.toMillis();
        this.columns = spec.columns();
        this.keyIndexes = spec.keyIndexes();
        Connection opened = null;
        try {
            if (create) {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } else if (!Files.isRegularFile(file)) {
                throw new OnlineStoreException("no SQLite online store file " + file);
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout((int) BUSY_TIMEOUT.toMillis());
            // IMMEDIATE takes the write lock at BEGIN, so a busy writer waits instead of failing
            // with SQLITE_BUSY when a read-then-write transaction cannot upgrade its lock.
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            opened = connect(config, file);
            connection = opened;
            if (create) {
                createTable();
            }
            checkTableShape();
            upsert = connection.prepareStatement(upsertSql());
            select = connection.prepareStatement(selectSql() + " WHERE "
                    + keyColumns().stream().map(k -> quote(k) + " = ?").collect(Collectors.joining(" AND ")) + " AND "
                    + quote(OnlineTableSpec.EXPIRES_AT) + " > ?");
            scanAll = connection.prepareStatement(selectSql() + " WHERE " + quote(OnlineTableSpec.EXPIRES_AT) + " > ?");
            scanPrefix = new PreparedStatement[keyIndexes.length];
            purge = connection.prepareStatement(
                    "DELETE FROM " + quote(spec.table()) + " WHERE " + quote(OnlineTableSpec.EXPIRES_AT) + " <= ?");
        } catch (SQLException | IOException e) {
            closeQuietly(opened, e);
            throw new OnlineStoreException("cannot open SQLite online table " + spec.table() + " in " + file, e);
        } catch (RuntimeException e) {
            closeQuietly(opened, e);
            throw e;
        }
        this.nextPurgeAt = clock.millis() + purgeIntervalMillis;
    }

    /**
     * Opens the connection, waiting while another connection holds the lock. Several subtasks open
     * the same new file at once, and switching it to WAL while another connection does the same can
     * fail with SQLITE_BUSY before the busy timeout applies (sqlite-jdbc sets the pragmas in one
     * batch), so that one failure is retried here for up to the busy timeout.
     */
    private static Connection connect(SQLiteConfig config, Path file) throws SQLException {
        long deadline = System.nanoTime() + BUSY_TIMEOUT.toNanos();
        while (true) {
            try {
                return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            } catch (org.sqlite.SQLiteException e) {
                String code = e.getResultCode().name(); // SQLITE_BUSY, SQLITE_BUSY_RECOVERY, SQLITE_LOCKED, ...
                boolean busy = code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
                if (!busy || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(25);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Opens an existing table for reading; fails when the file or table is missing or shaped differently. */
    public static SqliteOnlineStore openExisting(Path file, OnlineTableSpec spec) {
        return new SqliteOnlineStore(file, spec, InstantSource.system(), DEFAULT_PURGE_INTERVAL, false);
    }

    @Override
    public void upsert(List<Object[]> rows) {
        for (Object[] row : rows) {
            spec.checkRow(row);
        }
        if (rows.isEmpty()) {
            return;
        }
        long now = clock.millis();
        long expiresAt = now + spec.ttl().toMillis();
        try {
            // Reads run in autocommit mode (deferred, never blocking writers); writes take the
            // write lock once per batch.
            connection.setAutoCommit(false);
            for (Object[] row : rows) {
                int p = 1;
                for (int i = 0; i < columns.size(); i++) {
                    bind(upsert, p++, columns.get(i).type(), row[i]);
                }
                upsert.setString(p++, spec.featureSetVersion());
                upsert.setString(p++, RowDigest.of(spec, row));
                upsert.setLong(p++, expiresAt);
                upsert.setLong(p, now);
                upsert.addBatch();
            }
            upsert.executeBatch();
            if (now >= nextPurgeAt) {
                purge.setLong(1, now);
                purge.executeUpdate();
                nextPurgeAt = now + purgeIntervalMillis;
            }
            connection.commit();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw new OnlineStoreException(
                    "upsert into SQLite online table " + spec.table() + " in " + file + " failed", e);
        }
    }

    /** Deletes the rows whose TTL has run out; returns how many. */
    public int purgeExpired() {
        try {
            long now = clock.millis();
            purge.setLong(1, now);
            int deleted = purge.executeUpdate();
            nextPurgeAt = now + purgeIntervalMillis;
            return deleted;
        } catch (SQLException e) {
            throw new OnlineStoreException("purge of SQLite online table " + spec.table() + " failed", e);
        }
    }

    @Override
    public Optional<Map<String, Object>> get(List<Object> key) {
        spec.checkKey(key);
        try {
            int p = 1;
            for (int i = 0; i < keyIndexes.length; i++) {
                bind(select, p++, columns.get(keyIndexes[i]).type(), key.get(i));
            }
            select.setLong(p, clock.millis());
            Optional<Map<String, Object>> found;
            try (ResultSet rs = select.executeQuery()) {
                found = rs.next() ? Optional.of(readRow(rs)) : Optional.empty();
            }
            return found;
        } catch (SQLException e) {
            throw new OnlineStoreException("read from SQLite online table " + spec.table() + " failed", e);
        }
    }

    @Override
    public Map<List<Object>, Map<String, Object>> getAll(Collection<List<Object>> keys) {
        Map<List<Object>, Map<String, Object>> found = new LinkedHashMap<>();
        for (List<Object> key : keys) {
            get(key).ifPresent(row -> found.put(List.copyOf(key), row));
        }
        return found;
    }

    @Override
    public Map<List<Object>, Map<String, Object>> scan() {
        try {
            scanAll.setLong(1, clock.millis());
            return readRows(scanAll);
        } catch (SQLException e) {
            throw new OnlineStoreException("scan of SQLite online table " + spec.table() + " failed", e);
        }
    }

    /** A search on the primary key, whose leading columns are the prefix's: no pass over the table. */
    @Override
    public Map<List<Object>, Map<String, Object>> scanPrefix(List<Object> keyPrefix) {
        spec.checkKeyPrefix(keyPrefix);
        try {
            PreparedStatement statement = scanPrefix[keyPrefix.size()];
            if (statement == null) {
                statement = connection.prepareStatement(prefixSql(keyPrefix.size()));
                scanPrefix[keyPrefix.size()] = statement;
            }
            int p = 1;
            for (int i = 0; i < keyPrefix.size(); i++) {
                bind(statement, p++, columns.get(keyIndexes[i]).type(), keyPrefix.get(i));
            }
            statement.setLong(p, clock.millis());
            return readRows(statement);
        } catch (SQLException e) {
            throw new OnlineStoreException("prefix scan of SQLite online table " + spec.table() + " failed", e);
        }
    }

    /** The statement {@link #scanPrefix} runs for a prefix of this many key columns. */
    String prefixSql(int prefixColumns) {
        return selectSql() + " WHERE "
                + keyColumns().subList(0, prefixColumns).stream()
                        .map(k -> quote(k) + " = ?")
                        .collect(Collectors.joining(" AND "))
                + " AND "
                + quote(OnlineTableSpec.EXPIRES_AT) + " > ?";
    }

    private Map<List<Object>, Map<String, Object>> readRows(PreparedStatement statement) throws SQLException {
        Map<List<Object>, Map<String, Object>> rows = new LinkedHashMap<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> row = readRow(rs);
                List<Object> key = new ArrayList<>(keyIndexes.length);
                for (int index : keyIndexes) {
                    key.add(row.get(columns.get(index).name()));
                }
                rows.put(List.copyOf(key), row);
            }
        }
        return rows;
    }

    /** Closes the connection; never throws (the connection is released even when closing reports an error). */
    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing SQLite online table {} in {} failed: {}", spec.table(), file, e.getMessage());
        }
    }

    private void createTable() throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ")
                .append(quote(spec.table()))
                .append(" (");
        for (Column column : columns) {
            ddl.append(quote(column.name())).append(' ').append(sqlType(column.type()));
            if (!column.nullable()) {
                ddl.append(" NOT NULL");
            }
            ddl.append(", ");
        }
        ddl.append(quote(OnlineTableSpec.FEATURE_SET_VERSION))
                .append(" TEXT NOT NULL, ")
                .append(quote(OnlineTableSpec.ROW_DIGEST))
                .append(" TEXT NOT NULL, ")
                .append(quote(OnlineTableSpec.EXPIRES_AT))
                .append(" INTEGER NOT NULL, ")
                .append("PRIMARY KEY (")
                .append(keyColumns().stream().map(SqliteOnlineStore::quote).collect(Collectors.joining(", ")))
                .append("))");
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(ddl.toString());
            statement.executeUpdate("CREATE INDEX IF NOT EXISTS " + quote(spec.table() + "_expires_at") + " ON "
                    + quote(spec.table()) + " (" + quote(OnlineTableSpec.EXPIRES_AT) + ")");
        }
    }

    /** A table left by another feature-set version would make every insert fail obscurely: say so up front. */
    private void checkTableShape() throws SQLException {
        List<String> expected = new ArrayList<>();
        for (Column column : columns) {
            expected.add(column.name() + " " + sqlType(column.type()));
        }
        expected.add(OnlineTableSpec.FEATURE_SET_VERSION + " TEXT");
        expected.add(OnlineTableSpec.ROW_DIGEST + " TEXT");
        expected.add(OnlineTableSpec.EXPIRES_AT + " INTEGER");
        List<String> actual = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA table_info(" + quote(spec.table()) + ")")) {
            while (rs.next()) {
                actual.add(rs.getString("name") + " " + rs.getString("type"));
            }
        }
        if (actual.isEmpty()) {
            throw new OnlineStoreException("no table " + spec.table() + " in SQLite online store " + file);
        }
        if (!actual.equals(expected)) {
            throw new OnlineStoreException("table " + spec.table() + " in " + file + " has columns " + actual
                    + " but the spec needs " + expected
                    + "; a changed feature set needs a new table name or a new file");
        }
    }

    private String upsertSql() {
        String table = quote(spec.table());
        List<String> names = new ArrayList<>();
        for (Column column : columns) {
            names.add(column.name());
        }
        names.add(OnlineTableSpec.FEATURE_SET_VERSION);
        names.add(OnlineTableSpec.ROW_DIGEST);
        names.add(OnlineTableSpec.EXPIRES_AT);
        List<String> keys = keyColumns();
        String eventTime = quote(spec.eventTimeColumn());
        String digest = quote(OnlineTableSpec.ROW_DIGEST);
        return "INSERT INTO " + table + " ("
                + names.stream().map(SqliteOnlineStore::quote).collect(Collectors.joining(", ")) + ") VALUES ("
                + names.stream().map(n -> "?").collect(Collectors.joining(", ")) + ")"
                + " ON CONFLICT (" + keys.stream().map(SqliteOnlineStore::quote).collect(Collectors.joining(", "))
                + ") DO UPDATE SET "
                + names.stream()
                        .filter(n -> !keys.contains(n))
                        .map(n -> quote(n) + " = excluded." + quote(n))
                        .collect(Collectors.joining(", "))
                + " WHERE excluded." + eventTime + " > " + table + "." + eventTime
                + " OR (excluded." + eventTime + " = " + table + "." + eventTime
                + " AND excluded." + digest + " > " + table + "." + digest + ")"
                + " OR " + table + "." + quote(OnlineTableSpec.EXPIRES_AT) + " <= ?";
    }

    private String selectSql() {
        return "SELECT " + columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", ")) + ", "
                + quote(OnlineTableSpec.FEATURE_SET_VERSION) + " FROM " + quote(spec.table());
    }

    private Map<String, Object> readRow(ResultSet rs) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            int p = i + 1;
            Object value = switch (column.type()) {
                case STRING -> rs.getString(p);
                case INT -> rs.getInt(p);
                case LONG, TIMESTAMP_MILLIS -> rs.getLong(p);
                case DOUBLE -> rs.getDouble(p);
                case BOOLEAN -> rs.getInt(p) != 0;
            };
            row.put(column.name(), rs.wasNull() ? null : value);
        }
        row.put(OnlineTableSpec.FEATURE_SET_VERSION, rs.getString(columns.size() + 1));
        return row;
    }

    private static void bind(PreparedStatement statement, int p, ColumnType type, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(p, Types.NULL);
            return;
        }
        switch (type) {
            case STRING -> statement.setString(p, (String) value);
            case INT -> statement.setInt(p, (Integer) value);
            case LONG, TIMESTAMP_MILLIS -> statement.setLong(p, (Long) value);
            case DOUBLE -> statement.setDouble(p, (Double) value);
            case BOOLEAN -> statement.setInt(p, ((Boolean) value) ? 1 : 0);
        }
    }

    private static String sqlType(ColumnType type) {
        return switch (type) {
            case STRING -> "TEXT";
            case INT, LONG, TIMESTAMP_MILLIS, BOOLEAN -> "INTEGER";
            case DOUBLE -> "REAL";
        };
    }

    private List<String> keyColumns() {
        return spec.keyColumns();
    }

    /** Column names are snake_case (checked by {@code Column}); quoting still guards against SQL keywords. */
    private static String quote(String identifier) {
        return '"' + identifier + '"';
    }

    private static void closeQuietly(Connection opened, Exception cause) {
        if (opened == null) {
            return;
        }
        try {
            opened.close();
        } catch (SQLException closeFailure) {
            cause.addSuppressed(closeFailure);
        }
    }

    private void rollbackQuietly(SQLException cause) {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}
