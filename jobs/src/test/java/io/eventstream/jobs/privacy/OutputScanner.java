package io.eventstream.jobs.privacy;

import io.eventstream.jobs.testing.DuckDbDatasets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every output as text so it can be searched for strings that must not be there: Parquet files
 * decoded by DuckDB (compressed pages would hide a string from a byte search), SQLite databases through
 * their tables, every other file as UTF-8 (logs, JSON, markers). Each text is named by where it came from.
 */
final class OutputScanner {
    private final Map<String, String> texts = new LinkedHashMap<>();

    /** Adds every file under {@code dir}. */
    OutputScanner addTree(Path dir) {
        for (Path file : DuckDbDatasets.files(dir)) {
            String name = file.getFileName().toString();
            if (name.endsWith(".parquet")) {
                texts.put(file.toString(), parquetText(file));
            } else if (name.endsWith(".sqlite") || name.endsWith(".db")) {
                texts.put(file.toString(), sqliteText(file));
            } else {
                addFile(file);
            }
        }
        return this;
    }

    OutputScanner addFile(Path file) {
        try {
            texts.put(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    OutputScanner add(String where, String text) {
        texts.put(where, text);
        return this;
    }

    int size() {
        return texts.size();
    }

    /** Every {@code where: needle} found, case-insensitively; empty when clean. */
    List<String> find(List<String> needles) {
        List<String> found = new ArrayList<>();
        texts.forEach((where, text) -> {
            String lower = text.toLowerCase(java.util.Locale.ROOT);
            for (String needle : needles) {
                if (lower.contains(needle.toLowerCase(java.util.Locale.ROOT))) {
                    found.add(where + ": " + needle);
                }
            }
        });
        return found;
    }

    static String parquetText(Path file) {
        StringBuilder out = new StringBuilder();
        DuckDbDatasets.query("SELECT * FROM read_parquet('" + file + "')", rs -> {
            int columns = rs.getMetaData().getColumnCount();
            for (int i = 1; i <= columns; i++) {
                out.append(rs.getString(i)).append('\t');
            }
            out.append('\n');
        });
        return out.toString();
    }

    static String sqliteText(Path file) {
        StringBuilder out = new StringBuilder();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = statement.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object value = rs.getObject(i);
                            out.append(
                                            value instanceof byte[] bytes
                                                    ? new String(bytes, StandardCharsets.UTF_8)
                                                    : value)
                                    .append('\t');
                        }
                        out.append('\n');
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return out.toString();
    }
}
