package io.eventstream.connectors.online;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where and how to connect to Redis, parsed from {@code redis://[[user]:password@]host[:port][/db]}
 * or {@code rediss://...} (TLS). When the URI carries no password, the environment variable
 * {@value #PASSWORD_ENV} supplies it, else the file named by {@value #PASSWORD_FILE_ENV} (the
 * ways to keep it out of committed configs, command lines and Flink job arguments). {@link #toString()} never shows the password.
 *
 * @param host      host name or address
 * @param port      port, 6379 when absent
 * @param database  logical database index, 0 when absent
 * @param user      ACL user or null (the default user)
 * @param password  password or null (no AUTH)
 * @param tls       true for {@code rediss://}
 */
record RedisEndpoint(String host, int port, int database, String user, String password, boolean tls) {

    /** Environment variable holding the Redis password when the URI has none. */
    static final String PASSWORD_ENV = "EVENTSTREAM_REDIS_PASSWORD";

    /** Environment variable naming a file that holds the Redis password (e.g. a mounted Kubernetes Secret). */
    static final String PASSWORD_FILE_ENV = "EVENTSTREAM_REDIS_PASSWORD_FILE";

    /** The file's content without its trailing line break; null for no file. */
    private static String passwordFromFile(String file) {
        if (file == null || file.isEmpty()) {
            return null;
        }
        try {
            String content =
                    Files.readString(Path.of(file), StandardCharsets.UTF_8).stripTrailing();
            return content.isEmpty() ? null : content;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the Redis password file " + file + " named by "
                    + PASSWORD_FILE_ENV + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    static RedisEndpoint parse(String uri, Map<String, String> environment) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed Redis URI " + OnlineStores.redact(uri)
                    + "; expected redis://[:password@]host:port[/db] or rediss://...");
        }
        String scheme = parsed.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException(
                    "Redis URI must start with redis:// or rediss://: " + OnlineStores.redact(uri));
        }
        if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
            throw new IllegalArgumentException(
                    "Redis URI needs host[:port] with a numeric port: " + OnlineStores.redact(uri));
        }
        if (parsed.getQuery() != null || parsed.getFragment() != null) {
            throw new IllegalArgumentException("Redis URI takes no query or fragment: " + OnlineStores.redact(uri));
        }
        int port = parsed.getPort() == -1 ? 6379 : parsed.getPort();
        int database = 0;
        String path = parsed.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            String db = path.substring(1);
            if (!db.matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException(
                        "Redis URI path must be a database number, as in redis://host:6379/0: "
                                + OnlineStores.redact(uri));
            }
            database = Integer.parseInt(db);
        }
        String user = null;
        String password = null;
        String userInfo = parsed.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String rawUser = colon < 0 ? userInfo : userInfo.substring(0, colon);
            user = rawUser.isEmpty() ? null : URLDecoder.decode(rawUser, StandardCharsets.UTF_8);
            if (colon >= 0 && colon + 1 < userInfo.length()) {
                password = URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8);
            }
        }
        if (password == null) {
            String fromEnvironment = environment.get(PASSWORD_ENV);
            if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
                password = fromEnvironment;
            }
        }
        if (password == null) {
            password = passwordFromFile(environment.get(PASSWORD_FILE_ENV));
        }
        return new RedisEndpoint(parsed.getHost(), port, database, user, password, "rediss".equals(scheme));
    }

    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + (user != null ? user + "@" : "") + host + ":" + port + "/" + database
                + (password != null ? " (with password)" : "");
    }
}
