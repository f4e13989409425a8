package io.eventstream.features.reviewers;

import io.eventstream.features.windows.KeyedTiledCounts;
import io.eventstream.features.windows.SortedLongSet;
import io.eventstream.features.windows.Varints;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything one project's reviewer features need, in one value: per-user records (membership,
 * access level, first seen, last activity), the merge requests still relevant (reviewers,
 * approvers, who reviewed, changed paths, open or merged/closed), the branches with their paths
 * since creation, and all window tiles (per user; per (user, path); per (user, path prefix); per
 * (reviewer, author) pair).
 *
 * <p>Serializes itself ({@link #write}/{@link #read}, versioned, keys in sorted order so equal states
 * give equal bytes) so Flink never falls back to Kryo; the lead wraps it in a {@code TypeSerializer}.
 * The tile layout is created by {@link ReviewerFeatureEngine} on first use; a state restored under a
 * different window configuration keeps its records and restarts its tiles empty.
 */
public final class ReviewerProjectState {
    static final long NONE = Long.MIN_VALUE;
    static final int NO_ACCESS_LEVEL = -1;
    private static final int FORMAT_VERSION = 1;
    private static final KeyedTiledCounts[] NO_TILES = new KeyedTiledCounts[0];

    /** The engine layout the tiles were built for; 0 before the first event. */
    long layout;
    long lastEventTime = NONE;
    /** The watermark of the last {@link ReviewerFeatureEngine#expire}; NONE before the first. */
    long compactedAt = NONE;
    final Map<Long, UserRecord> users = new HashMap<>();
    final Map<Long, MergeRequestRecord> mergeRequests = new HashMap<>();
    final Map<String, BranchRecord> branches = new HashMap<>();
    KeyedTiledCounts[] userCounts = NO_TILES;
    KeyedTiledCounts[] pathCounts = NO_TILES;
    KeyedTiledCounts[] prefixCounts = NO_TILES;
    KeyedTiledCounts[] pairCounts = NO_TILES;
    /**
     * A cache derived from the merge requests, not part of the state's value (not written, copied or
     * compared): per user, the iids of merge requests that listed them as a reviewer when they were
     * added. A superset of the merge requests that list them now (readers check and prune), so a
     * user's open review load costs their own merge requests, not a pass over all of the project's.
     * Null until first needed, and again after {@link #clear}, a copy or a restore.
     */
    private Map<Long, Set<Long>> reviewerIndex;
    /**
     * The same kind of cache for pushes: per branch, the iids of merge requests created to join it (a
     * superset of those that still do), so a push visits its branch's merge requests only.
     */
    private Map<String, Set<Long>> branchIndex;

    /** A user as the project knows them. */
    static final class UserRecord {
        long firstSeen;
        long lastTouch;
        long lastActivity = NONE;
        boolean member;
        int accessLevel = NO_ACCESS_LEVEL;
        // A cache of the user's lookback activity sum at one lookback tile, derived from the tiles: not part of
        // the record's value (not written, copied or compared). Dropped when the user has new activity.
        long lookbackTile = NONE;
        long lookbackSum;

        UserRecord copy() {
            UserRecord copy = new UserRecord();
            copy.firstSeen = firstSeen;
            copy.lastTouch = lastTouch;
            copy.lastActivity = lastActivity;
            copy.member = member;
            copy.accessLevel = accessLevel;
            return copy;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UserRecord u && firstSeen == u.firstSeen && lastTouch == u.lastTouch
                    && lastActivity == u.lastActivity && member == u.member && accessLevel == u.accessLevel;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(firstSeen) * 31 + Long.hashCode(lastTouch);
        }
    }

    /** A merge request still relevant to features (open, in its grace period after merge/close). */
    static final class MergeRequestRecord {
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

        MergeRequestRecord copy() {
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

        @Override
        public boolean equals(Object o) {
            return o instanceof MergeRequestRecord m && mrId == m.mrId && authorId == m.authorId
                    && Objects.equals(sourceBranch, m.sourceBranch) && joinsBranch == m.joinsBranch
                    && reviewers.equals(m.reviewers) && approvers.equals(m.approvers) && reviewed.equals(m.reviewed)
                    && paths.equals(m.paths) && truncated == m.truncated && opened == m.opened
                    && closedAt == m.closedAt && lastTouch == m.lastTouch;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(mrId) * 31 + paths.size();
        }
    }

    /** A branch of the project: the paths pushed to it since it was (last) created. */
    static final class BranchRecord {
        final TreeSet<String> paths = new TreeSet<>();
        boolean truncated;
        long lastPush;

        BranchRecord copy() {
            BranchRecord copy = new BranchRecord();
            copy.paths.addAll(paths);
            copy.truncated = truncated;
            copy.lastPush = lastPush;
            return copy;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BranchRecord b && paths.equals(b.paths) && truncated == b.truncated
                    && lastPush == b.lastPush;
        }

        @Override
        public int hashCode() {
            return paths.hashCode();
        }
    }

    /** An empty state (what a project without events has). */
    public ReviewerProjectState() {
    }

    /** Time of the latest event applied to this state, or {@link Long#MIN_VALUE} when none. */
    public long lastActivityMillis() {
        return lastEventTime;
    }

    /** Whether no event was applied since creation or the last clear. */
    public boolean isEmpty() {
        return lastEventTime == NONE;
    }

    /** Forgets everything (what a TTL expiry does). */
    void clear() {
        layout = 0;
        lastEventTime = NONE;
        compactedAt = NONE;
        users.clear();
        mergeRequests.clear();
        branches.clear();
        userCounts = NO_TILES;
        pathCounts = NO_TILES;
        prefixCounts = NO_TILES;
        pairCounts = NO_TILES;
        reviewerIndex = null;
        branchIndex = null;
    }

    /** {@link #branchIndex}, built from the merge requests when missing. */
    Map<String, Set<Long>> branchIndex() {
        if (branchIndex == null) {
            branchIndex = new HashMap<>();
            mergeRequests.forEach((iid, m) -> {
                if (m.joinsBranch) {
                    branchIndex.computeIfAbsent(m.sourceBranch, branch -> new HashSet<>()).add(iid);
                }
            });
        }
        return branchIndex;
    }

    /** Records a new merge request {@code iid} that joins pushes to {@code branch}. */
    void indexBranch(String branch, long iid) {
        if (branchIndex != null) {
            branchIndex.computeIfAbsent(branch, b -> new HashSet<>()).add(iid);
        }
    }

    /** {@link #reviewerIndex}, built from the merge requests when missing. */
    Map<Long, Set<Long>> reviewerIndex() {
        if (reviewerIndex == null) {
            reviewerIndex = new HashMap<>();
            mergeRequests.forEach((iid, m) -> {
                for (int i = 0; i < m.reviewers.size(); i++) {
                    reviewerIndex.computeIfAbsent(m.reviewers.get(i), user -> new HashSet<>()).add(iid);
                }
            });
        }
        return reviewerIndex;
    }

    /** Records that merge request {@code iid} now lists {@code reviewer}: call for every reviewer added. */
    void indexReviewer(long reviewer, long iid) {
        if (reviewerIndex != null) {
            reviewerIndex.computeIfAbsent(reviewer, user -> new HashSet<>()).add(iid);
        }
    }

    /** Users, merge requests, branches and stored tile entries: for state-size figures. */
    public String sizeSummary() {
        return "users=" + users.size() + " mergeRequests=" + mergeRequests.size() + " branches=" + branches.size()
                + " branchPaths=" + branches.values().stream().mapToInt(b -> b.paths.size()).sum()
                + " userTileEntries=" + entries(userCounts) + " pathKeys=" + keys(pathCounts)
                + " pathTileEntries=" + entries(pathCounts) + " prefixKeys=" + keys(prefixCounts)
                + " prefixTileEntries=" + entries(prefixCounts) + " pairTileEntries=" + entries(pairCounts);
    }

    private static long entries(KeyedTiledCounts[] counts) {
        return Arrays.stream(counts).mapToLong(KeyedTiledCounts::entryCount).sum();
    }

    private static long keys(KeyedTiledCounts[] counts) {
        return Arrays.stream(counts).mapToLong(KeyedTiledCounts::keyCount).sum();
    }

    /** A deep copy: nothing mutable is shared. */
    public ReviewerProjectState copy() {
        ReviewerProjectState copy = new ReviewerProjectState();
        copy.layout = layout;
        copy.lastEventTime = lastEventTime;
        copy.compactedAt = compactedAt;
        users.forEach((k, v) -> copy.users.put(k, v.copy()));
        mergeRequests.forEach((k, v) -> copy.mergeRequests.put(k, v.copy()));
        branches.forEach((k, v) -> copy.branches.put(k, v.copy()));
        copy.userCounts = copyAll(userCounts);
        copy.pathCounts = copyAll(pathCounts);
        copy.prefixCounts = copyAll(prefixCounts);
        copy.pairCounts = copyAll(pairCounts);
        return copy;
    }

    private static KeyedTiledCounts[] copyAll(KeyedTiledCounts[] counts) {
        KeyedTiledCounts[] copy = new KeyedTiledCounts[counts.length];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].copy();
        }
        return copy;
    }

    // ---------------------------------------------------------------- serialization

    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeLong(layout);
        out.writeLong(lastEventTime);
        out.writeLong(compactedAt);
        writeUsers(out);
        writeMergeRequests(out);
        writeBranches(out);
        for (KeyedTiledCounts[] group : List.of(userCounts, pathCounts, prefixCounts, pairCounts)) {
            writeTiles(out, group);
        }
    }

    /**
     * Bytes of each part of {@link #write}'s encoding, for state-size figures: {@code users} (one record
     * per member or recently active user), {@code mergeRequests} (open ones and those in their grace
     * period, with reviewers and changed paths), {@code branches} (live branches with their paths),
     * {@code userTiles}, {@code pathTiles} (per (user, path)), {@code prefixTiles} (per (user, path
     * prefix)), {@code pairTiles} (per (reviewer, author)); the 25-byte header is not counted.
     */
    public Map<String, Long> serializedBytesByPart() {
        Map<String, Long> parts = new java.util.LinkedHashMap<>();
        try {
            parts.put("users", countBytes(this::writeUsers));
            parts.put("mergeRequests", countBytes(this::writeMergeRequests));
            parts.put("branches", countBytes(this::writeBranches));
            parts.put("userTiles", countBytes(out -> writeTiles(out, userCounts)));
            parts.put("pathTiles", countBytes(out -> writeTiles(out, pathCounts)));
            parts.put("prefixTiles", countBytes(out -> writeTiles(out, prefixCounts)));
            parts.put("pairTiles", countBytes(out -> writeTiles(out, pairCounts)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("counting bytes cannot fail", e);
        }
        return parts;
    }

    private interface Section {
        void write(DataOutput out) throws IOException;
    }

    private static long countBytes(Section section) throws IOException {
        long[] count = new long[1];
        java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        });
        section.write(out);
        out.flush();
        return count[0];
    }

    private void writeUsers(DataOutput out) throws IOException {
        TreeMap<Long, UserRecord> sortedUsers = new TreeMap<>(users);
        Varints.writeUnsigned(out, sortedUsers.size());
        for (Map.Entry<Long, UserRecord> e : sortedUsers.entrySet()) {
            UserRecord u = e.getValue();
            Varints.writeSigned(out, e.getKey());
            Varints.writeSigned(out, u.firstSeen);
            Varints.writeSigned(out, u.lastTouch - u.firstSeen);
            out.writeBoolean(u.lastActivity != NONE);
            if (u.lastActivity != NONE) {
                Varints.writeSigned(out, u.lastActivity - u.firstSeen);
            }
            out.writeBoolean(u.member);
            Varints.writeSigned(out, u.accessLevel);
        }
    }

    private void writeMergeRequests(DataOutput out) throws IOException {
        TreeMap<Long, MergeRequestRecord> sortedMrs = new TreeMap<>(mergeRequests);
        Varints.writeUnsigned(out, sortedMrs.size());
        for (Map.Entry<Long, MergeRequestRecord> e : sortedMrs.entrySet()) {
            MergeRequestRecord m = e.getValue();
            Varints.writeSigned(out, e.getKey());
            Varints.writeSigned(out, m.mrId);
            out.writeLong(m.authorId);
            writeNullableString(out, m.sourceBranch);
            out.writeBoolean(m.joinsBranch);
            m.reviewers.write(out);
            m.approvers.write(out);
            m.reviewed.write(out);
            writePaths(out, m.paths);
            out.writeBoolean(m.truncated);
            out.writeBoolean(m.opened);
            out.writeLong(m.closedAt);
            out.writeLong(m.lastTouch);
        }
    }

    private void writeBranches(DataOutput out) throws IOException {
        TreeMap<String, BranchRecord> sortedBranches = new TreeMap<>(branches);
        Varints.writeUnsigned(out, sortedBranches.size());
        for (Map.Entry<String, BranchRecord> e : sortedBranches.entrySet()) {
            out.writeUTF(e.getKey());
            writePaths(out, e.getValue().paths);
            out.writeBoolean(e.getValue().truncated);
            out.writeLong(e.getValue().lastPush);
        }
    }

    private static void writeTiles(DataOutput out, KeyedTiledCounts[] group) throws IOException {
        Varints.writeUnsigned(out, group.length);
        for (KeyedTiledCounts counts : group) {
            counts.write(out);
        }
    }

    public static ReviewerProjectState read(DataInput in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("unknown ReviewerProjectState format version " + version);
        }
        ReviewerProjectState state = new ReviewerProjectState();
        state.layout = in.readLong();
        state.lastEventTime = in.readLong();
        state.compactedAt = in.readLong();
        int userCount = Varints.readLength(in, 1 << 26);
        for (int i = 0; i < userCount; i++) {
            long id = Varints.readSigned(in);
            UserRecord u = new UserRecord();
            u.firstSeen = Varints.readSigned(in);
            u.lastTouch = u.firstSeen + Varints.readSigned(in);
            u.lastActivity = in.readBoolean() ? u.firstSeen + Varints.readSigned(in) : NONE;
            u.member = in.readBoolean();
            u.accessLevel = (int) Varints.readSigned(in);
            state.users.put(id, u);
        }
        int mrCount = Varints.readLength(in, 1 << 26);
        for (int i = 0; i < mrCount; i++) {
            long iid = Varints.readSigned(in);
            MergeRequestRecord m = new MergeRequestRecord();
            m.mrId = Varints.readSigned(in);
            m.authorId = in.readLong();
            m.sourceBranch = readNullableString(in);
            m.joinsBranch = in.readBoolean();
            m.reviewers.addAll(SortedLongSet.read(in));
            m.approvers.addAll(SortedLongSet.read(in));
            m.reviewed.addAll(SortedLongSet.read(in));
            readPaths(in, m.paths);
            m.truncated = in.readBoolean();
            m.opened = in.readBoolean();
            m.closedAt = in.readLong();
            m.lastTouch = in.readLong();
            state.mergeRequests.put(iid, m);
        }
        int branchCount = Varints.readLength(in, 1 << 26);
        for (int i = 0; i < branchCount; i++) {
            String name = in.readUTF();
            BranchRecord b = new BranchRecord();
            readPaths(in, b.paths);
            b.truncated = in.readBoolean();
            b.lastPush = in.readLong();
            state.branches.put(name, b);
        }
        state.userCounts = readGroup(in);
        state.pathCounts = readGroup(in);
        state.prefixCounts = readGroup(in);
        state.pairCounts = readGroup(in);
        return state;
    }

    private static KeyedTiledCounts[] readGroup(DataInput in) throws IOException {
        KeyedTiledCounts[] group = new KeyedTiledCounts[Varints.readLength(in, 1 << 10)];
        for (int i = 0; i < group.length; i++) {
            group[i] = KeyedTiledCounts.read(in);
        }
        return group;
    }

    private static void writeNullableString(DataOutput out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullableString(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof ReviewerProjectState other && layout == other.layout
                && lastEventTime == other.lastEventTime && compactedAt == other.compactedAt
                && users.equals(other.users) && mergeRequests.equals(other.mergeRequests)
                && branches.equals(other.branches) && Arrays.equals(userCounts, other.userCounts)
                && Arrays.equals(pathCounts, other.pathCounts) && Arrays.equals(prefixCounts, other.prefixCounts)
                && Arrays.equals(pairCounts, other.pairCounts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(layout, lastEventTime, users.size(), mergeRequests.size(), branches.size());
    }

    @Override
    public String toString() {
        return "ReviewerProjectState{lastEvent=" + lastEventTime + ", " + sizeSummary() + "}";
    }
}
