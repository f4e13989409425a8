package io.eventstream.jobs.reviewers;

import io.eventstream.features.windows.SortedLongSet;
import io.eventstream.features.windows.TileSeries;
import io.eventstream.jobs.common.CompactStateSerializer;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.util.FlinkRuntimeException;

/**
 * The reviewer state of the current key (a project) in Flink keyed state, per entry (the layout of
 * the RocksDB backend; the heap backend's is {@link ValueReviewerState}): the header in a
 * {@code ValueState}, and one {@code MapState} each for users, merge requests, branches, the two
 * merge-request indexes and the tiles of each tile group (keyed by user, or by the (user, path),
 * (user, prefix) or (reviewer, author) hash). With RocksDB an event reads and writes only the
 * entries it touches, and incremental checkpoints upload only the changed ones; on the heap the
 * values are the stored objects. Access is for the key Flink has set: use it only inside the
 * keyed function's callbacks, after {@link #setProject} with the same key.
 *
 * <p>The candidate ranking reads every user of the project on every emission: {@link #usersToRank}
 * serves them from a {@link RankedUsersMirror} of this subtask, which every put and removal of a user
 * through this class follows, rebuilt from the users {@code MapState} when missing. Likewise a read
 * of a tile key that is not stored (most of an emission's path, prefix and pair keys) is answered by
 * a {@link TileKeysMirror}, when given one, without a state read.
 */
final class MapStateReviewerState implements ReviewerKeyedState {
    private final ValueState<Header> header;
    private final MapState<Long, UserRecord> users;
    private final MapState<Long, MergeRequestRecord> mergeRequests;
    private final MapState<String, BranchRecord> branches;
    private final MapState<Long, SortedLongSet> reviewerIndex;
    private final MapState<String, SortedLongSet> branchIndex;
    private final Map<TileGroup, MapState<Long, TileSeries[]>> tiles = new EnumMap<>(TileGroup.class);
    private final RankedUsersMirror rankedUsers;
    private final TileKeysMirror tileKeys;
    private long project;

    /** @param tileKeys  the mirror of stored tile keys, or null to read every tile key from state */
    MapStateReviewerState(RuntimeContext context, RankedUsersMirror rankedUsers, TileKeysMirror tileKeys) {
        this.rankedUsers = rankedUsers;
        this.tileKeys = tileKeys;
        header =
                context.getState(new ValueStateDescriptor<>("reviewer-header", CompactStateSerializer.REVIEWER_HEADER));
        users = context.getMapState(new MapStateDescriptor<>(
                "reviewer-users", LongSerializer.INSTANCE, CompactStateSerializer.REVIEWER_USER));
        mergeRequests = context.getMapState(new MapStateDescriptor<>(
                "reviewer-merge-requests", LongSerializer.INSTANCE, CompactStateSerializer.REVIEWER_MERGE_REQUEST));
        branches = context.getMapState(new MapStateDescriptor<>(
                "reviewer-branches", StringSerializer.INSTANCE, CompactStateSerializer.REVIEWER_BRANCH));
        reviewerIndex = context.getMapState(new MapStateDescriptor<>(
                "reviewer-index-by-reviewer", LongSerializer.INSTANCE, CompactStateSerializer.MERGE_REQUEST_IIDS));
        branchIndex = context.getMapState(new MapStateDescriptor<>(
                "reviewer-index-by-branch", StringSerializer.INSTANCE, CompactStateSerializer.MERGE_REQUEST_IIDS));
        for (TileGroup group : TileGroup.values()) {
            tiles.put(
                    group,
                    context.getMapState(new MapStateDescriptor<>(
                            "reviewer-tiles-" + group.name().toLowerCase(java.util.Locale.ROOT),
                            LongSerializer.INSTANCE,
                            CompactStateSerializer.REVIEWER_TILES)));
        }
    }

    /** Sets the project Flink has set as the current key: the mirrors are per project. */
    @Override
    public void setProject(long projectId) {
        project = projectId;
    }

    /** Nothing to do: every change was written to its entry when made. */
    @Override
    public void flush() {}

    /** A state operation; Flink's state calls declare {@code Exception}. */
    private interface Access<T> {
        T run() throws Exception;
    }

    private interface Update {
        void run() throws Exception;
    }

    private static <T> T read(Access<T> access) {
        try {
            return access.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new FlinkRuntimeException("reviewer state access failed", e);
        }
    }

    private static void write(Update update) {
        read(() -> {
            update.run();
            return null;
        });
    }

    @Override
    public Header header() {
        Header value = read(header::value);
        return value == null ? new Header() : value;
    }

    @Override
    public void putHeader(Header value) {
        write(() -> header.update(value));
    }

    @Override
    public UserRecord user(long userId) {
        return read(() -> users.get(userId));
    }

    @Override
    public void putUser(long userId, UserRecord record) {
        write(() -> users.put(userId, record));
        rankedUsers.putUser(project, userId, record);
    }

    @Override
    public void removeUser(long userId) {
        write(() -> users.remove(userId));
        rankedUsers.removeUser(project, userId);
    }

