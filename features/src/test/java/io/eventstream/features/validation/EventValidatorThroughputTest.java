package io.eventstream.features.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.EventType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Prints the validator's throughput on a few thousand events of every type, next to the codec's,
 * so the cost of validating every event in a job is known. A measurement, not an assertion on time.
 * Rates are per second of this thread's CPU time, so a machine busy with other work does not
 * distort them as much as wall-clock time would.
 */
class EventValidatorThroughputTest {
    private static final int EVENTS = 3_000;
    private static final int ROUNDS = 3;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    @Test
    void measureThroughput() {
        CloudEventJson json = new CloudEventJson();
        EventValidator validator = new EventValidator();
        List<byte[]> events = new ArrayList<>();
        List<JsonNode> trees = new ArrayList<>();
        long totalBytes = 0;
        for (int i = 0; i < EVENTS; i++) {
            byte[] bytes = json.write(SampleEvents.full(EventType.values()[i % EventType.values().length], i));
            events.add(bytes);
            trees.add(json.toJsonNode(SampleEvents.full(EventType.values()[i % EventType.values().length], i)));
            totalBytes += bytes.length;
        }

        double validateBytes = bestRate(events, b -> validator.validate(b).isEmpty());
        double validateTree = bestRate(trees, t -> validator.validate(t).isEmpty());
        double decode = bestRate(events, b -> json.read(b).isOk());
        System.out.printf(
                "EventValidator on %d events (%d bytes on average), best of %d rounds, per CPU second:%n"
                        + "  validate(byte[])   %,10.0f events/s (parse + validate)%n"
                        + "  validate(JsonNode) %,10.0f events/s (validate only)%n"
                        + "  CloudEventJson.read %,9.0f events/s (for comparison)%n",
                EVENTS, totalBytes / EVENTS, ROUNDS, validateBytes, validateTree, decode);
        assertThat(validateBytes).isPositive();
    }

    /** Events per second of the best round; fails if any event is rejected, so the figure is for real work. */
    private static <T> double bestRate(List<T> inputs, Predicate<T> accepted) {
        double best = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long start = CPU.getCurrentThreadCpuTime();
            int ok = 0;
            for (T input : inputs) {
                if (accepted.test(input)) {
                    ok++;
                }
            }
            long elapsed = CPU.getCurrentThreadCpuTime() - start;
            assertThat(ok).isEqualTo(inputs.size());
            best = Math.max(best, inputs.size() / (elapsed / 1e9));
        }
        return best;
    }
}
