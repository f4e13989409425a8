package io.eventstream.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.features.events.OrderedInput;
import io.eventstream.features.spam.SpamFeatureEngine;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamUserState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Online/offline consistency of served spam features, Chronon style: for each logged answer
 * ({@link ParquetServedLog}), the value the offline pipeline computes for the same entity and request
 * time from the events (point in time: the user's events up to the request time, by the job's own
 * {@link SpamFeatureEngine}), compared feature by feature.
 *
 * <ul>
 *   <li>An answer without a pending event ({@code event_id} null) is compared with the user-level
 *       values as of its request time after all of the user's events at or before it.</li>
 *   <li>An answer with a pending event is compared with that event's {@code spam_features} row when
 *       the events hold it (same {@code event_id}); otherwise it is skipped ({@code pending event not
 *       in the events}).</li>
 *   <li>Answers of another feature set or endpoint are skipped, counted by reason.</li>
 * </ul>
 *
 * @param requests   logged answers read
 * @param compared   answers compared
 * @param skipped    answers not compared, by reason
 * @param features   per feature (column order of the answers), mismatches and examples
 */
public record ConsistencyReport(long requests, long compared, Map<String, Long> skipped, List<Feature> features) {

    /** One feature: answers that had it, how many differed from offline, and a few differing examples. */
    public record Feature(String name, long compared, long mismatches, List<Example> examples) {
        public double mismatchRate() {
            return compared == 0 ? 0 : (double) mismatches / compared;
        }
    }

    /** A differing answer: entity, request time (epoch millis) and both values. */
    public record Example(String entity, long requestTime, JsonNode online, JsonNode offline) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param served      the served log's rows ({@link ParquetServedLog#SCHEMA} order)
     * @param inputs      the events reduced to spam inputs (any order)
     * @param featureSet  the feature set the answers should have been computed under
     * @param examplesPerFeature  differing examples kept per feature
     */
    public static ConsistencyReport spam(
            List<Object[]> served, List<SpamInput> inputs, SpamFeatureSet featureSet, int examplesPerFeature) {
        SpamFeatureEngine engine = new SpamFeatureEngine(featureSet);
        Map<Long, List<SpamInput>> byUser = new HashMap<>();
        for (SpamInput input : inputs) {
            byUser.computeIfAbsent(input.userId, u -> new ArrayList<>()).add(input);
        }
        byUser.values().forEach(list -> list.sort(OrderedInput::compareOrder));

        Map<String, Long> skipped = new TreeMap<>();
        Map<Long, List<Request>> requests = new HashMap<>();
        for (Object[] row : served) {
            if (!FeatureServer.SPAM.equals(row[0])) {
                skipped.merge("endpoint " + row[0], 1L, Long::sum);
                continue;
            }
            if (!featureSet.fingerprint().equals(row[4])) {
                skipped.merge("feature set " + row[4], 1L, Long::sum);
                continue;
            }
            long user = Long.parseLong((String) row[1]);
            JsonNode values = parse((String) row[5]);
            List<SpamInput> events = byUser.getOrDefault(user, List.of());
            long t = (Long) row[2];
            JsonNode eventId = values.get("event_id");
            if (eventId == null || eventId.isNull()) {
                requests.computeIfAbsent(user, u -> new ArrayList<>())
                        .add(new Request(row, values, t, upperBound(events, t), -1));
                continue;
            }
            int index = -1;
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).eventId.equals(eventId.asText())
                        && events.get(i).isContent()) {
                    index = i;
                    break;
                }
            }
            if (index < 0) {
                skipped.merge("pending event not in the events", 1L, Long::sum);
                continue;
            }
            requests.computeIfAbsent(user, u -> new ArrayList<>()).add(new Request(row, values, t, index, index));
        }

        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, List<Example>> examples = new LinkedHashMap<>();
        long compared = 0;
        List<Long> users = new ArrayList<>(requests.keySet());
        users.sort(Comparator.naturalOrder());
        for (long user : users) {
            List<SpamInput> events = byUser.getOrDefault(user, List.of());
            List<Request> pending = requests.get(user);
            pending.sort(Comparator.comparingInt(Request::applied));
            SpamUserState state = engine.newState();
            int applied = 0;
            for (Request request : pending) {
                while (applied < request.applied()) {
                    engine.apply(state, events.get(applied++));
                }
                Map<String, Object> offline = request.event() >= 0
                        ? named(featureSet, engine.asOf(state, events.get(request.event())), false)
                        : named(featureSet, engine.asOf(user, state, request.time()), true);
                compared++;
                for (Iterator<Map.Entry<String, JsonNode>> it = request.values().fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    String name = field.getKey();
                    long[] count = counts.computeIfAbsent(name, n -> new long[2]);
                    count[0]++;
                    JsonNode expected = parse(toJson(offline.get(name)));
                    if (!offline.containsKey(name) || !expected.equals(field.getValue())) {
                        count[1]++;
                        List<Example> list = examples.computeIfAbsent(name, n -> new ArrayList<>());
                        if (list.size() < examplesPerFeature) {
                            list.add(
                                    new Example((String) request.row()[1], request.time(), field.getValue(), expected));
                        }
                    }
                }
            }
        }
        List<Feature> features = new ArrayList<>();
        counts.forEach(
                (name, c) -> features.add(new Feature(name, c[0], c[1], examples.getOrDefault(name, List.of()))));
        return new ConsistencyReport(served.size(), compared, skipped, features);
    }

    /** Total mismatching values over all features. */
    public long mismatches() {
        return features.stream().mapToLong(Feature::mismatches).sum();
    }

    private record Request(Object[] row, JsonNode values, long time, int applied, int event) {}

    /** Number of inputs with time at or before t (they are in (time, id) order). */
    private static int upperBound(List<SpamInput> events, long t) {
        int n = 0;
        while (n < events.size() && events.get(n).timeMillis <= t) {
            n++;
        }
        return n;
    }

    private static Map<String, Object> named(SpamFeatureSet featureSet, Object[] row, boolean userColumnsOnly) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (userColumnsOnly) {
            featureSet
                    .onlineSchema()
                    .columns()
                    .forEach(c ->
                            values.put(c.name(), row[featureSet.featureSchema().indexOf(c.name())]));
        } else {
            for (int i = 0; i < row.length; i++) {
                values.put(featureSet.featureSchema().columns().get(i).name(), row[i]);
            }
        }
        return values;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("served log values are not JSON: " + e.getOriginalMessage());
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
