package io.eventstream.features.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.config.SpamWindowedFeature;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.OrderedInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The engine against {@link NaiveSpamReference} on random event lists: every row, every column
 * equal, with the default configuration and with many random window configurations. The engine
 * runs the way the Flink keyed function will: inputs in (time, id) order, one state per user, and
 * in between expiry at random legal watermarks, state serialization round trips and copies, none
 * of which may change a single value.
 */
class SpamFeatureEngineReferenceTest {
    static final byte[] KEY = "test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final long S = 1_000;
    private static final long M = 60 * S;
    private static final long H = 60 * M;
    private static final long D = 24 * H;

    @Test
    void defaultConfigurationMatchesTheReference() {
        SpamFeatureSet featureSet = new SpamFeatureSet(SpamJobConfig.defaults());
        List<CloudEvent> events =
                new RandomSpamEvents(11, 6, 5, 0, 0, 1, 999, 10 * S, M, 5 * M, H, 6 * H, D, 45 * D).events(6_000);
        int rows = compare(featureSet, events, new SplittableRandom(3));
        assertThat(rows).isGreaterThan(2_000);
    }

    @Test
    void randomWindowConfigurationsMatchTheReference() {
        SplittableRandom random = new SplittableRandom(2024);
        long[] hops = {S, 2 * S, 5 * S, 10 * S, M};
        for (int c = 0; c < 40; c++) {
            StringBuilder yaml = new StringBuilder("windows:\n");
            int windowCount = 1 + random.nextInt(4);
            List<String> names = new ArrayList<>();
            long longest = 0;
            long reach = 0;
            for (int w = 0; w < windowCount; w++) {
                long hop = hops[random.nextInt(hops.length)];
                long length = hop * (1 + random.nextInt(8));
                longest = Math.max(longest, length);
                reach = Math.max(reach, length + hop);
                String name = "w" + w;
                names.add(name);
                yaml.append("  ")
                        .append(name)
                        .append(": {length: ")
                        .append(length)
                        .append("ms, hop: ")
                        .append(hop)
                        .append("ms}\n");
            }
            yaml.append("features:\n");
            for (SpamWindowedFeature feature : SpamWindowedFeature.values()) {
                List<String> chosen = new ArrayList<>();
                for (String name : names) {
                    if (random.nextInt(2) == 0) {
                        chosen.add(name);
                    }
                }
                yaml.append("  ")
                        .append(feature.key())
                        .append(": [")
                        .append(String.join(", ", chosen))
                        .append("]\n");
            }
            long ttl = reach * (1 + random.nextInt(3));
            yaml.append("state:\n  ttl: ").append(ttl).append("ms\n");
            SpamFeatureSet featureSet = new SpamFeatureSet(SpamJobConfig.parse(yaml.toString()));
            List<CloudEvent> events =
                    new RandomSpamEvents(c, 3, 4, 0, 0, 1, 500, S, 3 * S, 10 * S, longest, ttl + 1).events(700);
            compare(featureSet, events, random.split());
        }
    }

    /** Runs engine and reference, asserts equal rows and online tables, returns the row count. */
    static int compare(SpamFeatureSet featureSet, List<CloudEvent> events, SplittableRandom chaos) {
        return compare(featureSet, new SpamInputs(RandomSpamEvents.HOST, KEY, EmailDomains.shipped()), events, chaos);
    }

    /** {@link #compare} with the given reduction of events to inputs. */
    static int compare(SpamFeatureSet featureSet, SpamInputs inputs, List<CloudEvent> events, SplittableRandom chaos) {
        List<CloudEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(chaos.nextLong()));
        NaiveSpamReference reference = new NaiveSpamReference(featureSet, inputs);
        List<Object[]> expected = reference.featureRows(shuffled);

        SpamFeatureEngine engine = new SpamFeatureEngine(featureSet);
        Map<Long, Object[]> online = new LinkedHashMap<>();
        List<Object[]> actual = run(engine, inputs, events, chaos, online);

        DatasetSchema schema = featureSet.featureSchema();
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Object[] e = expected.get(i);
            Object[] a = actual.get(i);
            assertThat(schema.check(a)).as("schema check of row %d", i).isNull();
            for (int c = 0; c < e.length; c++) {
                if (!Objects.equals(e[c], a[c])) {
                    throw new AssertionError("row " + i + " (event " + e[0] + ") column "
                            + schema.columns().get(c).name() + ": reference " + e[c] + ", engine " + a[c] + "\nconfig: "
                            + featureSet.definitionJson());
                }
            }
        }
        Map<Long, Object[]> expectedOnline = reference.onlineRows(shuffled);
        assertThat(online.keySet()).isEqualTo(expectedOnline.keySet());
        expectedOnline.forEach((user, row) ->
                assertThat(online.get(user)).as("online row of user %d", user).isEqualTo(row));
        return actual.size();
    }

    /** The engine driven like the keyed function, with legal expiry and state round trips sprinkled in. */
    static List<Object[]> run(
            SpamFeatureEngine engine,
            SpamInputs inputs,
            List<CloudEvent> events,
            SplittableRandom chaos,
            Map<Long, Object[]> online) {
        List<SpamInput> ordered = new ArrayList<>();
        for (CloudEvent event : events) {
            SpamInput input = inputs.from(event);
            if (input != null) {
                ordered.add(input);
            }
        }
        ordered.sort(OrderedInput::compareOrder);
        Map<Long, SpamUserState> states = new HashMap<>();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            SpamInput input = ordered.get(i);
            SpamUserState state = states.computeIfAbsent(input.userId, u -> engine.newState());
            Object[] row = engine.apply(state, input);
            if (row != null) {
                rows.add(row);
                online.put(input.userId, engine.onlineRow(row));
            }
            boolean nextIsLater = i + 1 < ordered.size() && ordered.get(i + 1).timeMillis > input.timeMillis;
            if (nextIsLater && chaos.nextInt(4) == 0) {
                long watermark = input.timeMillis + chaos.nextLong(ordered.get(i + 1).timeMillis - input.timeMillis);
                states.entrySet().removeIf(entry -> engine.expire(entry.getValue(), watermark));
            }
            int roll = chaos.nextInt(20);
            if (roll == 0) {
                states.replaceAll((user, s) -> roundTrip(s));
            } else if (roll == 1) {
                states.replaceAll((user, s) -> s.copy());
            }
        }
        return rows;
    }

    static SpamUserState roundTrip(SpamUserState state) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            state.write(new DataOutputStream(bytes));
            SpamUserState back = SpamUserState.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            if (!back.equals(state)) {
                throw new AssertionError("state changed in a round trip: " + state + " vs " + back);
            }
            return back;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
