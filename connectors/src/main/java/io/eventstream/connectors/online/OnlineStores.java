package io.eventstream.connectors.online;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Opens an online table from a store URI, the single setting that switches backends:
 * <ul>
 *   <li>{@code sqlite:PATH} — one SQLite file (created with its directories when missing), e.g.
 *       {@code sqlite:out/online.db};</li>
 *   <li>{@code redis://[[user]:password@]host[:port][/db]} — Redis; {@code rediss://...} for TLS.
 *       Prefer the environment variable {@value RedisEndpoint#PASSWORD_ENV} to a password in the URI.</li>
 * </ul>
 * Anything else fails with an {@link IllegalArgumentException} saying what is accepted.
 */
public final class OnlineStores {

    private static final String EXPECTED =
            "expected sqlite:PATH, redis://[:password@]host:port[/db] or rediss://[:password@]host:port[/db]";
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^@/]*@");

    private OnlineStores() {}

    /** A writable store with default settings ({@link RedisOnlineStore#DEFAULT_PIPELINE_SIZE} for Redis). */
    public static OnlineStore open(String uri, OnlineTableSpec spec) {
        return open(uri, spec, RedisOnlineStore.DEFAULT_PIPELINE_SIZE);
    }

    /**
     * A writable store.
     *
     * @param redisPipelineSize  rows per pipelined Redis round trip (ignored for SQLite, which
     *                           writes each {@code upsert} call in one transaction)
     */
    public static OnlineStore open(String uri, OnlineTableSpec spec, int redisPipelineSize) {
        return switch (backend(uri)) {
            case SQLITE -> new SqliteOnlineStore(sqlitePath(uri), spec);
            case REDIS -> new RedisOnlineStore(uri, spec, redisPipelineSize);
        };
    }

    /** A reader; for SQLite the file and table must already exist. */
    static OnlineTableReader openReader(String uri, OnlineTableSpec spec) {
        return switch (backend(uri)) {
            case SQLITE -> SqliteOnlineStore.openExisting(sqlitePath(uri), spec);
            case REDIS -> new RedisOnlineStore(uri, spec, RedisOnlineStore.DEFAULT_PIPELINE_SIZE);
        };
    }

    /** The URI with any user and password replaced by {@code ***}, fit for logs, names and messages. */
    public static String redact(String uri) {
        return uri == null ? "null" : USER_INFO.matcher(uri).replaceFirst("***@");
    }

    /**
     * Checks a URI without connecting and returns its scheme ({@code sqlite}, {@code redis} or
     * {@code rediss}), so a job fails at build time, not in a task, on a bad setting.
     */
    public static String validate(String uri) {
        switch (backend(uri)) {
            case SQLITE -> sqlitePath(uri);
            case REDIS -> RedisEndpoint.parse(uri, Map.of());
        }
        return uri.substring(0, uri.indexOf(':'));
    }

    private enum Backend {
        SQLITE,
        REDIS
    }

    private static Backend backend(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("online store URI is empty; " + EXPECTED);
        }
        if (uri.startsWith("sqlite:")) {
            return Backend.SQLITE;
        }
        if (uri.startsWith("redis://") || uri.startsWith("rediss://")) {
            return Backend.REDIS;
        }
        throw new IllegalArgumentException("unsupported online store URI " + redact(uri) + "; " + EXPECTED);
    }

    private static Path sqlitePath(String uri) {
        String path = uri.substring("sqlite:".length());
        if (path.isBlank()) {
            throw new IllegalArgumentException("online store URI " + uri + " names no file; " + EXPECTED);
        }
        return Path.of(path);
    }
}
