package io.eventstream.jobs.testing;

import io.eventstream.connectors.kafka.KafkaEventWriter;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/** Events handed to a job the way production sources read them: a JSON-lines file or a Kafka topic. */
public final class EventInputs {

    private EventInputs() {}

    /** Writes events as JSON lines (structured mode, one event per line, in the given order); returns the file. */
    public static Path writeJsonLines(Path file, Collection<CloudEvent> events) {
        CloudEventJson json = new CloudEventJson();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (CloudEvent event : events) {
                out.write(json.write(event));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The events as {@code events.jsonl} in a new temporary directory named after {@code prefix}. */
    public static Path tempJsonLines(String prefix, Collection<CloudEvent> events) {
        try {
            return writeJsonLines(Files.createTempDirectory(prefix).resolve("events.jsonl"), events);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Produces events in order, keyed by their {@code partitionkey} (the user the event is about) as
     * production producers key them, so one project's events spread over partitions; every tenth in
     * binary mode, the rest in structured mode. Returns how many went in binary mode.
     */
    public static long produce(String bootstrap, String topic, List<CloudEvent> events) {
        CloudEventJson json = new CloudEventJson();
        long binary = 0;
        // One writer for both modes keeps each partition in emission order.
        try (KafkaEventWriter writer = new KafkaEventWriter(bootstrap, topic, KafkaEventWriter.Mode.STRUCTURED)) {
            for (int i = 0; i < events.size(); i++) {
                CloudEvent event = events.get(i);
                if (i % 10 == 3) {
                    writer.writeRecord(
                            event.partitionKey().getBytes(StandardCharsets.UTF_8),
                            json.writeData(event),
                            json.binaryHeaders(event));
                    binary++;
                } else {
                    writer.write(event);
                }
            }
        }
        return binary;
    }
}
