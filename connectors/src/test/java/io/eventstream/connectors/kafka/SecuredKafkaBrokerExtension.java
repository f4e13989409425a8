package io.eventstream.connectors.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real {@link LocalKafkaBroker} per test class with a {@code SASL_SSL} listener (SCRAM-SHA-512, TLS
 * with a certificate made by {@link TestCertificates}) and one SCRAM user, {@link #USER}, whose random
 * password {@link #password()} gives. The secured sibling of {@link KafkaBrokerExtension}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SecuredKafkaBrokerExtension KAFKA = new SecuredKafkaBrokerExtension();
 * ...
 * Properties client = KAFKA.clientProperties();   // security.protocol, sasl.*, ssl.truststore.*
 * String bootstrap = KAFKA.saslSslBootstrapServers();
 * }</pre>
 */
public final class SecuredKafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    /** The SCRAM user the extension creates. */
    public static final String USER = "eventstream-jobs";

    private final AtomicInteger topics = new AtomicInteger();
    private final String password = "scram-" + UUID.randomUUID();
    private int classesRunning;
    private Path dir;
    private TestCertificates certificates;
    private LocalKafkaBroker broker;

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws IOException {
        if (classesRunning++ == 0) {
            dir = Files.createTempDirectory("kafka-tls-");
            certificates = TestCertificates.create(dir);
            broker = new LocalKafkaBroker().withSaslSsl(certificates.saslSsl()).start();
            broker.upsertScramUser(USER, password);
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (--classesRunning == 0) {
            broker.close();
            broker = null;
            deleteRecursively(dir);
        }
    }

    public LocalKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only between beforeAll and afterAll");
        }
        return broker;
    }

    /** The SASL_SSL listener, where clients under test connect. */
    public String saslSslBootstrapServers() {
        return broker().saslSslBootstrapServers();
    }

    /** {@link #USER}'s SCRAM password. */
    public String password() {
        return password;
    }

    public TestCertificates certificates() {
        return certificates;
    }

    /** Client properties for {@link #USER} on the SASL_SSL listener (no bootstrap servers). */
    public Properties clientProperties() {
        return broker().saslSslClientProperties(USER, password);
    }

    /** Creates a topic named {@code <prefix>-<n>} and returns its name. */
    public String newTopic(String prefix, int partitions) {
        String name = prefix + "-" + topics.incrementAndGet();
        broker().createTopic(name, partitions);
        return name;
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
