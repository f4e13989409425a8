package io.eventstream.features.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.config.ReviewerWindowedFeature;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.OrderedInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The engine against {@link NaiveReviewerReference} on random event lists: every candidate row,
 * label row and final online row, every column equal, with the default configuration over a year of
 * activity and with many random configurations (small windows, so state TTL, grace periods, path caps
 * and project-level forgetting all happen). The engine runs the way the Flink keyed function will:
 * inputs in (time, id) order, one state per project, and in between expiry at random legal
 * watermarks, state serialization round trips and copies, none of which may change a single value.
 */
class ReviewerFeatureEngineReferenceTest {
    private static final long S = 1_000;
    private static final long M = 60 * S;
    private static final long H = 60 * M;
    private static final long D = 24 * H;

    @Test
    void defaultConfigurationMatchesTheReferenceOverAYear() {
        ReviewerFeatureSet featureSet = new ReviewerFeatureSet(ReviewerJobConfig.defaults());
        List<CloudEvent> events = new RandomReviewerEvents(7, 30, 3, 0, H, 6 * H, 12 * H, 10 * D).events(3_000);
        long span = events.get(events.size() - 1).timeMillis() - events.get(0).timeMillis();
        assertThat(span).as("a year of activity").isGreaterThan(365 * D);
        Counts counts = compare(featureSet, events, new SplittableRandom(5));
        assertThat(counts.candidates).isGreaterThan(1_000);
        assertThat(counts.labels).isGreaterThan(300);
        assertThat(counts.growthRows).as("rows emitted because paths grew").isGreaterThan(50);
        assertThat(counts.truncatedRows).as("rows with paths_truncated").isGreaterThan(10);
    }

    @Test
    void randomConfigurationsMatchTheReference() {
        SplittableRandom random = new SplittableRandom(2025);
        long[] hops = {M, 2 * M, 5 * M, 10 * M};
        long candidates = 0;
        for (int c = 0; c < 30; c++) {
            StringBuilder yaml = new StringBuilder("windows:\n");
            int windowCount = 1 + random.nextInt(3);
            List<String> names = new ArrayList<>();
            for (int w = 0; w < windowCount; w++) {
                long hop = hops[random.nextInt(hops.length)];
                long length = hop * (1 + random.nextInt(6));
                names.add("w" + w);
                yaml.append("  w")
                        .append(w)
                        .append(": {length: ")
                        .append(length)
                        .append("ms, hop: ")
                        .append(hop)
                        .append("ms}\n");
            }
            yaml.append("features:\n");
            for (ReviewerWindowedFeature feature : ReviewerWindowedFeature.values()) {
                List<String> chosen = new ArrayList<>();
                for (String name : names) {
                    if (random.nextInt(3) > 0) {
                        chosen.add(name);
                    }
                }
                yaml.append("  ")
                        .append(feature.key())
                        .append(": [")
                        .append(String.join(", ", chosen))
                        .append("]\n");
            }
            long lookbackHop = hops[random.nextInt(hops.length)];
            yaml.append("candidates:\n  lookback: ")
                    .append(lookbackHop * (1 + random.nextInt(5)))
                    .append("ms\n")
                    .append("  lookback_hop: ")
                    .append(lookbackHop)
                    .append("ms\n")
                    .append("  max: ")
                    .append(1 + random.nextInt(6))
                    .append('\n')
                    .append("  emit_on_path_growth: ")
                    .append(random.nextInt(4) > 0)
                    .append('\n');
            yaml.append("paths:\n  prefix_depth: ")
                    .append(1 + random.nextInt(3))
                    .append('\n')
                    .append("  max_per_branch: ")
                    .append(2 + random.nextInt(12))
                    .append('\n');
            yaml.append("merge_requests:\n  grace: ")
                    .append(random.nextInt(3) * 5 * M)
                    .append("ms\n");
            ReviewerJobConfig probe = ReviewerJobConfig.parse(yaml.toString());
            yaml.append("state:\n  user_buckets: ")
                    .append(1 + random.nextInt(5))
                    .append('\n');
            if (random.nextBoolean()) {
                yaml.append("  ttl: ")
                        .append(probe.stateTtlMillis() * (1 + random.nextInt(3)))
                        .append("ms\n");
            }
            ReviewerFeatureSet featureSet = new ReviewerFeatureSet(ReviewerJobConfig.parse(yaml.toString()));
            long ttl = featureSet.config().stateTtlMillis();
            List<CloudEvent> events = new RandomReviewerEvents(c, 12, 2, 0, S, M, 3 * M, ttl / 2, ttl + M).events(700);
            candidates += compare(featureSet, events, random.split()).candidates;
        }
        assertThat(candidates).isGreaterThan(1_000);
    }

