package io.eventstream.features.reviewers;

import io.eventstream.features.windows.SortedLongSet;
import io.eventstream.features.windows.TileSeries;
import io.eventstream.features.windows.Varints;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A project's {@link ReviewerState} in memory, in HashMaps: what the plain loop, the tests, serving
 * and the naive comparisons use, and the Flink job on the heap backend, as one value per project (on
 * RocksDB the job keeps the same entries in {@code MapState}s). Values
 * are the stored objects, so a put after changing one only stores the same reference again.
 *
 * <p>Serializes itself ({@link #write}/{@link #read}, versioned, keys in sorted order so equal states
 * give equal bytes), with each entry in the encoding the Flink serializers use, for state-size
 * figures and round-trip tests. The two merge-request indexes are derived from the merge requests:
 * not written, copied or compared, but rebuilt on {@link #read} and {@link #copy}.
 */
public final class ReviewerProjectState implements ReviewerState {
    private static final int FORMAT_VERSION = 2;

    Header header = new Header();
    final Map<Long, UserRecord> users = new HashMap<>();
    final Map<Long, MergeRequestRecord> mergeRequests = new HashMap<>();
    final Map<String, BranchRecord> branches = new HashMap<>();
    private final Map<TileGroup, Map<Long, TileSeries[]>> tiles = new EnumMap<>(TileGroup.class);
    private final Map<Long, SortedLongSet> reviewerIndex = new HashMap<>();
    private final Map<String, SortedLongSet> branchIndex = new HashMap<>();

    /** An empty state (what a project without events has). */
    public ReviewerProjectState() {
        for (TileGroup group : TileGroup.values()) {
            tiles.put(group, new HashMap<>());
        }
    }

    /** Time of the latest event applied to this state, or {@link Long#MIN_VALUE} when none. */
    public long lastActivityMillis() {
        return header.lastEventTime;
    }

    /** Whether no event was applied since creation or the last clear. */
    public boolean isEmpty() {
        return header.isEmpty();
    }

    @Override
    public Header header() {
        return header;
    }

    @Override
    public void putHeader(Header header) {
        this.header = header;
    }

    @Override
    public UserRecord user(long userId) {
        return users.get(userId);
    }

    @Override
    public void putUser(long userId, UserRecord record) {
        users.put(userId, record);
    }

    @Override
    public void removeUser(long userId) {
        users.remove(userId);
    }

    @Override
    public Iterator<Map.Entry<Long, UserRecord>> users() {
        return users.entrySet().iterator();
    }

    @Override
    public Iterator<Map.Entry<Long, UserRecord>> usersToRank() {
        return users.entrySet().iterator(); // the records are in memory already: the same as users()
    }

    @Override
    public MergeRequestRecord mergeRequest(long iid) {
        return mergeRequests.get(iid);
    }

    @Override
    public void putMergeRequest(long iid, MergeRequestRecord record) {
        mergeRequests.put(iid, record);
    }

    @Override
    public void removeMergeRequest(long iid) {
        mergeRequests.remove(iid);
    }

    @Override
    public Iterator<Map.Entry<Long, MergeRequestRecord>> mergeRequests() {
        return mergeRequests.entrySet().iterator();
    }

    @Override
    public BranchRecord branch(String name) {
        return branches.get(name);
    }

    @Override
    public void putBranch(String name, BranchRecord record) {
        branches.put(name, record);
    }

    @Override
    public void removeBranch(String name) {
        branches.remove(name);
    }

    @Override
    public Iterator<Map.Entry<String, BranchRecord>> branches() {
        return branches.entrySet().iterator();
    }

    @Override
    public SortedLongSet reviewerIndex(long userId) {
        return reviewerIndex.get(userId);
    }

    @Override
    public void putReviewerIndex(long userId, SortedLongSet iids) {
        reviewerIndex.put(userId, iids);
    }

    @Override
    public void removeReviewerIndex(long userId) {
        reviewerIndex.remove(userId);
    }

    @Override
    public SortedLongSet branchIndex(String branch) {
        return branchIndex.get(branch);
    }

    @Override
    public void putBranchIndex(String branch, SortedLongSet iids) {
        branchIndex.put(branch, iids);
    }

    @Override
    public void removeBranchIndex(String branch) {
        branchIndex.remove(branch);
    }

    @Override
    public TileSeries[] tiles(TileGroup group, long key) {
        return tiles.get(group).get(key);
    }

    @Override
    public void putTiles(TileGroup group, long key, TileSeries[] series) {
        tiles.get(group).put(key, series);
    }

    @Override
    public Iterator<Map.Entry<Long, TileSeries[]>> tiles(TileGroup group) {
        return tiles.get(group).entrySet().iterator();
    }

    @Override
    public void clearTiles() {
        tiles.values().forEach(Map::clear);
    }

    @Override
    public void clear() {
        header = new Header();
        users.clear();
        mergeRequests.clear();
        branches.clear();
        clearTiles();
        reviewerIndex.clear();
        branchIndex.clear();
    }

    /** Rebuilds both indexes from the merge requests. */
    private void index() {
        reviewerIndex.clear();
        branchIndex.clear();
        ReviewerState.index(mergeRequests.entrySet().iterator(), this);
    }

    /** Users, merge requests, branches and stored tile entries: for state-size figures. */
    public String sizeSummary() {
        return "users=" + users.size() + " mergeRequests=" + mergeRequests.size() + " branches=" + branches.size()
                + " branchPaths="
                + branches.values().stream().mapToInt(b -> b.paths.size()).sum()
                + " userTileEntries=" + entries(TileGroup.USER) + " pathKeys=" + keys(TileGroup.PATH)
                + " pathTileEntries=" + entries(TileGroup.PATH) + " prefixKeys=" + keys(TileGroup.PREFIX)
                + " prefixTileEntries=" + entries(TileGroup.PREFIX) + " pairTileEntries=" + entries(TileGroup.PAIR);
    }

    private long entries(TileGroup group) {
        long entries = 0;
        for (TileSeries[] series : tiles.get(group).values()) {
            for (TileSeries s : series) {
                entries += s.size();
            }
        }
        return entries;
    }

    private long keys(TileGroup group) {
        return tiles.get(group).size();
    }

    /** A deep copy: nothing mutable is shared. */
    public ReviewerProjectState copy() {
        ReviewerProjectState copy = new ReviewerProjectState();
        copy.header = header.copy();
        users.forEach((k, v) -> copy.users.put(k, v.copy()));
        mergeRequests.forEach((k, v) -> copy.mergeRequests.put(k, v.copy()));
        branches.forEach((k, v) -> copy.branches.put(k, v.copy()));
        tiles.forEach((group, byKey) -> {
            Map<Long, TileSeries[]> into = copy.tiles.get(group);
            byKey.forEach((key, series) -> into.put(key, ReviewerState.copyTiles(series)));
        });
        copy.index();
        return copy;
    }

    // ---------------------------------------------------------------- serialization

    public void write(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        header.write(out);
        writeUsers(out);
        writeMergeRequests(out);
        writeBranches(out);
        for (TileGroup group : TileGroup.values()) {
            writeTiles(out, group);
        }
    }

    /**
     * Bytes of each part of {@link #write}'s encoding, for state-size figures (together the whole):
     * {@code header} (format version, layout, times, each tile group's oldest tile), {@code users} (one record
     * per member or recently active user), {@code mergeRequests} (open ones and those in their grace
     * period, with reviewers and changed paths), {@code branches} (live branches with their paths),
     * {@code userTiles}, {@code pathTiles} (per (user, path)), {@code prefixTiles} (per (user, path
     * prefix)), {@code pairTiles} (per (reviewer, author)).
     */
    public Map<String, Long> serializedBytesByPart() {
        Map<String, Long> parts = new LinkedHashMap<>();
        try {
            parts.put("header", countBytes(out -> {
                out.writeByte(FORMAT_VERSION);
                header.write(out);
            }));
            parts.put("users", countBytes(this::writeUsers));
            parts.put("mergeRequests", countBytes(this::writeMergeRequests));
            parts.put("branches", countBytes(this::writeBranches));
            parts.put("userTiles", countBytes(out -> writeTiles(out, TileGroup.USER)));
            parts.put("pathTiles", countBytes(out -> writeTiles(out, TileGroup.PATH)));
            parts.put("prefixTiles", countBytes(out -> writeTiles(out, TileGroup.PREFIX)));
            parts.put("pairTiles", countBytes(out -> writeTiles(out, TileGroup.PAIR)));
        } catch (IOException e) {
            throw new UncheckedIOException("counting bytes cannot fail", e);
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
        TreeMap<Long, UserRecord> sorted = new TreeMap<>(users);
        Varints.writeUnsigned(out, sorted.size());
        for (Map.Entry<Long, UserRecord> e : sorted.entrySet()) {
            Varints.writeSigned(out, e.getKey());
            e.getValue().write(out);
        }
    }

    private void writeMergeRequests(DataOutput out) throws IOException {
        TreeMap<Long, MergeRequestRecord> sorted = new TreeMap<>(mergeRequests);
        Varints.writeUnsigned(out, sorted.size());
        for (Map.Entry<Long, MergeRequestRecord> e : sorted.entrySet()) {
            Varints.writeSigned(out, e.getKey());
            e.getValue().write(out);
        }
    }

    private void writeBranches(DataOutput out) throws IOException {
        TreeMap<String, BranchRecord> sorted = new TreeMap<>(branches);
        Varints.writeUnsigned(out, sorted.size());
        for (Map.Entry<String, BranchRecord> e : sorted.entrySet()) {
            out.writeUTF(e.getKey());
            e.getValue().write(out);
        }
    }

    /** Per key (ascending, delta-encoded) its series. */
    private void writeTiles(DataOutput out, TileGroup group) throws IOException {
        TreeMap<Long, TileSeries[]> sorted = new TreeMap<>(tiles.get(group));
        Varints.writeUnsigned(out, sorted.size());
        long previousKey = 0;
        for (Map.Entry<Long, TileSeries[]> e : sorted.entrySet()) {
            Varints.writeSigned(out, e.getKey() - previousKey);
            previousKey = e.getKey();
            ReviewerState.writeTiles(out, e.getValue());
        }
    }

    public static ReviewerProjectState read(DataInput in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("unknown ReviewerProjectState format version " + version);
        }
        ReviewerProjectState state = new ReviewerProjectState();
        state.header = Header.read(in);
        int userCount = Varints.readLength(in, 1 << 26);
        for (int i = 0; i < userCount; i++) {
            long id = Varints.readSigned(in);
            state.users.put(id, UserRecord.read(in));
        }
        int mrCount = Varints.readLength(in, 1 << 26);
        for (int i = 0; i < mrCount; i++) {
            long iid = Varints.readSigned(in);
            state.mergeRequests.put(iid, MergeRequestRecord.read(in));
        }
        int branchCount = Varints.readLength(in, 1 << 26);
        for (int i = 0; i < branchCount; i++) {
            String name = in.readUTF();
            state.branches.put(name, BranchRecord.read(in));
        }
        for (TileGroup group : TileGroup.values()) {
            Map<Long, TileSeries[]> into = state.tiles.get(group);
            int keyCount = Varints.readLength(in, 1 << 26);
            long key = 0;
            for (int k = 0; k < keyCount; k++) {
                key += Varints.readSigned(in);
                if (into.put(key, ReviewerState.readTiles(in)) != null) {
                    throw new IOException("corrupt ReviewerProjectState: repeated tile key");
                }
            }
        }
        state.index();
        return state;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReviewerProjectState other)
                || !header.equals(other.header)
                || !users.equals(other.users)
                || !mergeRequests.equals(other.mergeRequests)
                || !branches.equals(other.branches)) {
            return false;
        }
        for (TileGroup group : TileGroup.values()) {
            Map<Long, TileSeries[]> mine = tiles.get(group);
            Map<Long, TileSeries[]> theirs = other.tiles.get(group);
            if (mine.size() != theirs.size()) {
                return false;
            }
            for (Map.Entry<Long, TileSeries[]> e : mine.entrySet()) {
                TileSeries[] series = theirs.get(e.getKey());
                if (series == null || !ReviewerState.sameTiles(e.getValue(), series)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(header, users.size(), mergeRequests.size(), branches.size());
    }

    @Override
    public String toString() {
        return "ReviewerProjectState{lastEvent=" + header.lastEventTime + ", " + sizeSummary() + "}";
    }
}
