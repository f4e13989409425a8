package io.eventstream.jobs.testing;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.generator.GeneratorConfig;
import io.eventstream.generator.SyntheticEventGenerator;
import java.nio.file.Path;
import java.util.List;

/**
 * Generated events shared by a job's tests: generated once per test JVM on first use, and written
 * once as a JSON-lines file, because every end-to-end test of the job reads the same events.
 */
public final class GeneratedEvents {
    private final GeneratorConfig generator;
    private final String directoryPrefix;
    private List<CloudEvent> events;
    private Path file;

    /**
     * @param generator what to generate
     * @param directoryPrefix  prefix of the temporary directory the JSON-lines file goes to
     */
    public GeneratedEvents(GeneratorConfig generator, String directoryPrefix) {
        this.generator = generator;
        this.directoryPrefix = directoryPrefix;
    }

    /** The events in emission order. */
    public synchronized List<CloudEvent> events() {
        if (events == null) {
            events = List.copyOf(SyntheticEventGenerator.generateAll(generator));
        }
        return events;
    }

    /** The events as a JSON-lines file (structured mode, one event per line, emission order). */
    public synchronized Path file() {
        if (file == null) {
            file = EventInputs.tempJsonLines(directoryPrefix, events());
        }
        return file;
    }
}
