package io.eventstream.connectors.online;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A real {@code redis-server} process for tests: bound to 127.0.0.1 on a free port, no
 * persistence, optionally with {@code --requirepass}. Ready when PING answers; {@link #close()}
 * stops it by its process handle. When {@code redis-server} is not installed, one
 * {@code apt-get install -y redis-server} is tried per JVM (CI runs as root); if that fails the
 * start fails with a message saying what to install.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     OnlineStore store = OnlineStores.open(redis.uri(), spec);
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Object INSTALL_LOCK = new Object();
    private static boolean installAttempted;

    private final Process process;
    private final int port;
    private final String password;
    private final Path directory;

    private RedisServer(Process process, int port, String password, Path directory) {
        this.process = process;
        this.port = port;
        this.password = password;
        this.directory = directory;
    }

    /** Starts a server without authentication. */
    public static RedisServer start() {
        return start(null);
    }

    /** Starts a server that requires {@code password} (null: no authentication). */
    public static RedisServer start(String password) {
        String executable = findOrInstall();
        IllegalStateException lastFailure = null;
        // A free port can be taken between probing and binding: retry with another.
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return launch(executable, freePort(), password);
            } catch (IllegalStateException e) {
                lastFailure = e;
            }
        }
        throw lastFailure;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>/0}, without the password. */
    public String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** {@code redis://:<password>@127.0.0.1:<port>/0} (or {@link #uri()} when there is no password). */
    public String uriWithPassword() {
        return password == null ? uri() : "redis://:" + password + "@127.0.0.1:" + port + "/0";
    }

    /** A fresh client connection (authenticated when the server has a password); close it. */
    public Jedis client() {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder();
        if (password != null) {
            config.password(password);
        }
        return new Jedis(new HostAndPort(host(), port), config.build());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(directory)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover log file in target/tmp is harmless.
        }
    }

    private static RedisServer launch(String executable, int port, String password) {
        Path directory;
        Process process;
        try {
            directory = Files.createTempDirectory("redis-" + port + "-");
            List<String> command = new ArrayList<>(List.of(executable, "--bind", "127.0.0.1", "--port",
                    Integer.toString(port), "--save", "", "--appendonly", "no", "--dir", directory.toString()));
            if (password != null) {
                command.add("--requirepass");
                command.add(password);
            }
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + executable, e);
        }
        RedisServer server = new RedisServer(process, port, password, directory);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = server.log();
                server.close();
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": " + log);
            }
            try (Jedis jedis = server.client()) {
                if ("PONG".equals(jedis.ping())) {
                    return server;
                }
            } catch (JedisException notYet) {
                // Not listening yet.
            }
            sleep(20);
        }
        server.close();
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within " + START_TIMEOUT);
    }

    private String log() {
        try {
            return Files.readString(directory.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static String findOrInstall() {
        synchronized (INSTALL_LOCK) {
            String found = find();
            if (found != null) {
                return found;
            }
            if (!installAttempted) {
                installAttempted = true;
                run("apt-get", "install", "-y", "redis-server");
                if (find() == null) {
                    run("apt-get", "update");
                    run("apt-get", "install", "-y", "redis-server");
                }
                found = find();
                if (found != null) {
                    return found;
                }
            }
            throw new IllegalStateException("redis-server is not installed and `apt-get install -y redis-server` "
                    + "did not install it; install Redis (the redis-server executable on PATH) to run these tests");
        }
    }

    private static String find() {
        List<String> directories = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            directories.addAll(List.of(path.split(java.io.File.pathSeparator)));
        }
        directories.addAll(List.of("/usr/bin", "/usr/local/bin", "/usr/sbin", "/opt/homebrew/bin"));
        for (String directory : directories) {
            Path candidate = Path.of(directory, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            // apt-get missing or not permitted: reported by the caller as "not installed".
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting redis-server", e);
        }
    }
}