    /** What a comparison covered. */
    record Counts(int candidates, int labels, int growthRows, int truncatedRows) {}

    /**
     * Runs engine and reference, asserts equal rows and online tables: the engine with each project in
     * one state ({@link ReviewerFeatureEngine#apply}), and split into a project state and its user
     * buckets' states, the work between them encoded ({@link ReviewerFeatureEngine#applyProject}).
     */
    static Counts compare(ReviewerFeatureSet featureSet, List<CloudEvent> events, SplittableRandom chaos) {
        List<CloudEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(chaos.nextLong()));
        NaiveReviewerReference.Result expected = new NaiveReviewerReference(featureSet).compute(shuffled);

        ReviewerFeatureEngine engine = new ReviewerFeatureEngine(featureSet);
        Run split = run(engine, events, chaos.split(), true);
        sameRows(featureSet.candidateSchema(), expected.candidateRows(), split.candidates, featureSet);
        sameRows(featureSet.labelSchema(), expected.labelRows(), split.labels, featureSet);
        sameTable(featureSet.onlineUserSchema(), expected.onlineUserRows(), split.onlineUsers);
        sameTable(featureSet.onlinePathSchema(), expected.onlinePathRows(), split.onlinePaths);
        Run actual = run(engine, events, chaos, false);

        sameRows(featureSet.candidateSchema(), expected.candidateRows(), actual.candidates, featureSet);
        sameRows(featureSet.labelSchema(), expected.labelRows(), actual.labels, featureSet);
        sameTable(featureSet.onlineUserSchema(), expected.onlineUserRows(), actual.onlineUsers);
        sameTable(featureSet.onlinePathSchema(), expected.onlinePathRows(), actual.onlinePaths);
        DatasetSchema schema = featureSet.candidateSchema();
        int growth = (int) actual.candidates.stream()
                .filter(r -> ReviewerFeatureSet.TRIGGER_PATHS_GREW.equals(r[schema.indexOf("trigger")]))
                .count();
        int truncated = (int) actual.candidates.stream()
                .filter(r -> (Boolean) r[schema.indexOf("paths_truncated")])
                .count();
        return new Counts(actual.candidates.size(), actual.labels.size(), growth, truncated);
    }

    private static void sameRows(
            DatasetSchema schema, List<Object[]> expected, List<Object[]> actual, ReviewerFeatureSet featureSet) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            Object[] e = expected.get(i);
            Object[] a = actual.get(i);
            assertThat(schema.check(a))
                    .as("schema check of %s row %d", schema.name(), i)
                    .isNull();
            for (int c = 0; c < e.length; c++) {
                if (!Objects.equals(e[c], a[c])) {
                    throw new AssertionError(schema.name() + " row " + i + " (event " + e[0] + ", " + e[1] + ") column "
                            + schema.columns().get(c).name() + ": reference " + e[c] + ", engine " + a[c]
                            + "\nreference row " + java.util.Arrays.toString(e) + "\nengine row    "
                            + java.util.Arrays.toString(a) + "\nconfig: " + featureSet.config());
                }
            }
        }
        assertThat(actual).as(schema.name() + " row count").hasSameSizeAs(expected);
    }

    private static void sameTable(
            DatasetSchema schema, Map<List<Object>, Object[]> expected, Map<List<Object>, Object[]> actualWithTiles) {
        // The reference leaves the tile encoding out: ReviewerOnlineAsOfReferenceTest compares the counts it gives.
        int tiles = schema.indexOf(ReviewerFeatureSet.COUNT_TILES);
        Map<List<Object>, Object[]> actual = new HashMap<>();
        actualWithTiles.forEach((key, row) -> {
            assertThat(schema.check(row)).isNull();
            Object[] copy = row.clone();
            copy[tiles] = null;
            actual.put(key, copy);
        });
        assertThat(new TreeMap<>(keysAsText(actual)))
                .as(schema.name() + " keys")
                .isEqualTo(new TreeMap<>(keysAsText(expected)));
        expected.forEach((key, row) ->
                assertThat(actual.get(key)).as(schema.name() + " row " + key).isEqualTo(row));
    }

    private static Map<String, String> keysAsText(Map<List<Object>, Object[]> table) {
        Map<String, String> text = new HashMap<>();
        table.forEach((k, v) -> text.put(k.toString(), java.util.Arrays.toString(v)));
        return text;
    }

    /** The engine's output, per dataset, projects grouped in ascending order like the reference. */
    static final class Run {
        final List<Object[]> candidates = new ArrayList<>();
        final List<Object[]> labels = new ArrayList<>();
        final Map<List<Object>, Object[]> onlineUsers = new LinkedHashMap<>();
        final Map<List<Object>, Object[]> onlinePaths = new LinkedHashMap<>();
    }

    /**
     * The engine driven like the keyed function (or, {@code split}, the job's two keyed functions: per
     * project and per user bucket), with legal expiry and state round trips sprinkled in.
     */
    static Run run(ReviewerFeatureEngine engine, List<CloudEvent> events, SplittableRandom chaos, boolean split) {
        List<ReviewerInput> ordered = new ArrayList<>();
        for (CloudEvent event : events) {
            ReviewerInput input = ReviewerInputs.from(event);
            if (input != null) {
                ordered.add(input);
            }
        }
        ordered.sort(OrderedInput::compareOrder);
        Map<Long, ReviewerProjectState> states = new HashMap<>();
        Map<Long, ReviewerProjectState> buckets = new HashMap<>();
        TreeMap<Long, List<Object[]>> candidates = new TreeMap<>();
        TreeMap<Long, List<Object[]>> labels = new TreeMap<>();
        Run run = new Run();
        for (int i = 0; i < ordered.size(); i++) {
            ReviewerInput input = ordered.get(i);
            ReviewerProjectState state = states.computeIfAbsent(input.projectId, p -> engine.newState());
            ReviewerOutput output = split ? engine.applyProject(state, input) : engine.apply(state, input);
            List<Object[]> rows = new ArrayList<>(output.candidateRows());
            for (ReviewerTileWork work : output.tileWork()) {
                ReviewerTileWork received = new ReviewerTileWork();
                received.projectId = work.projectId;
                received.bucket = work.bucket;
                received.eventId = work.eventId;
                received.timeMillis = work.timeMillis;
                received.payload = work.seal().payload;
                ReviewerOutput completed =
                        engine.applyTiles(buckets.computeIfAbsent(received.key(), b -> engine.newState()), received);
                rows.addAll(completed.candidateRows());
                output.onlinePathRows().addAll(completed.onlinePathRows());
            }
            if (split) {
                // The buckets complete an emission's rows each for its candidates: in the order of one state.
                rows.sort(Comparator.comparingLong((Object[] r) -> (Long) r[ReviewerFeatureSet.MR_IID])
                        .thenComparingInt(r -> (Integer) r[ReviewerFeatureSet.CANDIDATE_RANK]));
            }
            candidates.computeIfAbsent(input.projectId, p -> new ArrayList<>()).addAll(rows);
            labels.computeIfAbsent(input.projectId, p -> new ArrayList<>()).addAll(output.labelRows());
            for (Object[] row : output.onlineUserRows()) {
                run.onlineUsers.put(List.of(row[0], row[1]), row);
            }
            for (Object[] row : output.onlinePathRows()) {
                run.onlinePaths.put(List.of(row[0], row[1], row[2]), row);
            }
            boolean nextIsLater = i + 1 < ordered.size() && ordered.get(i + 1).timeMillis > input.timeMillis;
            if (nextIsLater && chaos.nextInt(3) == 0) {
                long watermark = input.timeMillis + chaos.nextLong(ordered.get(i + 1).timeMillis - input.timeMillis);
                states.entrySet()
                        .removeIf(entry -> split
                                ? engine.expireProject(entry.getValue(), watermark)
                                : engine.expire(entry.getValue(), watermark));
                buckets.entrySet().removeIf(entry -> engine.expireTiles(entry.getValue(), watermark));
            }
            int roll = chaos.nextInt(25);
            if (roll == 0) {
                states.replaceAll((project, s) -> roundTrip(s));
                buckets.replaceAll((bucket, s) -> roundTrip(s));
            } else if (roll == 1) {
                states.replaceAll((project, s) -> s.copy());
                buckets.replaceAll((bucket, s) -> s.copy());
            }
        }
        candidates.values().forEach(run.candidates::addAll);
        labels.values().forEach(run.labels::addAll);
        return run;
    }

    static ReviewerProjectState roundTrip(ReviewerProjectState state) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            state.write(new DataOutputStream(bytes));
            ReviewerProjectState back =
                    ReviewerProjectState.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            if (!back.equals(state)) {
                throw new AssertionError("state changed in a round trip: " + state + " vs " + back);
            }
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            back.write(new DataOutputStream(again));
            if (!java.util.Arrays.equals(bytes.toByteArray(), again.toByteArray())) {
                throw new AssertionError("a round trip changed the serialized bytes");
            }
            return back;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
