package io.eventstream.connectors.online;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A real {@code redis-server} process for tests: bound to 127.0.0.1 on a free port, no
 * persistence, optionally with {@code --requirepass} or TLS only ({@link #startTls()}). Ready when PING answers; {@link #close()}
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

    private final String executable;
    private final List<String> command;
    private final int port;
    private final String password;
    private final Path directory;
    private final SSLSocketFactory tls;
    private volatile Process process;

    private RedisServer(
            String executable,
            List<String> command,
            Process process,
            int port,
            String password,
            Path directory,
            SSLSocketFactory tls) {
        this.executable = executable;
        this.command = command;
        this.process = process;
        this.port = port;
        this.password = password;
        this.directory = directory;
        this.tls = tls;
    }

    /** Starts a server without authentication. */
    public static RedisServer start() {
        return start(null);
    }

    /** Starts a server that requires {@code password} (null: no authentication). */
    public static RedisServer start(String password) {
        return start(password, false);
    }

    /**
     * Starts a server that speaks only TLS, with a fresh self-signed certificate for 127.0.0.1
     * made by {@code openssl}; {@link #sslSocketFactory()} trusts it.
     */
    public static RedisServer startTls() {
        return start(null, true);
    }

    /**
     * Starts a server that keeps its data across {@link #stop()} and {@link #restart()} (append-only
     * file, written on every command), as a production Redis with persistence does.
     */
    public static RedisServer startPersistent() {
        return start(null, false, true);
    }

    private static RedisServer start(String password, boolean tls) {
        return start(password, tls, false);
    }

    private static RedisServer start(String password, boolean tls, boolean persistent) {
        String executable = findOrInstall();
        IllegalStateException lastFailure = null;
        // A free port can be taken between probing and binding: retry with another.
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return launch(executable, freePort(), password, tls, persistent);
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

    /** {@code redis://127.0.0.1:<port>/0} ({@code rediss://} for TLS), without the password. */
    public String uri() {
        return scheme() + "127.0.0.1:" + port + "/0";
    }

    /** {@code redis://:<password>@127.0.0.1:<port>/0} (or {@link #uri()} when there is no password). */
    public String uriWithPassword() {
        return password == null ? uri() : scheme() + ":" + password + "@127.0.0.1:" + port + "/0";
    }

    /** For a TLS server: a socket factory that trusts its certificate (and nothing else); else null. */
    public SSLSocketFactory sslSocketFactory() {
        return tls;
    }

    /** A fresh client connection (authenticated when the server has a password); close it. */
    public Jedis client() {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder();
        if (password != null) {
            config.password(password);
        }
        if (tls != null) {
            config.ssl(true).sslSocketFactory(tls);
        }
        return new Jedis(new HostAndPort(host(), port), config.build());
    }

    private String scheme() {
        return tls == null ? "redis://" : "rediss://";
    }

    /** Freezes the server (SIGSTOP): connections stay open, nothing answers, as on a stalled host. */
    public void freeze() {
        signal("STOP");
    }

    /** Lets a frozen server go on (SIGCONT). */
    public void thaw() {
        signal("CONT");
    }

    /** Stops the server (SIGTERM) and waits for it to exit; clients see their connections closed. */
    public void stop() {
        Process running = process;
        running.destroy();
        try {
            if (!running.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " did not stop on SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping redis-server", e);
        }
    }

    /** Starts the server again on the same port and directory (with its data, when persistent). */
    public void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is still running");
        }
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            directory.resolve("redis.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + executable, e);
        }
        awaitReady();
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " of redis-server failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling redis-server", e);
        }
    }

    @Override
    public void close() {
        Process process = this.process;
        if (process.isAlive()) {
            // A frozen server ignores SIGTERM until it runs again.
            signal("CONT");
        }
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

    private static RedisServer launch(String executable, int port, String password, boolean tls, boolean persistent) {
        Path directory;
        Process process;
        SSLSocketFactory trustingFactory = null;
        List<String> command;
        try {
            directory = Files.createTempDirectory("redis-" + port + "-");
            command = new ArrayList<>(List.of(
                    executable,
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    persistent ? "yes" : "no",
                    "--appendfsync",
                    "always",
                    "--dir",
                    directory.toString()));
            if (tls) {
                Path certificate = selfSignedCertificate(directory);
                trustingFactory = trusting(certificate);
                command.addAll(List.of(
                        "--port",
                        "0",
                        "--tls-port",
                        Integer.toString(port),
                        "--tls-cert-file",
                        certificate.toString(),
                        "--tls-key-file",
                        directory.resolve("key.pem").toString(),
                        "--tls-ca-cert-file",
                        certificate.toString(),
                        "--tls-auth-clients",
                        "no"));
            } else {
                command.addAll(List.of("--port", Integer.toString(port)));
            }
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
        RedisServer server = new RedisServer(executable, command, process, port, password, directory, trustingFactory);
        server.awaitReady();
        return server;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = log();
                close();
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": " + log);
            }
            try (Jedis jedis = client()) {
                if ("PONG".equals(jedis.ping())) {
                    return;
                }
            } catch (JedisException notYet) {
                // Not listening yet.
            }
            sleep(20);
        }
        close();
        throw new IllegalStateException(
                "redis-server on port " + port + " did not answer PING within " + START_TIMEOUT);
    }

    private static Path selfSignedCertificate(Path directory) throws IOException {
        Path certificate = directory.resolve("cert.pem");
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-keyout",
                        directory.resolve("key.pem").toString(),
                        "-out",
                        certificate.toString(),
                        "-days",
                        "1",
                        "-subj",
                        "/CN=127.0.0.1",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("openssl.log").toFile())
                .start();
        try {
            if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                throw new IllegalStateException("openssl could not make a test certificate: "
                        + Files.readString(directory.resolve("openssl.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making a test certificate", e);
        }
        return certificate;
    }

    private static SSLSocketFactory trusting(Path certificate) {
        try (var in = Files.newInputStream(certificate)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry(
                    "redis", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust the test certificate", e);
        }
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
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
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
