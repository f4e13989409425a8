package io.eventstream.jobs.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.reviewers.ReviewerState.TileGroup;
import io.eventstream.features.reviewers.ReviewerState.UserRecord;
import io.eventstream.features.windows.TileSeries;
import io.eventstream.features.windows.Varints;
import io.eventstream.jobs.common.CompactStateSerializer;
import io.eventstream.jobs.testing.OperatorHarnesses;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link MapStateReviewerState#usersToRank}, served from the {@link RankedUsersMirror}, always holds
 * the records of the users {@code MapState}: after puts and removals (of mirrored projects and of
 * evicted ones), removals through {@link MapStateReviewerState#users()} (expiry), a clear, and a
 * snapshot and restore (the mirror is not state: the restored subtask rebuilds it). Likewise every
 * tile read through the {@link TileKeysMirror} returns what the tiles {@code MapState} holds. The
 * mirrors hold at most three records or keys here, so projects are evicted and groups found too large.
 */
class MapStateReviewerStateTest {
    private static final long MAX_MIRRORED = 3;

    @ParameterizedTest(name = "rocksdb {0}")
    @ValueSource(booleans = {false, true})
    void theUsersToRankAreTheStoredUsersThroughChangesEvictionAndRestore(boolean rocksDb) throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(rocksDb)) {
            harness.open();
            run(harness, "1 put 7 100", "1 put 8 100", "1 rank");
            // Project 2 ranked: with 4 records mirrored, project 1 is evicted.
            run(harness, "2 put 9 100", "2 put 10 100", "2 rank");
            // Changes of project 1 while not mirrored; its next ranking rebuilds it from state.
            run(harness, "1 put 7 200", "1 remove 8", "1 rank");
            // Changes followed by the mirror: a new user (project 2 evicted) and a changed one.
            run(harness, "1 put 11 100", "1 put 7 300", "1 rank");
            // An expiry removes user 7 through the iterator.
            run(harness, "1 expire-below 10", "1 rank");
            assertThat(harness.extractOutputValues())
                    .containsExactly(
                            "1 [7, 8] as stored, 2 mirrored",
                            "2 [9, 10] as stored, 2 mirrored",
                            "1 [7] as stored, 3 mirrored",
                            "1 [7, 11] as stored, 2 mirrored",
                            "1 [11] as stored, 1 mirrored");
            snapshot = harness.snapshot(1L, 1L);
        }
        try (var restored = OperatorHarnesses.restored(harness(rocksDb), snapshot)) {
            run(restored, "1 rank", "2 rank", "2 clear", "2 rank", "2 put 12 100", "2 rank");
            assertThat(restored.extractOutputValues())
                    .containsExactly(
                            "1 [11] as stored, 1 mirrored",
                            "2 [9, 10] as stored, 3 mirrored",
                            "2 [] as stored, 1 mirrored",
                            "2 [12] as stored, 2 mirrored");
        }
    }

    @ParameterizedTest(name = "rocksdb {0}")
    @ValueSource(booleans = {false, true})
    void everyTileReadReturnsTheStoredTilesThroughChangesEvictionExpiryAndRestore(boolean rocksDb) throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(rocksDb, new TileOperations())) {
            harness.open();
            // The first read mirrors project 1's path keys; a put is followed.
            run(harness, "1 put PATH 10", "1 read PATH 10 11", "1 put PATH 11", "1 read PATH 10 11 12");
            // Project 2's prefix keys mirrored: at 4 keys, project 1 (used less lately) is evicted, then rebuilt.
            run(harness, "2 put PREFIX 20", "1 put PATH 12", "2 read PREFIX 20 21", "1 read PATH 10 11 12 13");
            // A fourth key makes project 1's path group too large to mirror: it is then read from state.
            run(harness, "1 put PATH 13", "1 read PATH 10 11 12 13 14");
            // The expiry removes keys through the iterator; a clear resets the too-large mark.
            run(harness, "2 put PREFIX 21", "2 read PREFIX 20 21", "2 expire-below PREFIX 21", "2 read PREFIX 20 21");
            run(harness, "1 clear", "1 read PATH 10 11", "1 put PATH 11", "1 read PATH 10 11");
            // The user group is never mirrored.
            run(harness, "3 put USER 30", "3 read USER 30 31");
            assertThat(harness.extractOutputValues())
                    .containsExactly(
                            "1 PATH [10] as stored, 1 mirrored",
                            "1 PATH [10, 11] as stored, 2 mirrored",
                            "2 PREFIX [20] as stored, 1 mirrored",
                            "1 PATH [10, 11, 12] as stored, 3 mirrored",
                            "1 PATH [10, 11, 12, 13] as stored, 0 mirrored",
                            "2 PREFIX [20, 21] as stored, 2 mirrored",
                            "2 PREFIX [21] as stored, 1 mirrored",
                            "1 PATH [] as stored, 1 mirrored",
                            "1 PATH [11] as stored, 2 mirrored",
                            "3 USER [30] as stored, 2 mirrored");
            snapshot = harness.snapshot(1L, 1L);
        }
        try (var restored = OperatorHarnesses.restored(harness(rocksDb, new TileOperations()), snapshot)) {
            run(restored, "2 read PREFIX 20 21", "1 read PATH 10 11", "1 put PATH 10", "1 read PATH 10 11");
            assertThat(restored.extractOutputValues())
                    .containsExactly(
                            "2 PREFIX [21] as stored, 1 mirrored",
                            "1 PATH [11] as stored, 2 mirrored",
                            "1 PATH [10, 11] as stored, 3 mirrored");
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, String, String> harness(boolean rocksDb)
            throws Exception {
        return harness(rocksDb, new UserOperations());
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, String, String> harness(
            boolean rocksDb, KeyedProcessFunction<Long, String, String> operations) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(operations), command -> Long.parseLong(command.split(" ")[0]), Types.LONG);
        if (rocksDb) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return harness;
    }

    private static void run(KeyedOneInputStreamOperatorTestHarness<Long, String, String> harness, String... commands)
            throws Exception {
        for (String command : commands) {
            harness.processElement(command, 0L);
        }
    }

    /**
     * Applies "project put user firstSeen", "project remove user", "project expire-below user",
     * "project clear" to a {@link MapStateReviewerState}; "project rank" emits the users to rank, whether
     * they equal the users {@code MapState} read directly, and the number of records mirrored.
     */
    private static final class UserOperations extends KeyedProcessFunction<Long, String, String> {
        private static final long serialVersionUID = 1L;

        private transient RankedUsersMirror mirror;
        private transient MapStateReviewerState state;
        private transient MapState<Long, UserRecord> storedUsers;

        @Override
        public void open(OpenContext openContext) {
            mirror = new RankedUsersMirror(MAX_MIRRORED);
            state = new MapStateReviewerState(getRuntimeContext(), mirror, new TileKeysMirror(MAX_MIRRORED));
            storedUsers = getRuntimeContext()
                    .getMapState(new MapStateDescriptor<>(
                            "reviewer-users", LongSerializer.INSTANCE, CompactStateSerializer.REVIEWER_USER));
        }

        @Override
        public void processElement(String command, Context ctx, Collector<String> out) throws Exception {
            state.setProject(ctx.getCurrentKey());
            List<String> words = List.of(command.split(" "));
            switch (words.get(1)) {
                case "put" ->
                    state.putUser(Long.parseLong(words.get(2)), userFirstSeenAt(Long.parseLong(words.get(3))));
                case "remove" -> state.removeUser(Long.parseLong(words.get(2)));
                case "expire-below" -> {
                    for (Iterator<Map.Entry<Long, UserRecord>> it = state.users(); it.hasNext(); ) {
                        if (it.next().getKey() < Long.parseLong(words.get(2))) {
                            it.remove();
                        }
                    }
                }
                case "clear" -> state.clear();
                case "rank" -> {
                    Map<Long, UserRecord> ranked = new TreeMap<>();
                    state.usersToRank().forEachRemaining(e -> ranked.put(e.getKey(), e.getValue()));
                    Map<Long, UserRecord> stored = new TreeMap<>();
                    storedUsers.entries().forEach(e -> stored.put(e.getKey(), e.getValue()));
                    out.collect(ctx.getCurrentKey() + " " + ranked.keySet()
                            + (ranked.equals(stored) ? " as stored, " : " but stored " + stored.keySet() + ", ")
                            + mirror.size() + " mirrored");
                }
                default -> throw new IllegalArgumentException(command);
            }
        }
    }

    /**
     * Applies "project put GROUP key", "project expire-below GROUP key" and "project clear" to a
     * {@link MapStateReviewerState}; "project read GROUP key..." reads the keys through it and emits the
     * keys found, whether each read equals the tiles {@code MapState} read directly, and the number of
     * keys mirrored.
     */
    private static final class TileOperations extends KeyedProcessFunction<Long, String, String> {
        private static final long serialVersionUID = 1L;

        private transient TileKeysMirror mirror;
        private transient MapStateReviewerState state;
        private transient Map<TileGroup, MapState<Long, TileSeries[]>> storedTiles;

        @Override
        public void open(OpenContext openContext) {
            mirror = new TileKeysMirror(MAX_MIRRORED);
            state = new MapStateReviewerState(getRuntimeContext(), new RankedUsersMirror(MAX_MIRRORED), mirror);
            storedTiles = new EnumMap<>(TileGroup.class);
            for (TileGroup group : TileGroup.values()) {
                storedTiles.put(
                        group,
                        getRuntimeContext()
                                .getMapState(new MapStateDescriptor<>(
                                        "reviewer-tiles-" + group.name().toLowerCase(Locale.ROOT),
                                        LongSerializer.INSTANCE,
                                        CompactStateSerializer.REVIEWER_TILES)));
            }
        }

        @Override
        public void processElement(String command, Context ctx, Collector<String> out) throws Exception {
            state.setProject(ctx.getCurrentKey());
            List<String> words = List.of(command.split(" "));
            if (words.get(1).equals("clear")) {
                state.clear();
                return;
            }
            TileGroup group = TileGroup.valueOf(words.get(2));
            switch (words.get(1)) {
                case "put" -> state.putTiles(group, Long.parseLong(words.get(3)), tilesWithOneCount());
                case "expire-below" -> {
                    for (Iterator<Map.Entry<Long, TileSeries[]>> it = state.tiles(group); it.hasNext(); ) {
                        if (it.next().getKey() < Long.parseLong(words.get(3))) {
                            it.remove();
                        }
                    }
                }
                case "read" -> {
                    List<Long> found = new ArrayList<>();
                    boolean asStored = true;
                    for (String word : words.subList(3, words.size())) {
                        long key = Long.parseLong(word);
                        TileSeries[] read = state.tiles(group, key);
                        TileSeries[] stored = storedTiles.get(group).get(key);
                        asStored &=
                                (read == null) == (stored == null) && (read == null || read[0].sameEntries(stored[0]));
                        if (read != null) {
                            found.add(key);
                        }
                    }
                    out.collect(ctx.getCurrentKey() + " " + group + " " + found
                            + (asStored ? " as stored, " : " NOT as stored, ") + mirror.size() + " mirrored");
                }
                default -> throw new IllegalArgumentException(command);
            }
        }

        private static TileSeries[] tilesWithOneCount() {
            TileSeries series = new TileSeries(1, 10);
            series.add(series.entryFor(1), 0, 1);
            return new TileSeries[] {series};
        }
    }

    /** A user record first (and last) seen at {@code time}, not a member, through its encoding. */
    private static UserRecord userFirstSeenAt(long time) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        Varints.writeSigned(out, time); // first seen
        Varints.writeSigned(out, 0); // last touch - first seen
        out.writeBoolean(false); // no activity
        out.writeBoolean(false); // not a member
        Varints.writeSigned(out, -1); // no access level
        out.writeBoolean(false); // no lookback sum cached
        return UserRecord.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }
}
