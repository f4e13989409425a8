package io.eventstream.gateway;

import io.javalin.Javalin;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: a Javalin (Jetty 12) server with
 * <ul>
 *   <li>{@code POST /hooks/<source>}: GitLab webhook and system-hook deliveries ({@link HookHandler});</li>
 *   <li>{@code GET /healthz}: 200 while the process serves;</li>
 *   <li>{@code GET /readyz}: 200 when Kafka answers and the gateway is not draining, else 503;</li>
 *   <li>{@code GET /metrics}: Prometheus text format.</li>
 * </ul>
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.start(GatewayConfig.load(path), bootstrap, new Properties(), System.getenv())) {
 *     gateway.awaitShutdownSignal();
 * }   // close(): stop accepting, drain in-flight deliveries, stop the server, flush and close the producer
 * }</pre>
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** Time for the last answers to be written once nothing is in flight, before the server stops. */
    private static final Duration LAST_WRITE_GRACE = Duration.ofMillis(200);

    private final GatewayConfig config;
    private final TokenVault tokens;
    private final EventPublisher publisher;
    private final KafkaHealth kafka;
    private final GatewayMetrics metrics;
    private final HookHandler hooks;
    private final Javalin app;
    private volatile boolean draining;
    private boolean closed;
    private ServerConnector connector;
    private int port;

    private Gateway(
            GatewayConfig config, String bootstrap, Properties kafkaProperties, Map<String, String> environment) {
        this.config = config;
        this.tokens = new TokenVault(config.sources(), environment, config.tokenReload());
        KafkaHealth health = null;
        EventPublisher producer = null;
        try {
            health = new KafkaHealth(bootstrap, kafkaProperties);
            this.metrics = new GatewayMetrics(this::inFlight, tokens::reloadFailures, health::reachableAsDouble);
            producer = new EventPublisher(
                    bootstrap,
                    config.topic(),
                    config.deadLetterTopic(),
                    config.deliveryTimeout(),
                    kafkaProperties,
                    nanos -> metrics.produceSeconds.observe(nanos / 1e9));
        } catch (RuntimeException e) {
            tokens.close();
            if (health != null) {
                health.close();
            }
            throw e;
        }
        this.kafka = health;
        this.publisher = producer;
        this.hooks = new HookHandler(config, tokens, publisher, kafka, metrics, () -> draining);
        String keystorePassword = readKeystorePassword(config, environment);
        this.app = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            javalin.http.asyncTimeout = config.deliveryTimeout().toMillis() + 5_000;
            javalin.jetty.addConnector((server, httpConfig) -> connector(server, httpConfig, keystorePassword));
            javalin.routes.post("/hooks/{source}", hooks::handle);
            javalin.routes.get("/healthz", ctx -> ctx.contentType("text/plain").result("ok\n"));
            javalin.routes.get("/readyz", ctx -> {
                boolean ready = !draining && kafka.reachable();
                ctx.status(ready ? 200 : 503)
                        .contentType("text/plain")
                        .result(draining ? "draining\n" : ready ? "ready\n" : "kafka unreachable\n");
            });
            javalin.routes.get(
                    "/metrics", ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
        });
    }

    /**
     * Starts a gateway and returns once it listens.
     *
     * @param bootstrap       Kafka bootstrap servers
     * @param kafkaProperties extra Kafka client properties (security settings), may be empty
     * @param environment     where {@code env:} token references are looked up ({@code System.getenv()})
     */
    public static Gateway start(
            GatewayConfig config, String bootstrap, Properties kafkaProperties, Map<String, String> environment) {
        Objects.requireNonNull(bootstrap, "no Kafka bootstrap servers: set kafka.bootstrap or --kafka");
        Gateway gateway = new Gateway(config, bootstrap, kafkaProperties, environment);
        try {
            gateway.app.start();
            gateway.port = gateway.connector.getLocalPort();
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
        LOG.info(
                "gateway listening on {}://{}:{} for {} source(s), producing to {}",
                gateway.scheme(),
                config.host(),
                gateway.port(),
                config.sources().size(),
                config.topic());
        return gateway;
    }

    /** The port it listens on (the actual one when the config said 0). */
    public int port() {
        return port;
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return config.tls() == null ? "http" : "https";
    }

    /** Deliveries being handled now. */
    public int inFlight() {
        return hooks == null ? 0 : hooks.inFlight();
    }

    /**
     * Graceful shutdown: answers new deliveries 503 and stops accepting connections, waits until every
     * in-flight delivery is answered (acknowledged by Kafka, or failed at the delivery timeout; at most
     * {@code shutdown.drain-timeout}), stops the server, then flushes and closes the producer.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        if (connector != null) {
            try {
                ((NetworkConnector) connector).close();
            } catch (RuntimeException e) {
                LOG.warn("closing the listener failed", e);
            }
        }
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        while (inFlight() > 0 && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(10));
        }
        if (inFlight() > 0) {
            LOG.warn("{} deliveries still in flight after the drain timeout of {}", inFlight(), config.drainTimeout());
        }
        sleep(LAST_WRITE_GRACE);
        try {
            app.stop();
        } finally {
            try {
                publisher.close();
            } finally {
                kafka.close();
                tokens.close();
            }
        }
        LOG.info("gateway stopped");
    }

    private Connector connector(Server server, HttpConfiguration httpConfig, String keystorePassword) {
        ServerConnector created;
        if (config.tls() == null) {
            created = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
        } else {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(config.tls().keystore().toAbsolutePath().toString());
            ssl.setKeyStorePassword(keystorePassword);
            HttpConfiguration https = new HttpConfiguration(httpConfig);
            https.addCustomizer(new SecureRequestCustomizer(false));
            created = new ServerConnector(
                    server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
        }
        created.setHost(config.host());
        created.setPort(config.port());
        this.connector = created;
        return created;
    }

    private static String readKeystorePassword(GatewayConfig config, Map<String, String> environment) {
        if (config.tls() == null) {
            return null;
        }
        try {
            return config.tls().password().read(environment).get(0);
        } catch (IOException e) {
            throw new IllegalStateException("tls.keystore-password: " + e.getMessage());
        }
    }

    /** Blocks until the JVM is asked to stop (SIGTERM, Ctrl-C), then closes this gateway. */
    public void runUntilStopped() throws InterruptedException {
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            close();
                            stopped.countDown();
                        },
                        "gateway-shutdown"));
        stopped.await();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
