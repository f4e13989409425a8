package io.eventstream.jobs.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.parquet.DatasetRows;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CommitData;
import io.eventstream.features.events.EventData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.PushData;
import io.eventstream.features.reviewers.NaiveReviewerReference;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.reviewers.ReviewerInput;
import io.eventstream.features.reviewers.ReviewerInputs;
import io.eventstream.features.reviewers.ReviewerTileWork;
import io.eventstream.jobs.common.LateRows;
import io.eventstream.jobs.testing.ReviewerJobRun;
import io.eventstream.jobs.testing.ReviewerTestData;
import io.eventstream.jobs.testing.RowSets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.types.Row;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ReviewerFeatureFunction} alone ({@code state.user_buckets} 0) and with
 * {@link ReviewerBucketFunction} (3 buckets) in Flink's keyed operator harnesses
 * ({@link ReviewerStagesHarness}): snapshot and restore in the middle of a generated stream (also from
 * one state backend to the other),
 * the project's and its buckets' state and timers gone once it has been idle for {@code state.ttl},
 * late events. Watermarks are driven by hand, as the job's bounded-out-of-orderness strategy would.
 */
class ReviewerFeatureFunctionHarnessTest {
    private static final ReviewerJobConfig CONFIG = ReviewerTestData.CONFIG;
    private static final ReviewerFeatureSet FEATURE_SET = ReviewerTestData.FEATURE_SET;
    private static final DatasetSchema CANDIDATES = FEATURE_SET.candidateSchema();
    private static final OutputTag<Row> CANDIDATE_ROWS =
            new OutputTag<>("reviewer-candidates", DatasetRows.typeInfo(FEATURE_SET.candidateSchema()));
    private static final OutputTag<Row> LABELS =
            new OutputTag<>("reviewer-labels", DatasetRows.typeInfo(FEATURE_SET.labelSchema()));
    private static final OutputTag<Row> ONLINE_USERS =
            new OutputTag<>("reviewer-online-users", DatasetRows.typeInfo(FEATURE_SET.onlineUserSchema()));
    private static final OutputTag<Row> ONLINE_PATHS =
            new OutputTag<>("reviewer-online-paths", DatasetRows.typeInfo(FEATURE_SET.onlinePathSchema()));
    private static final OutputTag<Row> LATE =
            new OutputTag<>("late-reviewer-inputs", DatasetRows.typeInfo(LateRows.SCHEMA));
    private static final long LATENESS = CONFIG.allowedLatenessMillis();
    private static final long BOUND = CONFIG.maxOutOfOrdernessMillis();
    /** The first generated events: about six weeks of both projects, 2 s of CPU for the naive reference. */
    private static final int GENERATED_EVENTS = 3_000;

