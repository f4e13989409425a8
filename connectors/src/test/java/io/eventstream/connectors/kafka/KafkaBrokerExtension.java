package io.eventstream.connectors.kafka;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real {@link LocalKafkaBroker} per test class (about 2 s to start), shared by its tests, which
 * keep apart by using fresh topics from {@link #newTopic(String, int)}. Other modules use it through
 * the connectors test-jar:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 * ...
 * String topic = KAFKA.newTopic("events", 2);
 * EventSources.kafka(KAFKA.bootstrapServers(), topic, "test", OffsetsInitializer.earliest(), true);
 * }</pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private final AtomicInteger topics = new AtomicInteger();
    /** beforeAll/afterAll also run for @Nested classes: the outermost pair starts and stops the broker. */
    private int classesRunning;

    private LocalKafkaBroker broker;

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (classesRunning++ == 0) {
            broker = new LocalKafkaBroker().start();
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (--classesRunning == 0) {
            broker.close();
            broker = null;
        }
    }

    public LocalKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only between beforeAll and afterAll");
        }
        return broker;
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** Creates a topic named {@code <prefix>-<n>}, unique within this broker, and returns its name. */
    public String newTopic(String prefix, int partitions) {
        String name = prefix + "-" + topics.incrementAndGet();
        broker().createTopic(name, partitions);
        return name;
    }
}
