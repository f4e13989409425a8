package io.eventstream.jobs.reviewers;

import io.eventstream.features.reviewers.ReviewerProjectState;
import io.eventstream.features.windows.SortedLongSet;
import io.eventstream.features.windows.TileSeries;
import io.eventstream.jobs.common.CompactStateSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;

/**
 * The reviewer state of the current key as one {@link ReviewerProjectState} in a {@code ValueState}:
 * the layout of the heap backend. There the value is the stored object, so an event works on the
 * same HashMaps as the plain loop, where the per-entry layout ({@link MapStateReviewerState}) goes
 * through a {@code MapState} access per entry (the backend's table of keys, then the key's map): 8 %
 * more CPU in the keyed task on the standard workload (docs/benchmarks.md). The heap backend
 * snapshots whole values either way and copies a key's value when it is touched while a snapshot is
 * being written, so one value costs checkpoints nothing the per-entry layout saves. On RocksDB it
 * would (de)serialize the whole key per callback: that backend keeps the per-entry layout.
 *
 * <p>The value is read once per callback ({@link #setProject} forgets it, because between callbacks
 * a snapshot may start and the backend then hands out a copy) and stored again by {@link #flush} when
 * the callback changed it, so it does not rely on the heap backend handing out the stored object.
 */
final class ValueReviewerState implements ReviewerKeyedState {
    private static final String STATE_NAME = "reviewer-project-value";

    private final ValueState<ReviewerProjectState> stored;
    /** The current key's value in this callback; null until read. */
    private ReviewerProjectState current;
    /** Whether this callback changed {@link #current} (or may have: an iterator that can remove was handed out). */
    private boolean changed;

    ValueReviewerState(RuntimeContext context) {
        stored = context.getState(new ValueStateDescriptor<>(STATE_NAME, CompactStateSerializer.REVIEWER_PROJECT));
    }

    @Override
    public void setProject(long projectId) {
        current = null;
        changed = false;
    }

    @Override
    public void flush() {
        if (changed) {
            try {
                stored.update(current);
            } catch (IOException e) {
                throw new UncheckedIOException("storing the reviewer state failed", e);
            }
            changed = false;
        }
    }

    private ReviewerProjectState read() {
        if (current == null) {
            try {
                current = stored.value();
            } catch (IOException e) {
                throw new UncheckedIOException("reading the reviewer state failed", e);
            }
            if (current == null) {
                current = new ReviewerProjectState();
            }
        }
        return current;
    }

    private ReviewerProjectState write() {
        ReviewerProjectState state = read();
        changed = true;
        return state;
    }

    @Override
    public Header header() {
        return read().header();
    }

    @Override
    public void putHeader(Header header) {
        write().putHeader(header);
    }

    @Override
    public UserRecord user(long userId) {
        return read().user(userId);
    }

    @Override
    public void putUser(long userId, UserRecord record) {
        write().putUser(userId, record);
    }

    @Override
    public void removeUser(long userId) {
        write().removeUser(userId);
    }

    @Override
    public Iterator<Map.Entry<Long, UserRecord>> users() {
        return write().users();
    }

    @Override
    public Iterator<Map.Entry<Long, UserRecord>> usersToRank() {
        return read().usersToRank();
    }

    @Override
    public MergeRequestRecord mergeRequest(long iid) {
        return read().mergeRequest(iid);
    }

    @Override
    public void putMergeRequest(long iid, MergeRequestRecord record) {
        write().putMergeRequest(iid, record);
    }

    @Override
    public void removeMergeRequest(long iid) {
        write().removeMergeRequest(iid);
    }

    @Override
    public Iterator<Map.Entry<Long, MergeRequestRecord>> mergeRequests() {
        return write().mergeRequests();
    }

    @Override
    public BranchRecord branch(String name) {
        return read().branch(name);
    }

    @Override
    public void putBranch(String name, BranchRecord record) {
        write().putBranch(name, record);
    }

    @Override
    public void removeBranch(String name) {
        write().removeBranch(name);
    }

    @Override
    public Iterator<Map.Entry<String, BranchRecord>> branches() {
        return write().branches();
    }

    @Override
    public SortedLongSet reviewerIndex(long userId) {
        return read().reviewerIndex(userId);
    }

    @Override
    public void putReviewerIndex(long userId, SortedLongSet iids) {
        write().putReviewerIndex(userId, iids);
    }

    @Override
    public void removeReviewerIndex(long userId) {
        write().removeReviewerIndex(userId);
    }

    @Override
    public SortedLongSet branchIndex(String branch) {
        return read().branchIndex(branch);
    }

    @Override
    public void putBranchIndex(String branch, SortedLongSet iids) {
        write().putBranchIndex(branch, iids);
    }

    @Override
    public void removeBranchIndex(String branch) {
        write().removeBranchIndex(branch);
    }

    @Override
    public TileSeries[] tiles(TileGroup group, long key) {
        return read().tiles(group, key);
    }

    @Override
    public void putTiles(TileGroup group, long key, TileSeries[] series) {
        write().putTiles(group, key, series);
    }

    @Override
    public Iterator<Map.Entry<Long, TileSeries[]>> tiles(TileGroup group) {
        return write().tiles(group);
    }

    @Override
    public void clearTiles() {
        write().clearTiles();
    }

    @Override
    public void clear() {
        stored.clear();
        current = new ReviewerProjectState();
        changed = false;
    }
}
