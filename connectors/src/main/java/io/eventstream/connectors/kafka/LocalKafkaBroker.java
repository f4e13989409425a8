package io.eventstream.connectors.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM,
 * for tests, the benchmark and local tooling. It listens on free ports of 127.0.0.1 only.
 *
 * <pre>{@code
 * try (LocalKafkaBroker kafka = new LocalKafkaBroker().start()) {
 *     kafka.createTopic("events", 4);
 *     String bootstrap = kafka.bootstrapServers();
 *     ...
 * }
 * }</pre>
 *
 * <p>The broker classes ({@code kafka_2.13} and friends) are {@code provided} dependencies of the
 * connectors module: they are on the classpath of tests and of the command line run from Maven, never
 * in the job jar. The broker logs through SLF4J under the {@code kafka} and {@code org.apache.kafka}
 * loggers; set those to WARN in the logging configuration for quiet output (the connectors test
 * configuration does).
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final int START_ATTEMPTS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final boolean ownsDataDir;
    private KafkaRaftServer server;
    private String bootstrapServers;
    /** The ports of the first start, reused by a start after {@link #stop()} so clients reconnect. */
    private int brokerPort;

    private int controllerPort;
    private int saslSslPort;
    private SaslSsl saslSsl;
    private String saslSslBootstrapServers;

    /**
     * A {@code SASL_SSL} listener with SCRAM-SHA-512 beside the PLAINTEXT one: TLS from a PKCS12 key store
     * (the broker's key and certificate, valid for 127.0.0.1), clients trust the PKCS12 trust store. The
     * PLAINTEXT listener ({@link #bootstrapServers()}, {@link #admin()}) stays for setting up topics and
     * users; clients under test use {@link #saslSslBootstrapServers()} and {@link #saslSslClientProperties}.
     *
     * @param keyStore       PKCS12 with the broker's private key and certificate
     * @param trustStore     PKCS12 with the certificate clients trust
     * @param storePassword  password of both stores (and of the key)
     */
    public record SaslSsl(Path keyStore, Path trustStore, String storePassword) {
        @Override
        public String toString() {
            return "SaslSsl[" + keyStore + ", " + trustStore + "]";
        }
    }

    /** The SCRAM mechanism of the {@link SaslSsl} listener. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    /** A broker whose data lives in a fresh temporary directory, deleted by {@link #close()}. */
    public LocalKafkaBroker() {
        try {
            this.dataDir = Files.createTempDirectory("kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.ownsDataDir = true;
    }

    /**
     * A broker whose log directory is {@code <parent>/kafka-logs}. The directory is kept by
     * {@link #close()}; a later broker on the same parent reuses it, topics and records included.
     */
    public LocalKafkaBroker(Path parent) {
        this.dataDir = parent.toAbsolutePath();
        this.ownsDataDir = false;
    }

    /** Formats the log directory if needed and starts the broker; returns once it answers requests. */
    public synchronized LocalKafkaBroker start() {
        if (server != null) {
            throw new IllegalStateException("already started on " + bootstrapServers);
        }
        RuntimeException failure = null;
        // Free ports are found by binding and releasing them; another process can take one in
        // between, so a bind failure is retried with new ports.
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            try {
                startOnFreePorts();
                return this;
            } catch (RuntimeException e) {
                failure = e;
                stopServer();
                if (!causedByBind(e)) {
                    break;
                }
            }
        }
        // The caller's try-with-resources never saw this broker: clean up here.
        if (ownsDataDir) {
            deleteRecursively(dataDir);
        }
        throw failure;
    }

    /** Adds a {@link SaslSsl} listener; call before {@link #start()}. Returns this. */
    public synchronized LocalKafkaBroker withSaslSsl(SaslSsl settings) {
        if (server != null) {
            throw new IllegalStateException("add the SASL_SSL listener before start()");
        }
        this.saslSsl = settings;
        return this;
    }

    /** {@code host:port} of the SASL_SSL listener; only with {@link #withSaslSsl} and after {@link #start()}. */
    public String saslSslBootstrapServers() {
        if (saslSslBootstrapServers == null) {
            throw new IllegalStateException("no SASL_SSL listener (withSaslSsl before start)");
        }
        return saslSslBootstrapServers;
    }

    /**
     * Creates or updates a SCRAM-SHA-512 user (through the Admin API on the PLAINTEXT listener) and waits
     * until the SASL_SSL listener accepts it.
     */
    public void upsertScramUser(String user, String password) {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create SCRAM user " + user, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Properties props = saslSslClientProperties(user, password);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, saslSslBootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        while (true) {
            // The credential reaches the broker through the metadata log a moment after the controller took it.
            try (Admin secured = Admin.create(props)) {
                secured.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("SCRAM user " + user + " not accepted within " + READY_TIMEOUT, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** Client properties for the SASL_SSL listener as {@code user} (without bootstrap servers). */
    public Properties saslSslClientProperties(String user, String password) {
        if (saslSsl == null) {
            throw new IllegalStateException("no SASL_SSL listener");
        }
        Properties props = new Properties();
        props.put("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", SCRAM_MECHANISM);
        props.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";");
        props.put("ssl.truststore.location", saslSsl.trustStore().toString());
        props.put("ssl.truststore.type", "PKCS12");
        props.put("ssl.truststore.password", saslSsl.storePassword());
        return props;
    }

    /** {@code host:port} of the PLAINTEXT listener; only valid after {@link #start()}. */
    public String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("broker not started");
        }
        return bootstrapServers;
    }

    /** The broker's log directory. */
    public Path logDir() {
        return dataDir.resolve("kafka-logs");
    }

    /**
     * Creates a topic with replication factor 1 and waits until it is usable. Creating a topic that
     * already exists with the same partition count is a no-op.
     */
    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + name, e.getCause());
                }
            }
            awaitTopic(admin, name, partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
    }

    /** The controller has the topic once creation returns; the broker serves it a moment later. */
    private static void awaitTopic(Admin admin, String name, int partitions) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            try {
                TopicDescription topic = admin.describeTopics(List.of(name))
                        .allTopicNames()
                        .get(10, TimeUnit.SECONDS)
                        .get(name);
                if (topic.partitions().size() != partitions) {
                    throw new IllegalStateException("topic " + name + " exists with "
                            + topic.partitions().size() + " partitions, not " + partitions);
                }
                if (topic.partitions().stream()
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) && !(e instanceof TimeoutException)) {
                    throw new IllegalStateException("could not describe topic " + name, e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + name + " not ready within " + READY_TIMEOUT);
            }
            Thread.sleep(20);
        }
    }

    /** A new admin client for this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /**
     * Stops the broker and waits for it, keeping its data and ports: a later {@link #start()} brings the same
     * broker back on the same address, as a restarted production broker would (for fault tests).
     */
    public synchronized void stop() {
        stopServer();
    }

    /** Stops the broker and waits for it; deletes the data directory if this broker created it. */
    @Override
    public synchronized void close() {
        stopServer();
        if (ownsDataDir) {
            deleteRecursively(dataDir);
        }
    }

    /**
     * Stops the broker and starts it again on the same ports and log directory, topics and records
     * kept, as a broker restart in production: clients see their connections drop and come back.
     */
    public synchronized void restart() {
        if (server == null) {
            throw new IllegalStateException("broker not started");
        }
        int brokerPort = this.brokerPort;
        int controllerPort = this.controllerPort;
        stopServer();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            try {
                startOn(brokerPort, controllerPort);
                return;
            } catch (RuntimeException e) {
                stopServer();
                // The old sockets may hold the ports for a moment after shutdown.
                if (!causedByBind(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while restarting the broker", interrupted);
                }
            }
        }
    }

    private void startOnFreePorts() {
        // A start after stop() reuses the first start's ports, so clients reconnect.
        if (this.brokerPort != 0) {
            startOn(this.brokerPort, this.controllerPort);
            return;
        }
        int[] ports = distinctFreePorts(3);
        if (saslSsl != null) {
            this.saslSslPort = ports[2];
        }
        startOn(ports[0], ports[1]);
    }

    private void startOn(int brokerPort, int controllerPort) {
        Properties props = brokerProperties(brokerPort, controllerPort);
        if (saslSsl != null) {
            addSaslSslListener(props, saslSslPort);
        }
        Path configFile = dataDir.resolve("server.properties");
        try {
            Files.createDirectories(dataDir);
            try (OutputStream out = Files.newOutputStream(configFile)) {
                props.store(out, "written by LocalKafkaBroker");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        format(configFile);
        server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        bootstrapServers = "127.0.0.1:" + brokerPort;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        saslSslBootstrapServers = saslSsl == null ? null : "127.0.0.1:" + saslSslPort;
        awaitReady();
    }

    private Properties brokerProperties(int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.put("log.dirs", logDir().toString());
        props.put("num.partitions", "1");
        // Topics are created explicitly: a typo in a topic name should fail, not create a topic.
        props.put("auto.create.topics.enable", "false");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // Consumer groups of tests would otherwise wait 3 s for more members.
        props.put("group.initial.rebalance.delay.ms", "0");
        return props;
    }

    private void addSaslSslListener(Properties props, int port) {
        props.put("listeners", props.getProperty("listeners") + ",SASL_SSL://127.0.0.1:" + port);
        props.put("advertised.listeners", props.getProperty("advertised.listeners") + ",SASL_SSL://127.0.0.1:" + port);
        props.put(
                "listener.security.protocol.map",
                props.getProperty("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
        props.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
        props.put(
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("ssl.keystore.location", saslSsl.keyStore().toString());
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.password", saslSsl.storePassword());
        props.put("ssl.key.password", saslSsl.storePassword());
    }

    /** Formats the log directory unless a previous broker already did (then its data is kept). */
    private void format(Path configFile) {
        if (Files.exists(logDir().resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status;
        // StorageTool.main calls System.exit; execute returns the status instead.
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(
                    new String[] {
                        "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", configFile.toString()
                    },
                    out);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "formatting " + logDir() + " failed: " + e + " " + captured.toString(StandardCharsets.UTF_8), e);
        }
        if (status != 0) {
            throw new IllegalStateException("formatting " + logDir() + " failed (status " + status + "): "
                    + captured.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("broker did not answer within " + READY_TIMEOUT, e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }

    private void stopServer() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            bootstrapServers = null;
            saslSslBootstrapServers = null;
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Free ports of 127.0.0.1, all different: each socket stays bound until all are chosen. Ports taken one
     * after the other can repeat once released, and the broker refuses two listeners on one port with a
     * configuration error (no bind error, so {@link #start()} would not retry).
     */
    private static int[] distinctFreePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // Only the port number was wanted; a failed close leaves the port to the OS.
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
