package io.eventstream.connectors.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.online.OnlineStore;
import io.eventstream.connectors.online.OnlineStores;
import io.eventstream.connectors.online.RedisServer;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.OrderedInput;
import io.eventstream.features.spam.SpamFeatureEngine;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamInputs;
import io.eventstream.features.spam.SpamUserState;
import io.eventstream.generator.GeneratorConfig;
import io.eventstream.generator.SyntheticEventGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parity guarantee on both real backends: for every content event of a generated stream, the
 * answer of {@link SpamOnlineReader} for the event, read from the {@code spam_user_state} table as it
 * stood just before the event (the job's rows written through the store after each earlier event
 * time), equals the event's {@code spam_features} row, every column.
 */
class SpamOnlineParityTest {
    private static final SpamJobConfig CONFIG = SpamJobConfig.parse("hashing: {key: parity-test-key-0123456789}\n");
    private static final SpamFeatureSet FEATURES = new SpamFeatureSet(CONFIG);
    private static List<SpamInput> inputs;
    private static RedisServer redis;

    @BeforeAll
    static void generate() {
        SpamInputs reduce = new SpamInputs(CONFIG, "parity-test-key-0123456789".getBytes(StandardCharsets.UTF_8));
        inputs = new ArrayList<>();
        for (CloudEvent event : SyntheticEventGenerator.generateAll(GeneratorConfig.of(14, 150, 12, 6))) {
            SpamInput input = reduce.from(event);
            if (input != null) {
                inputs.add(input);
            }
        }
        inputs.sort(OrderedInput::compareOrder);
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void sqliteAnswersEqualTheRowsOfTheEvents(@TempDir Path dir) {
        assertParity("sqlite:" + dir.resolve("online.sqlite"));
    }

    @Test
    void redisAnswersEqualTheRowsOfTheEvents() {
        assertParity(redis.uri());
    }

    private static void assertParity(String uri) {
        SpamFeatureEngine engine = new SpamFeatureEngine(FEATURES);
        DatasetSchema schema = FEATURES.featureSchema();
        Map<Long, SpamUserState> states = new HashMap<>();
        Map<Long, Long> lastTime = new HashMap<>();
        Set<Long> touched = new LinkedHashSet<>();
        int checked = 0;
        int sameMillisecond = 0;
        try (OnlineStore store = OnlineStores.open(uri, SpamOnlineReader.stateTable(FEATURES))) {
            store.upsert(List.of()); // creates the table before the first read
            try (SpamOnlineReader reader = SpamOnlineReader.open(uri, CONFIG)) {
                for (int i = 0; i < inputs.size(); i++) {
                    SpamInput input = inputs.get(i);
                    SpamUserState state = states.computeIfAbsent(input.userId, u -> engine.newState());
                    Map<String, Object> read = null;
                    if (input.isContent() && Long.valueOf(input.timeMillis).equals(lastTime.get(input.userId))) {
                        sameMillisecond++; // its predecessor at this millisecond is not written yet
                    } else if (input.isContent()) {
                        read = reader.asOf(input);
                    }
                    Object[] row = engine.apply(state, input);
                    lastTime.put(input.userId, input.timeMillis);
                    if (read != null) {
                        Object[] values = read.values().toArray();
                        if (!Arrays.equals(values, row)) {
                            throw new AssertionError(uri + " event " + input.eventId + ": read " + read
                                    + "\nbut the job's row is " + Arrays.toString(row) + " (" + schema.columns() + ")");
                        }
                        checked++;
                    }
                    touched.add(input.userId);
                    if (i + 1 == inputs.size() || inputs.get(i + 1).timeMillis > input.timeMillis) {
                        List<Object[]> rows = new ArrayList<>();
                        for (long user : touched) {
                            rows.add(engine.stateRow(user, states.get(user)));
                        }
                        store.upsert(rows);
                        touched.clear();
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(1_000);
        assertThat(sameMillisecond).isLessThan(checked / 100);
    }
}