    @Override
    public Iterator<Map.Entry<Long, UserRecord>> users() {
        // The iteration may change or remove any user (expiry, a new tile layout: at most daily), and the
        // mirror does not follow changes made through the iterator: it is rebuilt at the next ranking.
        rankedUsers.forget(project);
        return read(users::iterator);
    }

    @Override
    public Iterator<Map.Entry<Long, UserRecord>> usersToRank() {
        Map<Long, UserRecord> mirrored = rankedUsers.users(project);
        if (mirrored == null) {
            mirrored = new HashMap<>();
            // Copies: on the heap backend the entries are the stored objects, which a checkpoint being written
            // may share; the mirror's records must never be those (as putUser, which stores a copy).
            for (Map.Entry<Long, UserRecord> entry : read(users::entries)) {
                mirrored.put(entry.getKey(), entry.getValue().copy());
            }
            rankedUsers.mirror(project, mirrored);
        }
        return Collections.unmodifiableMap(mirrored).entrySet().iterator();
    }

    @Override
    public MergeRequestRecord mergeRequest(long iid) {
        return read(() -> mergeRequests.get(iid));
    }

    @Override
    public void putMergeRequest(long iid, MergeRequestRecord record) {
        write(() -> mergeRequests.put(iid, record));
    }

    @Override
    public void removeMergeRequest(long iid) {
        write(() -> mergeRequests.remove(iid));
    }

    @Override
    public Iterator<Map.Entry<Long, MergeRequestRecord>> mergeRequests() {
        return read(mergeRequests::iterator);
    }

    @Override
    public BranchRecord branch(String name) {
        return read(() -> branches.get(name));
    }

    @Override
    public void putBranch(String name, BranchRecord record) {
        write(() -> branches.put(name, record));
    }

    @Override
    public void removeBranch(String name) {
        write(() -> branches.remove(name));
    }

    @Override
    public Iterator<Map.Entry<String, BranchRecord>> branches() {
        return read(branches::iterator);
    }

    @Override
    public SortedLongSet reviewerIndex(long userId) {
        return read(() -> reviewerIndex.get(userId));
    }

    @Override
    public void putReviewerIndex(long userId, SortedLongSet iids) {
        write(() -> reviewerIndex.put(userId, iids));
    }

    @Override
    public void removeReviewerIndex(long userId) {
        write(() -> reviewerIndex.remove(userId));
    }

    @Override
    public SortedLongSet branchIndex(String branch) {
        return read(() -> branchIndex.get(branch));
    }

    @Override
    public void putBranchIndex(String branch, SortedLongSet iids) {
        write(() -> branchIndex.put(branch, iids));
    }

    @Override
    public void removeBranchIndex(String branch) {
        write(() -> branchIndex.remove(branch));
    }

    @Override
    public TileSeries[] tiles(TileGroup group, long key) {
        LongOpenHashSet stored = storedTileKeys(group);
        if (stored != null && !stored.contains(key)) {
            return null;
        }
        return read(() -> tiles.get(group).get(key));
    }

    @Override
    public void putTiles(TileGroup group, long key, TileSeries[] series) {
        write(() -> tiles.get(group).put(key, series));
        if (tileKeys != null) {
            tileKeys.added(project, group, key);
        }
    }

    /** The group's entries; a removal through the iterator (expiry) is followed by the mirror of tile keys. */
    @Override
    public Iterator<Map.Entry<Long, TileSeries[]>> tiles(TileGroup group) {
        Iterator<Map.Entry<Long, TileSeries[]>> stored = read(tiles.get(group)::iterator);
        if (tileKeys == null) {
            return stored;
        }
        return new Iterator<>() {
            private long current;

            @Override
            public boolean hasNext() {
                return stored.hasNext();
            }

            @Override
            public Map.Entry<Long, TileSeries[]> next() {
                Map.Entry<Long, TileSeries[]> entry = stored.next();
                current = entry.getKey();
                return entry;
            }

            @Override
            public void remove() {
                stored.remove();
                tileKeys.removed(project, group, current);
            }
        };
    }

    @Override
    public void clearTiles() {
        tiles.values().forEach(State::clear);
        if (tileKeys != null) {
            tileKeys.clear(project);
        }
    }

    /**
     * The stored keys of the group from the mirror, which reads them from state when it lacks them;
     * null without a mirror, for a group it does not mirror, or for one with too many keys to mirror.
     */
    private LongOpenHashSet storedTileKeys(TileGroup group) {
        if (tileKeys == null || !TileKeysMirror.mirrors(group)) {
            return null;
        }
        LongOpenHashSet keys = tileKeys.keys(project, group);
        if (keys != null || tileKeys.tooLarge(project, group)) {
            return keys;
        }
        keys = new LongOpenHashSet();
        for (Long key : read(tiles.get(group)::keys)) {
            keys.add(key.longValue());
            if (keys.size() > tileKeys.maxKeys()) {
                tileKeys.markTooLarge(project, group);
                return null;
            }
        }
        tileKeys.mirror(project, group, keys);
        return keys;
    }

    @Override
    public void clear() {
        header.clear();
        users.clear();
        rankedUsers.forget(project);
        mergeRequests.clear();
        branches.clear();
        reviewerIndex.clear();
        branchIndex.clear();
        clearTiles();
    }
}
