package io.eventstream.features.reviewers;

import io.eventstream.features.windows.SortedLongSet;
import io.eventstream.features.windows.TileSeries;
import io.eventstream.features.windows.Varints;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One project's reviewer state as {@link ReviewerFeatureEngine} reads and writes it (or, split, the
 * project's part or one user bucket's tiles: {@link ReviewerFeatureEngine#applyProject}): a small header,
 * and maps of user records, merge-request records, branch records, two indexes of merge requests
 * (by reviewer, by source branch) and, per tile group, the tile series of each key. The engine
 * reads only the entries an event touches (plus every user when it ranks candidates, through
 * {@link #usersToRank}, and everything
 * in {@link ReviewerFeatureEngine#expire}), so a store backed by per-entry state (Flink's
 * {@code MapState}, on RocksDB) never (de)serializes the whole project per event.
 *
 * <p>Values handed out may be the stored objects (in memory) or copies (serialized stores): the
 * engine writes back every value it changed with a put, or through {@link Map.Entry#setValue} while
 * iterating, and never relies on a change being visible without one. Iterators support
 * {@link Iterator#remove}. {@link ReviewerProjectState} keeps everything in HashMaps (the plain loop,
 * tests, serving, and the Flink job on the heap backend); on RocksDB the Flink job keeps it in
 * {@code MapState}s.
 */
public interface ReviewerState {
    long NONE = Long.MIN_VALUE;
    int NO_ACCESS_LEVEL = -1;

    /** The tile groups: per user; per (user, path); per (user, path prefix); per (reviewer, author). */
    enum TileGroup {
        USER,
        PATH,
        PREFIX,
        PAIR
    }

    /** The header; a fresh {@link Header} (no event yet) when the project has no state. */
    Header header();

    void putHeader(Header header);

    UserRecord user(long userId);

    void putUser(long userId, UserRecord record);

    void removeUser(long userId);

    Iterator<Map.Entry<Long, UserRecord>> users();

    /**
     * Every user record, like {@link #users()} but for reading only: what the candidate ranking scans on
     * every emission. A store that keeps users serialized may serve it from memory (see
     * {@code MapStateReviewerState}), so that the scan, the hot spot of a busy project, costs no state
     * access per user. The records are read-only: they may be shared with the store, or with a copy
     * of it being written (Flink's heap backend copies an entry when it is read or written during a
     * checkpoint, not the references a cache holds to it), so a change made to one could reach a
     * checkpoint taken before the event that made it. To change a user, read it with {@link #user}.
     */
    Iterator<Map.Entry<Long, UserRecord>> usersToRank();

    MergeRequestRecord mergeRequest(long iid);

    void putMergeRequest(long iid, MergeRequestRecord record);

    void removeMergeRequest(long iid);

    Iterator<Map.Entry<Long, MergeRequestRecord>> mergeRequests();

    BranchRecord branch(String name);

    void putBranch(String name, BranchRecord record);

    void removeBranch(String name);

    Iterator<Map.Entry<String, BranchRecord>> branches();

    /** The iids of the merge requests listing {@code userId} as a reviewer; null when none. */
    SortedLongSet reviewerIndex(long userId);

    /** Stores {@code iids} as the reviewer's index entry (the engine removes an entry rather than store it empty). */
    void putReviewerIndex(long userId, SortedLongSet iids);

    void removeReviewerIndex(long userId);

    /** The iids of the merge requests that join pushes to {@code branch}; null when none. */
    SortedLongSet branchIndex(String branch);

    /** Stores {@code iids} as the branch's index entry (the engine removes an entry rather than store it empty). */
    void putBranchIndex(String branch, SortedLongSet iids);

    void removeBranchIndex(String branch);

    /** The tile series of {@code key} in {@code group}, one per tile structure of the group; null when none. */
    TileSeries[] tiles(TileGroup group, long key);

    void putTiles(TileGroup group, long key, TileSeries[] series);

    Iterator<Map.Entry<Long, TileSeries[]>> tiles(TileGroup group);

    /** Removes every tile of every group (a new tile layout). */
    void clearTiles();

    /** Forgets everything (what a TTL expiry does). */
    void clear();

    // ---------------------------------------------------------------- values

    /** The project-wide part of the state. */
    final class Header {
        /** The engine layout the tiles were built for; 0 before the first event. */
        long layout;

        long lastEventTime = NONE;
        /** The watermark of the last {@link ReviewerFeatureEngine#expire}; NONE before the first. */
        long compactedAt = NONE;
        /**
         * Per tile group (by ordinal), at most the start of the oldest stored tile ({@link Long#MAX_VALUE}
         * when none): while nothing is older than what an expiry keeps, the expiry need not visit the
         * group's entries (a daily pass over every tile entry of a year, and at the end of a bounded input
         * one pass per day until state.ttl).
         */
        final long[] oldestTileTimes = new long[TileGroup.values().length];

        public Header() {
            Arrays.fill(oldestTileTimes, Long.MAX_VALUE);
        }

        public Header copy() {
            Header copy = new Header();
            copy.layout = layout;
            copy.lastEventTime = lastEventTime;
            copy.compactedAt = compactedAt;
            System.arraycopy(oldestTileTimes, 0, copy.oldestTileTimes, 0, oldestTileTimes.length);
            return copy;
        }

        /** Whether no event was applied since creation or the last clear. */
        public boolean isEmpty() {
            return lastEventTime == NONE;
        }

        public void write(DataOutput out) throws IOException {
            out.writeLong(layout);
            out.writeLong(lastEventTime);
            out.writeLong(compactedAt);
            for (long oldest : oldestTileTimes) {
                out.writeLong(oldest);
            }
        }

        public static Header read(DataInput in) throws IOException {
            Header header = new Header();
            header.layout = in.readLong();
            header.lastEventTime = in.readLong();
            header.compactedAt = in.readLong();
            for (int i = 0; i < header.oldestTileTimes.length; i++) {
                header.oldestTileTimes[i] = in.readLong();
            }
            return header;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Header h
                    && layout == h.layout
                    && lastEventTime == h.lastEventTime
                    && compactedAt == h.compactedAt
                    && Arrays.equals(oldestTileTimes, h.oldestTileTimes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(layout, lastEventTime, compactedAt);
        }
    }

    /** A user as the project knows them. */
    final class UserRecord {
        long firstSeen;
        long lastTouch;
        long lastActivity = NONE;
        boolean member;
        int accessLevel = NO_ACCESS_LEVEL;
        // A cache of the user's lookback activity sum at one lookback tile, derived from the tiles: stored with the
        // record (so a serialized store keeps it between events) but not part of its value (not compared).
        // Dropped when the user has new activity.
        long lookbackTile = NONE;
        long lookbackSum;

        public UserRecord copy() {
            UserRecord copy = new UserRecord();
            copy.firstSeen = firstSeen;
            copy.lastTouch = lastTouch;
            copy.lastActivity = lastActivity;
            copy.member = member;
            copy.accessLevel = accessLevel;
            copy.lookbackTile = lookbackTile;
            copy.lookbackSum = lookbackSum;
            return copy;
        }

        public void write(DataOutput out) throws IOException {
            Varints.writeSigned(out, firstSeen);
            Varints.writeSigned(out, lastTouch - firstSeen);
            out.writeBoolean(lastActivity != NONE);
            if (lastActivity != NONE) {
                Varints.writeSigned(out, lastActivity - firstSeen);
            }
            out.writeBoolean(member);
            Varints.writeSigned(out, accessLevel);
            out.writeBoolean(lookbackTile != NONE);
            if (lookbackTile != NONE) {
                Varints.writeSigned(out, lookbackTile);
                Varints.writeSigned(out, lookbackSum);
            }
        }

        public static UserRecord read(DataInput in) throws IOException {
            UserRecord u = new UserRecord();
            u.firstSeen = Varints.readSigned(in);
            u.lastTouch = u.firstSeen + Varints.readSigned(in);
            u.lastActivity = in.readBoolean() ? u.firstSeen + Varints.readSigned(in) : NONE;
            u.member = in.readBoolean();
            u.accessLevel = (int) Varints.readSigned(in);
            if (in.readBoolean()) {
                u.lookbackTile = Varints.readSigned(in);
                u.lookbackSum = Varints.readSigned(in);
            }
            return u;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UserRecord u
                    && firstSeen == u.firstSeen
                    && lastTouch == u.lastTouch
                    && lastActivity == u.lastActivity
                    && member == u.member
                    && accessLevel == u.accessLevel;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(firstSeen) * 31 + Long.hashCode(lastTouch);
        }
    }

    /** A merge request still relevant to features (open, in its grace period after merge/close). */
    final class MergeRequestRecord {
        long mrId;
        /** NONE when unknown. */
        long authorId = NONE;

        String sourceBranch;
        boolean joinsBranch;
        final SortedLongSet reviewers = new SortedLongSet();
        final SortedLongSet approvers = new SortedLongSet();
        final SortedLongSet reviewed = new SortedLongSet();
        final TreeSet<String> paths = new TreeSet<>();
        boolean truncated;
        boolean opened;
        long closedAt = NONE;
        long lastTouch;

        boolean isOpen() {
            return closedAt == NONE;
        }

        public MergeRequestRecord copy() {
            MergeRequestRecord copy = new MergeRequestRecord();
            copy.mrId = mrId;
            copy.authorId = authorId;
            copy.sourceBranch = sourceBranch;
            copy.joinsBranch = joinsBranch;
            copy.reviewers.addAll(reviewers);
            copy.approvers.addAll(approvers);
            copy.reviewed.addAll(reviewed);
            copy.paths.addAll(paths);
            copy.truncated = truncated;
            copy.opened = opened;
            copy.closedAt = closedAt;
            copy.lastTouch = lastTouch;
            return copy;
        }

        public void write(DataOutput out) throws IOException {
            Varints.writeSigned(out, mrId);
            out.writeLong(authorId);
            out.writeBoolean(sourceBranch != null);
            if (sourceBranch != null) {
                out.writeUTF(sourceBranch);
            }
            out.writeBoolean(joinsBranch);
            reviewers.write(out);
            approvers.write(out);
            reviewed.write(out);
            writePaths(out, paths);
            out.writeBoolean(truncated);
            out.writeBoolean(opened);
            out.writeLong(closedAt);
            out.writeLong(lastTouch);
        }

        public static MergeRequestRecord read(DataInput in) throws IOException {
            MergeRequestRecord m = new MergeRequestRecord();
            m.mrId = Varints.readSigned(in);
            m.authorId = in.readLong();
            m.sourceBranch = in.readBoolean() ? in.readUTF() : null;
            m.joinsBranch = in.readBoolean();
            m.reviewers.addAll(SortedLongSet.read(in));
            m.approvers.addAll(SortedLongSet.read(in));
            m.reviewed.addAll(SortedLongSet.read(in));
            readPaths(in, m.paths);
            m.truncated = in.readBoolean();
            m.opened = in.readBoolean();
            m.closedAt = in.readLong();
            m.lastTouch = in.readLong();
            return m;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MergeRequestRecord m
                    && mrId == m.mrId
                    && authorId == m.authorId
                    && Objects.equals(sourceBranch, m.sourceBranch)
                    && joinsBranch == m.joinsBranch
                    && reviewers.equals(m.reviewers)
                    && approvers.equals(m.approvers)
                    && reviewed.equals(m.reviewed)
                    && paths.equals(m.paths)
                    && truncated == m.truncated
                    && opened == m.opened
                    && closedAt == m.closedAt
                    && lastTouch == m.lastTouch;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(mrId) * 31 + paths.size();
        }
    }

    /** A branch of the project: the paths pushed to it since it was (last) created. */
    final class BranchRecord {
        final TreeSet<String> paths = new TreeSet<>();
        boolean truncated;
        long lastPush;

        public BranchRecord copy() {
            BranchRecord copy = new BranchRecord();
            copy.paths.addAll(paths);
            copy.truncated = truncated;
            copy.lastPush = lastPush;
            return copy;
        }

        public void write(DataOutput out) throws IOException {
            writePaths(out, paths);
            out.writeBoolean(truncated);
            out.writeLong(lastPush);
        }

        public static BranchRecord read(DataInput in) throws IOException {
            BranchRecord b = new BranchRecord();
            readPaths(in, b.paths);
            b.truncated = in.readBoolean();
            b.lastPush = in.readLong();
            return b;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BranchRecord b
                    && paths.equals(b.paths)
                    && truncated == b.truncated
                    && lastPush == b.lastPush;
        }

        @Override
        public int hashCode() {
            return paths.hashCode();
        }
    }

    // ---------------------------------------------------------------- moving a state between stores

    /**
     * Copies every entry of {@code from} into {@code into} (which should be empty), nothing mutable
     * shared: how a key's state moves between two stores (the Flink job's two layouts). The indexes are
     * rebuilt from the merge requests, as {@link ReviewerProjectState} derives them.
     */
    static void copy(ReviewerState from, ReviewerState into) {
        into.putHeader(from.header().copy());
        for (Iterator<Map.Entry<Long, UserRecord>> it = from.users(); it.hasNext(); ) {
            Map.Entry<Long, UserRecord> e = it.next();
            into.putUser(e.getKey(), e.getValue().copy());
        }
        for (Iterator<Map.Entry<Long, MergeRequestRecord>> it = from.mergeRequests(); it.hasNext(); ) {
            Map.Entry<Long, MergeRequestRecord> e = it.next();
            into.putMergeRequest(e.getKey(), e.getValue().copy());
        }
        for (Iterator<Map.Entry<String, BranchRecord>> it = from.branches(); it.hasNext(); ) {
            Map.Entry<String, BranchRecord> e = it.next();
            into.putBranch(e.getKey(), e.getValue().copy());
        }
        for (TileGroup group : TileGroup.values()) {
            for (Iterator<Map.Entry<Long, TileSeries[]>> it = from.tiles(group); it.hasNext(); ) {
                Map.Entry<Long, TileSeries[]> e = it.next();
                into.putTiles(group, e.getKey(), copyTiles(e.getValue()));
            }
        }
        index(from.mergeRequests(), into);
    }

    /** Stores both indexes of {@code mergeRequests} in {@code into}: per reviewer and per joined branch, the iids. */
    static void index(Iterator<Map.Entry<Long, MergeRequestRecord>> mergeRequests, ReviewerState into) {
        Map<Long, SortedLongSet> byReviewer = new HashMap<>();
        Map<String, SortedLongSet> byBranch = new HashMap<>();
        while (mergeRequests.hasNext()) {
            Map.Entry<Long, MergeRequestRecord> e = mergeRequests.next();
            MergeRequestRecord m = e.getValue();
            for (int i = 0; i < m.reviewers.size(); i++) {
                byReviewer
                        .computeIfAbsent(m.reviewers.get(i), user -> new SortedLongSet())
                        .add(e.getKey());
            }
            if (m.joinsBranch) {
                byBranch.computeIfAbsent(m.sourceBranch, b -> new SortedLongSet())
                        .add(e.getKey());
            }
        }
        byReviewer.forEach(into::putReviewerIndex);
        byBranch.forEach(into::putBranchIndex);
    }

    // ---------------------------------------------------------------- encodings shared by the stores

    /** Per series: its stride and horizon, then its entries ({@link TileSeries#write}). */
    static void writeTiles(DataOutput out, TileSeries[] series) throws IOException {
        Varints.writeUnsigned(out, series.length);
        for (TileSeries s : series) {
            Varints.writeUnsigned(out, s.stride());
            Varints.writeUnsigned(out, s.horizonTiles());
            s.write(out, 0);
        }
    }

    static TileSeries[] readTiles(DataInput in) throws IOException {
        TileSeries[] series = new TileSeries[Varints.readLength(in, 1 << 10)];
        for (int i = 0; i < series.length; i++) {
            int stride = Varints.readLength(in, 1 << 10);
            long horizon = Varints.readUnsigned(in);
            if (stride == 0) {
                throw new IOException("corrupt tile series: stride 0");
            }
            int maxEntries = (int) Math.min(1 << 24, horizon + 1);
            series[i] = TileSeries.read(in, stride, horizon, 0, maxEntries, true);
        }
        return series;
    }

    static TileSeries[] copyTiles(TileSeries[] series) {
        TileSeries[] copy = new TileSeries[series.length];
        for (int i = 0; i < series.length; i++) {
            copy[i] = series[i].copy();
        }
        return copy;
    }

    static boolean sameTiles(TileSeries[] a, TileSeries[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!a[i].sameEntries(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** Sorted paths with the shared leading characters of the previous path elided (front coding). */
    private static void writePaths(DataOutput out, TreeSet<String> paths) throws IOException {
        Varints.writeUnsigned(out, paths.size());
        String previous = "";
        for (String path : paths) {
            int shared = 0;
            int max = Math.min(previous.length(), path.length());
            while (shared < max && previous.charAt(shared) == path.charAt(shared)) {
                shared++;
            }
            Varints.writeUnsigned(out, shared);
            out.writeUTF(path.substring(shared));
            previous = path;
        }
    }

    private static void readPaths(DataInput in, TreeSet<String> into) throws IOException {
        int size = Varints.readLength(in, 1 << 24);
        String previous = "";
        List<String> paths = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int shared = Varints.readLength(in, previous.length());
            String path = previous.substring(0, shared) + in.readUTF();
            paths.add(path);
            previous = path;
        }
        into.addAll(paths);
    }
}