    private static final long PROJECT = 7L;
    private static final long MEMBER = 21L;
    private static final long AUTHOR = 22L;
    private static final long T0 = Instant.parse("2025-03-01T00:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;

    /**
     * Also across state backends, as a savepoint restored on the other backend: the state's layout
     * differs (one value per key on the heap, per entry on RocksDB), and each key's state moves over
     * at its first callback after the restore. "heap per entry" is the heap backend with RocksDB's layout: what
     * a heap savepoint of the versions before the heap's own layout holds.
     */
    @ParameterizedTest(name = "state.user_buckets {0}, snapshot on {1}, restored on {2}")
    @CsvSource({"0, heap, heap", "3, heap, heap", "0, heap, rocksdb", "3, rocksdb, heap", "0, heap per entry, heap"})
    void snapshotCloseRestoreOpenMidStreamChangesNoOutput(int userBuckets, String snapshotOn, String restoredOn)
            throws Exception {
        List<CloudEvent> events = ReviewerTestData.events().subList(0, GENERATED_EVENTS);
        List<ReviewerInput> inputs = events.stream()
                .map(ReviewerInputs::from)
                .filter(Objects::nonNull)
                .toList();

        Outputs uninterrupted = new Outputs();
        try (var harness = harness(userBuckets, snapshotOn)) {
            harness.open();
            harness.feed(inputs, BOUND);
            harness.processWatermark(Long.MAX_VALUE);
            uninterrupted.collect(harness);
        }

        int half = inputs.size() / 2;
        Outputs restored = new Outputs();
        ReviewerStagesHarness.Snapshot snapshot;
        try (var first = harness(userBuckets, snapshotOn)) {
            first.open();
            first.feed(inputs.subList(0, half), BOUND);
            if (!snapshotOn.equals("rocksdb")) { // the harness counts no entries on RocksDB
                assertThat(first.numKeyedStateEntries())
                        .as("buffered events and project state at the snapshot")
                        .isPositive();
            }
            restored.collect(first);
            snapshot = snapshotOn.equals(restoredOn) ? first.snapshot(1L) : first.savepoint(1L);
        }
        int beforeSnapshot = restored.candidates.size();
        try (var second = harness(userBuckets, restoredOn)) {
            second.restore(snapshot);
            second.feed(inputs.subList(half, inputs.size()), BOUND);
            second.processWatermark(Long.MAX_VALUE);
            restored.collect(second);
        }

        assertThat(uninterrupted.candidates).hasSizeGreaterThan(2_000);
        assertThat(beforeSnapshot)
                .as("candidate rows before the snapshot")
                .isPositive()
                .isLessThan(uninterrupted.candidates.size());
        RowSets.assertSameRows(
                "candidate rows after snapshot and restore",
                CANDIDATES,
                ReviewerJobRun.CANDIDATE_KEY,
                uninterrupted.candidates,
                restored.candidates);
        for (List<List<Object>> side :
                List.of(uninterrupted.labels, uninterrupted.onlineUsers, uninterrupted.onlinePaths)) {
            assertThat(side).isNotEmpty();
        }
        assertThat(restored.labels).as("label rows").containsExactlyInAnyOrderElementsOf(uninterrupted.labels);
        assertThat(restored.onlineUsers)
                .as("online (project, user) rows")
                .containsExactlyInAnyOrderElementsOf(uninterrupted.onlineUsers);
        assertThat(restored.onlinePaths)
                .as("online path rows")
                .containsExactlyInAnyOrderElementsOf(uninterrupted.onlinePaths);

        // And the uninterrupted run is right: the naive reference's rows and final online rows.
        NaiveReviewerReference.Result expected = new NaiveReviewerReference(FEATURE_SET).compute(events);
        RowSets.assertSameRows(
                "candidate rows against the naive reference",
                CANDIDATES,
                ReviewerJobRun.CANDIDATE_KEY,
                expected.candidateRows(),
                uninterrupted.candidates);
        RowSets.assertSameRows(
                "label rows against the naive reference",
                FEATURE_SET.labelSchema(),
                ReviewerJobRun.LABEL_KEY,
                expected.labelRows(),
                uninterrupted.labels.stream().map(List::toArray).toList());
        RowSets.assertSameRows(
                "final online (project, user) rows",
                FEATURE_SET.onlineUserSchema(),
                expected.onlineUserRows(),
                ReviewerJobRun.withoutTiles(
                        latest(uninterrupted.onlineUsers, ReviewerFeatureSet.ONLINE_USER_KEY.size()),
                        FEATURE_SET.onlineUserSchema(),
                        FEATURE_SET.onlineUserCountColumns()));
        RowSets.assertSameRows(
                "final online path rows",
                FEATURE_SET.onlinePathSchema(),
                expected.onlinePathRows(),
                ReviewerJobRun.withoutTiles(
                        latest(uninterrupted.onlinePaths, ReviewerFeatureSet.ONLINE_PATH_KEY.size()),
                        FEATURE_SET.onlinePathSchema(),
                        FEATURE_SET.onlinePathCountColumns()));
    }

    @ParameterizedTest(name = "state.user_buckets {0}")
    @ValueSource(ints = {0, 3})
    void theProjectsStateAndTimersAreGoneAfterStateTtlWithoutEvents(int userBuckets) throws Exception {
        try (var harness = harness(userBuckets)) {
            harness.open();
            long opened = T0 + 2 * HOUR;
            for (CloudEvent event : List.of(
                    event(
                            "m1",
                            T0,
                            EventType.MEMBER_ADDED,
                            new MemberData(MEMBER, MemberData.PROJECT, PROJECT, null, 30, null)),
                    event(
                            "p1",
                            T0 + HOUR,
                            EventType.PUSH,
                            new PushData(
                                    PROJECT,
                                    AUTHOR,
                                    "refs/heads/feature",
                                    "feature",
                                    "0000000000000000000000000000000000000000",
                                    "b",
                                    true,
                                    false,
                                    1,
                                    List.of(new CommitData(
                                            "c1", T0 + HOUR, List.of("src/a/A.java"), List.of(), List.of())))),
                    event(
                            "o1",
                            opened,
                            EventType.MERGE_REQUEST_OPENED,
                            new MergeRequestData(
                                    PROJECT, 1001L, 1L, AUTHOR, AUTHOR, "t", null, "opened", PROJECT, "feature", "main",
                                    false, List.of(), null, List.of(), null)))) {
                harness.processElement(ReviewerInputs.from(event));
            }
            harness.processWatermark(opened + LATENESS);

            // Hand-computed: the member is the only candidate (the pusher is the MR's author); the MR's paths
            // come from the push to its source branch: one path, prefixes src and src/a.
            List<Row> rows = harness.candidateRows();
            assertThat(rows).hasSize(1);
            Map<String, Object> expected = new LinkedHashMap<>();
            expected.put("event_id", "o1");
            expected.put("candidate_id", MEMBER);
            expected.put("author_id", AUTHOR);
            expected.put("trigger", ReviewerFeatureSet.TRIGGER_OPENED);
            expected.put("candidate_rank", 1);
            expected.put("changed_path_count", 1);
            expected.put("path_prefix_count", 2);
            expected.put("is_member", true);
            expected.put("access_level", 30);
            expected.put("lookback_activity", 0);
            expected.put("days_since_last_activity", null);
            expected.put("author_tenure_days", 0L);
            Map<String, Object> actual = new LinkedHashMap<>();
            expected.keySet().forEach(column -> actual.put(column, rows.get(0).getField(CANDIDATES.indexOf(column))));
            assertThat(actual).isEqualTo(expected);
            assertThat(harness.projects.numKeyedStateEntries())
                    .as("project state and expiry timer")
                    .isPositive();
            assertThat(harness.projects.numEventTimeTimers())
                    .as("the expiry timer")
                    .isEqualTo(1);
            if (harness.buckets != null) {
                assertThat(harness.buckets.numKeyedStateEntries())
                        .as("the buckets' tiles and expiry timers")
                        .isPositive();
                // One expiry timer per bucket with work: the pusher's path tiles' and the candidate's.
                int bucketsWithWork = (int) harness.projects.extractOutputValues().stream()
                        .map(ReviewerTileWork::key)
                        .distinct()
                        .count();
                assertThat(bucketsWithWork).isBetween(1, 2);
                assertThat(harness.buckets.numEventTimeTimers())
                        .as("the buckets' expiry timers")
                        .isEqualTo(bucketsWithWork);
            }

            // Idle for just under state.ttl: compactions ran (one a day) but the project is still there.
            harness.processWatermark(opened + CONFIG.stateTtlMillis() - 1 + LATENESS);
            assertThat(harness.projects.numKeyedStateEntries()).isPositive();
            assertThat(harness.projects.numEventTimeTimers())
                    .as("the next expiry timer")
                    .isEqualTo(1);

            harness.processWatermark(opened + CONFIG.stateTtlMillis() + LATENESS);
            assertThat(harness.numKeyedStateEntries())
                    .as("keyed state entries after state.ttl")
                    .isZero();
            assertThat(harness.numEventTimeTimers())
                    .as("event-time timers after state.ttl")
                    .isZero();
            assertThat(harness.projects.getSideOutput(LATE)).isNull();
        }
    }

    @ParameterizedTest(name = "state.user_buckets {0}")
    @ValueSource(ints = {0, 3})
    void anEventLaterThanTheAllowedLatenessGoesToTheLateOutput(int userBuckets) throws Exception {
        try (var harness = harness(userBuckets)) {
            harness.open();
            long watermark = T0 + 10 * HOUR;
            harness.processWatermark(watermark);
            ReviewerInput late = ReviewerInputs.from(event(
                    "late-1",
                    watermark - LATENESS,
                    EventType.MEMBER_ADDED,
                    new MemberData(MEMBER, MemberData.PROJECT, PROJECT, null, 30, null)));
            harness.processElement(late);
            harness.processWatermark(Long.MAX_VALUE);

            assertThat(harness.candidateRows()).isEmpty();
            assertThat(harness.projects.getSideOutput(LATE))
                    .extracting(StreamRecord::getValue)
                    .containsExactly(Row.of(
                            "late-1", ReviewerFeatureFunction.STREAM, late.timeMillis, PROJECT, watermark, LATENESS));
            assertThat(harness.projects.getSideOutput(ONLINE_USERS))
                    .as("a late event changes nothing")
                    .isNull();
            assertThat(harness.numKeyedStateEntries())
                    .as("a late event leaves no state")
                    .isZero();
        }
    }

    private static ReviewerStagesHarness harness(int userBuckets) throws Exception {
        return harness(userBuckets, "heap");
    }

    /** @param backend  heap, rocksdb, or "heap per entry" (the heap backend with RocksDB's state layout) */
    private static ReviewerStagesHarness harness(int userBuckets, String backend) throws Exception {
        ReviewerJobConfig config = userBuckets == 0 ? CONFIG : ReviewerTestData.BUCKETS_CONFIG;
        assertThat(config.userBuckets()).isEqualTo(userBuckets);
        assertThat(backend).isIn("heap", "rocksdb", "heap per entry");
        return new ReviewerStagesHarness(
                config,
                CANDIDATE_ROWS,
                LABELS,
                ONLINE_USERS,
                ONLINE_PATHS,
                LATE,
                backend.equals("rocksdb"),
                !backend.equals("heap"));
    }

    private static CloudEvent event(String id, long time, EventType type, EventData data) {
        return new CloudEvent(
                id, "https://gitlab.example.com", type, Instant.ofEpochMilli(time), null, null, null, null, data);
    }

    /** What a harness emitted so far: candidate rows as arrays, side-output rows as value lists. */
    private static final class Outputs {
        final List<Object[]> candidates = new ArrayList<>();
        final List<List<Object>> labels = new ArrayList<>();
        final List<List<Object>> onlineUsers = new ArrayList<>();
        final List<List<Object>> onlinePaths = new ArrayList<>();

        void collect(ReviewerStagesHarness harness) {
            harness.candidateRows().forEach(row -> candidates.add(values(row).toArray()));
            labels.addAll(valueLists(ReviewerStagesHarness.side(harness.projects, LABELS)));
            onlineUsers.addAll(valueLists(ReviewerStagesHarness.side(harness.projects, ONLINE_USERS)));
            onlinePaths.addAll(valueLists(harness.onlinePathRows()));
        }

        private static List<List<Object>> valueLists(List<Row> rows) {
            return rows.stream().map(ReviewerFeatureFunctionHarnessTest::values).toList();
        }
    }

    private static List<Object> values(Row row) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < row.getArity(); i++) {
            values.add(row.getField(i));
        }
        return values;
    }

    /** The last row written per key (the first {@code keyColumns} values): what an upserting online table keeps. */
    private static Map<List<Object>, Object[]> latest(List<List<Object>> rows, int keyColumns) {
        Map<List<Object>, Object[]> latest = new LinkedHashMap<>();
        rows.forEach(row -> latest.put(row.subList(0, keyColumns), row.toArray()));
        return latest;
    }
}
