package io.eventstream.features.reviewers;

import static io.eventstream.features.reviewers.ReviewerProjectState.NONE;
import static io.eventstream.features.reviewers.ReviewerProjectState.NO_ACCESS_LEVEL;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.config.ReviewerWindowedFeature;
import io.eventstream.features.reviewers.ReviewerProjectState.BranchRecord;
import io.eventstream.features.reviewers.ReviewerProjectState.MergeRequestRecord;
import io.eventstream.features.reviewers.ReviewerProjectState.UserRecord;
import io.eventstream.features.windows.KeyedTiledCounts;
import io.eventstream.features.windows.SortedLongSet;
import io.eventstream.features.windows.WindowSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes reviewer features one event at a time from a project's {@link ReviewerProjectState}:
 * the whole per-event work of the keyed function, in one pass over one state value.
 *
 * <p>Contract with the caller (the Flink keyed function, keyed by project): apply a project's inputs
 * in {@code (time, id)} order ({@link ReviewerInput#compareOrder}); call {@link #expire} with a
 * watermark only once every input at or before it has been applied. Results then depend only on the
 * events, never on when expiry ran: every forgetting rule (project TTL, user records, idle branches,
 * merge requests after their grace period) is also checked against the event time when a record is
 * read, so expiry only reclaims memory.
 *
 * <p>Thread-safe and immutable once built (states are not: one per key).
 */
public final class ReviewerFeatureEngine {
    static final long DAY = 86_400_000L;

    // Metrics of the per-user tiles.
    static final int REVIEWS = 0;
    static final int APPROVALS = 1;
    static final int COMMENTS = 2;
    static final int ACTIVITY = 3;
    private static final int USER_METRICS = 4;
    // Metrics of the per-(user, prefix) tiles.
    static final int PREFIX_COMMITS = 0;
    static final int PREFIX_REVIEWS = 1;

    /**
     * Candidate order: lookback activity desc, last activity desc (none last), user id asc, on
     * {user, activity, last activity or NONE}. Shared with {@link ReviewerOnlineCandidates}.
     */
    static final Comparator<long[]> CANDIDATE_ORDER = (a, b) -> a[1] != b[1] ? Long.compare(b[1], a[1])
            : a[2] != b[2] ? Long.compare(b[2], a[2]) : Long.compare(a[0], b[0]);

    private static final String ASSIGNED_REVIEWER = "assigned_reviewer";
    private static final String APPROVED = "approved";
    private static final String REVIEWED = "reviewed";

    private final ReviewerFeatureSet featureSet;
    private final long ttl;
    private final long grace;
    private final int depth;
    private final int maxPaths;
    private final int maxCandidates;
    private final boolean emitOnGrowth;
    private final WindowSpec lookback;

    // Tile layout: per group, the distinct hops (one KeyedTiledCounts each) and their retentions.
    private final TileGroup userGroup;
    private final TileGroup pathGroup;
    private final TileGroup prefixGroup;
    private final TileGroup pairGroup;
    private final int lookbackStructure;
    private final long compactionInterval;
    private final long layout;

    // Per windowed column: its feature, the structure index in its group and the window length.
    private final ReviewerWindowedFeature[] columnFeature;
    private final int[] columnStructure;
    private final long[] columnLength;
    // Online path table: per windowed column after the fixed four, (metric, structure, length).
    private final int[] pathColumnMetric;
    private final int[] pathColumnStructure;
    private final long[] pathColumnLength;
    // Online user table: the candidate-row windowed columns it repeats, in order.
    private final int[] userOnlineColumns;
    // The tiles behind the online rows' counts, in ReviewerFeatureSet.onlineUser/PathCountColumns order.
    private final ReviewerCountTiles.Layout userTileLayout = new ReviewerCountTiles.Layout();
    private final ReviewerCountTiles.Layout pathTileLayout = new ReviewerCountTiles.Layout();

    /** The distinct hops of a group of windows and, per hop, the longest window length. */
    private record TileGroup(long[] hops, long[] retentions) {
        static TileGroup of(Collection<WindowSpec> windows) {
            TreeMap<Long, Long> byHop = new TreeMap<>();
            for (WindowSpec w : windows) {
                byHop.merge(w.hopMillis(), w.lengthMillis(), Math::max);
            }
            return new TileGroup(byHop.keySet().stream().mapToLong(Long::longValue).toArray(),
                    byHop.values().stream().mapToLong(Long::longValue).toArray());
        }

        int indexOf(WindowSpec window) {
            for (int i = 0; i < hops.length; i++) {
                if (hops[i] == window.hopMillis()) {
                    return i;
                }
            }
            throw new IllegalStateException("window " + window + " not in group");
        }

        KeyedTiledCounts[] create(int metrics) {
            KeyedTiledCounts[] counts = new KeyedTiledCounts[hops.length];
            for (int i = 0; i < hops.length; i++) {
                counts[i] = new KeyedTiledCounts(hops[i], retentions[i], metrics);
            }
            return counts;
        }

        String describe() {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < hops.length; i++) {
                out.append(hops[i]).append('/').append(retentions[i]).append(',');
            }
            return out.toString();
        }
    }

    public ReviewerFeatureEngine(ReviewerFeatureSet featureSet) {
        this.featureSet = featureSet;
        ReviewerJobConfig config = featureSet.config();
        this.ttl = config.stateTtlMillis();
        this.grace = config.mergeRequestGraceMillis();
        this.depth = config.prefixDepth();
        this.maxPaths = config.maxPathsPerBranch();
        this.maxCandidates = config.maxCandidates();
        this.emitOnGrowth = config.emitOnPathGrowth();
        this.lookback = config.lookbackWindow();

        List<WindowSpec> userWindows = new ArrayList<>(List.of(lookback));
        userWindows.addAll(config.windowsOf(ReviewerWindowedFeature.REVIEWS));
        userWindows.addAll(config.windowsOf(ReviewerWindowedFeature.APPROVALS));
        userWindows.addAll(config.windowsOf(ReviewerWindowedFeature.MR_COMMENTS));
        List<WindowSpec> prefixWindows = new ArrayList<>(config.windowsOf(ReviewerWindowedFeature.PREFIX_COMMITS));
        prefixWindows.addAll(config.windowsOf(ReviewerWindowedFeature.PREFIX_REVIEWS));
        List<WindowSpec> pairWindows = new ArrayList<>(config.windowsOf(ReviewerWindowedFeature.REVIEWS_OF_AUTHOR));
        pairWindows.addAll(config.windowsOf(ReviewerWindowedFeature.REVIEWS_BY_AUTHOR));
        this.userGroup = TileGroup.of(userWindows);
        this.pathGroup = TileGroup.of(config.windowsOf(ReviewerWindowedFeature.PATH_COMMITS));
        this.prefixGroup = TileGroup.of(prefixWindows);
        this.pairGroup = TileGroup.of(pairWindows);
        this.lookbackStructure = userGroup.indexOf(lookback);
        long interval = lookback.hopMillis();
        for (TileGroup group : List.of(userGroup, pathGroup, prefixGroup, pairGroup)) {
            for (long hop : group.hops()) {
                interval = Math.max(interval, hop);
            }
        }
        this.compactionInterval = interval;

        List<ReviewerFeatureSet.WindowedColumn> windowed = featureSet.windowedColumns();
        this.columnFeature = new ReviewerWindowedFeature[windowed.size()];
        this.columnStructure = new int[windowed.size()];
        this.columnLength = new long[windowed.size()];
        List<Integer> userOnline = new ArrayList<>();
        List<int[]> pathColumns = new ArrayList<>();
        List<Long> pathLengths = new ArrayList<>();
        for (int i = 0; i < windowed.size(); i++) {
            ReviewerFeatureSet.WindowedColumn column = windowed.get(i);
            columnFeature[i] = column.feature();
            columnLength[i] = column.window().lengthMillis();
            columnStructure[i] = groupOf(column.feature()).indexOf(column.window());
            switch (column.feature()) {
                case REVIEWS, APPROVALS, MR_COMMENTS -> userOnline.add(i);
                default -> {
                }
            }
        }
        for (ReviewerWindowedFeature feature : List.of(ReviewerWindowedFeature.PREFIX_COMMITS,
                ReviewerWindowedFeature.PREFIX_REVIEWS)) {
            for (WindowSpec w : config.windowsOf(feature)) {
                int metric = feature == ReviewerWindowedFeature.PREFIX_COMMITS ? PREFIX_COMMITS : PREFIX_REVIEWS;
                pathColumns.add(new int[] {metric, prefixGroup.indexOf(w)});
                pathLengths.add(w.lengthMillis());
            }
        }
        this.userOnlineColumns = userOnline.stream().mapToInt(Integer::intValue).toArray();
        this.pathColumnMetric = pathColumns.stream().mapToInt(c -> c[0]).toArray();
        this.pathColumnStructure = pathColumns.stream().mapToInt(c -> c[1]).toArray();
        this.pathColumnLength = pathLengths.stream().mapToLong(Long::longValue).toArray();
        this.layout = layoutFingerprint();
        userTileLayout.column(lookbackStructure, ACTIVITY, lookback.hopMillis(), lookback.lengthMillis());
        for (int column : userOnlineColumns) {
            int metric = switch (columnFeature[column]) {
                case REVIEWS -> REVIEWS;
                case APPROVALS -> APPROVALS;
                default -> COMMENTS;
            };
            userTileLayout.column(columnStructure[column], metric, userGroup.hops()[columnStructure[column]],
                    columnLength[column]);
        }
        for (int i = 0; i < pathColumnMetric.length; i++) {
            pathTileLayout.column(pathColumnStructure[i], pathColumnMetric[i], prefixGroup.hops()[pathColumnStructure[i]],
                    pathColumnLength[i]);
        }
    }

    private TileGroup groupOf(ReviewerWindowedFeature feature) {
        return switch (feature) {
            case REVIEWS, APPROVALS, MR_COMMENTS -> userGroup;
            case PATH_COMMITS -> pathGroup;
            case PREFIX_COMMITS, PREFIX_REVIEWS -> prefixGroup;
            case REVIEWS_OF_AUTHOR, REVIEWS_BY_AUTHOR -> pairGroup;
        };
    }

    public ReviewerFeatureSet featureSet() {
        return featureSet;
    }

    /** A fresh state for a project without events. */
    public ReviewerProjectState newState() {
        return new ReviewerProjectState();
    }

    /**
     * Applies one input to its project's state and returns what it produced: candidate rows when an
     * MR is opened or an open MR's changed paths grow, label rows, and the online rows whose values
     * the event changed.
     */
    public ReviewerOutput apply(ReviewerProjectState state, ReviewerInput input) {
        long t = input.timeMillis;
        if (state.lastEventTime != NONE && t - state.lastEventTime > ttl) {
            state.clear();
        }
        if (state.layout != layout) {
            createTiles(state);
        }
        if (t > state.lastEventTime) {
            state.lastEventTime = t;
        }
        Step step = new Step(state, input);
        switch (input.kind) {
            case ReviewerInput.PUSH -> step.push();
            case ReviewerInput.MR_NOTE -> step.note();
            case ReviewerInput.MEMBER_ADDED, ReviewerInput.MEMBER_REMOVED -> step.member();
            default -> {
                if (input.isMergeRequestEvent()) {
                    step.mergeRequest();
                }
            }
        }
        return step.finish();
    }

    /**
     * Reclaims what no event after {@code watermarkMillis} can see: merge requests past their grace
     * period or idle for state.ttl, idle branches, stale user records, tiles older than every window.
     * Returns true when the whole state may be cleared (empty, or no event for state.ttl). Call only
     * when no input at or before the watermark is still to be applied (with allowed lateness, pass the
     * watermark minus the lateness).
     */
    public boolean expire(ReviewerProjectState state, long watermarkMillis) {
        if (state.isEmpty() || watermarkMillis - state.lastEventTime >= ttl) {
            return true;
        }
        // An event after the watermark has t > watermark, so these records are stale for it already.
        state.mergeRequests.values().removeIf(m -> (m.closedAt != NONE && watermarkMillis >= m.closedAt + grace)
                || watermarkMillis - m.lastTouch >= ttl);
        state.branches.values().removeIf(b -> watermarkMillis - b.lastPush >= ttl);
        state.users.values().removeIf(u -> !u.member && watermarkMillis - u.lastTouch >= ttl);
        for (KeyedTiledCounts[] group : List.of(state.userCounts, state.pathCounts, state.prefixCounts, state.pairCounts)) {
            for (KeyedTiledCounts counts : group) {
                counts.expire(watermarkMillis);
            }
        }
        state.compactedAt = watermarkMillis;
        return false;
    }

    /**
     * The next watermark at which {@link #expire} has work: one compaction interval (the longest hop)
     * after the last expiry (or the last event when none ran yet), and no later than the point where
     * the whole state can be cleared. Register an event-time timer for it; when {@link #expire}
     * returns false, register the new value again. {@link Long#MIN_VALUE} for an empty state.
     */
    public long expiryWatermark(ReviewerProjectState state) {
        if (state.isEmpty()) {
            return Long.MIN_VALUE;
        }
        long clearAt = saturatedAdd(state.lastEventTime, ttl);
        long base = state.compactedAt == NONE ? state.lastEventTime : state.compactedAt;
        return Math.min(clearAt, saturatedAdd(base, compactionInterval));
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private void createTiles(ReviewerProjectState state) {
        state.userCounts = userGroup.create(USER_METRICS);
        state.pathCounts = pathGroup.create(1);
        state.prefixCounts = prefixGroup.create(2);
        state.pairCounts = pairGroup.create(1);
        for (UserRecord record : state.users.values()) {
            record.lookbackTile = NONE;
        }
        state.layout = layout;
    }

    private long layoutFingerprint() {
        String description = "users " + userGroup.describe() + USER_METRICS + ";paths " + pathGroup.describe()
                + ";prefixes " + prefixGroup.describe() + ";pairs " + pairGroup.describe();
        long hash = ReviewerPaths.hash(description);
        return hash == 0 ? 1 : hash;
    }

    // ---------------------------------------------------------------- one event

    /** The work of one event: the state, the input, and what it produced so far. */
    private final class Step {
        private final ReviewerProjectState state;
        private final ReviewerInput in;
        private final long t;
        private final ReviewerOutput output = new ReviewerOutput();
        private final TreeSet<Long> touchedUsers = new TreeSet<>();
        private final TreeMap<Long, TreeSet<String>> touchedPrefixes = new TreeMap<>();

        Step(ReviewerProjectState state, ReviewerInput in) {
            this.state = state;
            this.in = in;
            this.t = in.timeMillis;
        }

        void push() {
            BranchRecord branch = liveBranch(in.branch);
            if (in.branchDeleted) {
                state.branches.remove(in.branch);
                branch = null;
            } else if (branch == null || in.branchCreated) {
                branch = new BranchRecord();
                state.branches.put(in.branch, branch);
            }
            TreeSet<String> pushPaths = new TreeSet<>(Arrays.asList(in.commitPaths == null ? new String[0] : in.commitPaths));
            boolean pushTruncated = in.commitsTruncated();
            if (branch != null) {
                branch.lastPush = t;
                if (addCapped(branch.paths, pushPaths) || pushTruncated) {
                    branch.truncated = true;
                }
            }
            Long user = in.userId;
            if (user != null) {
                touchUser(user, true);
                addUser(user, ACTIVITY);
                touchedUsers.add(user);
                int offset = 0;
                int commits = in.commitPathCounts == null ? 0 : in.commitPathCounts.length;
                for (int c = 0; c < commits; c++) {
                    TreeSet<String> prefixes = new TreeSet<>();
                    for (int p = offset; p < offset + in.commitPathCounts[c]; p++) {
                        String path = in.commitPaths[p];
                        long key = ReviewerPaths.key(user, ReviewerPaths.hash(path));
                        for (KeyedTiledCounts counts : state.pathCounts) {
                            counts.add(key, t, 0, 1);
                        }
                        ReviewerPaths.prefixes(path, depth, prefixes);
                    }
                    offset += in.commitPathCounts[c];
                    for (String prefix : prefixes) {
                        long key = ReviewerPaths.key(user, ReviewerPaths.hash(prefix));
                        for (KeyedTiledCounts counts : state.prefixCounts) {
                            counts.add(key, t, PREFIX_COMMITS, 1);
                        }
                        touchedPrefixes.computeIfAbsent(user, u -> new TreeSet<>()).add(prefix);
                    }
                }
            }
            if (in.branchDeleted) {
                return;
            }
            TreeMap<Long, MergeRequestRecord> joined = new TreeMap<>();
            Map<String, Set<Long>> byBranch = state.branchIndex();
            Set<Long> iids = byBranch.get(in.branch);
            if (iids != null) {
                for (Iterator<Long> it = iids.iterator(); it.hasNext(); ) {
                    long iid = it.next();
                    MergeRequestRecord m = state.mergeRequests.get(iid);
                    if (m == null || !m.joinsBranch || !in.branch.equals(m.sourceBranch)) {
                        it.remove(); // the index may hold merge requests that are gone
                    } else if (m.isOpen() && !stale(m)) {
                        joined.put(iid, m);
                    }
                }
                if (iids.isEmpty()) {
                    byBranch.remove(in.branch);
                }
            }
            for (Map.Entry<Long, MergeRequestRecord> entry : joined.entrySet()) {
                MergeRequestRecord m = entry.getValue();
                int before = m.paths.size();
                if (addCapped(m.paths, pushPaths) || pushTruncated) {
                    m.truncated = true;
                }
                if (m.paths.size() > before && m.opened && emitOnGrowth) {
                    emit(entry.getKey(), m, ReviewerFeatureSet.TRIGGER_PATHS_GREW);
                }
            }
        }

        void mergeRequest() {
            MergeRequestRecord m = liveMergeRequest(in.mrIid);
            boolean created = m == null;
            if (created) {
                m = new MergeRequestRecord();
                m.mrId = in.mrId;
                m.sourceBranch = in.sourceBranch;
                m.joinsBranch = in.sourceInProject && in.sourceBranch != null;
                BranchRecord branch = m.joinsBranch ? liveBranch(in.sourceBranch) : null;
                if (branch != null) {
                    m.paths.addAll(branch.paths);
                    m.truncated = branch.truncated;
                }
                state.mergeRequests.put(in.mrIid, m);
                if (m.joinsBranch) {
                    state.indexBranch(m.sourceBranch, in.mrIid);
                }
            }
            if (in.mrAuthorId != null) {
                m.authorId = in.mrAuthorId;
            }
            m.lastTouch = t;
            int pathsBefore = m.paths.size();
            if (in.changedPaths != null && addCapped(m.paths, Arrays.asList(in.changedPaths))) {
                m.truncated = true;
            }
            boolean grew = m.paths.size() > pathsBefore;
            if (in.reviewerIds != null) {
                long[] previous = created && in.previousReviewerIds != null ? in.previousReviewerIds : m.reviewers.toArray();
                for (long reviewer : in.reviewerIds) {
                    if (Arrays.binarySearch(previous, reviewer) < 0) {
                        label(reviewer, ASSIGNED_REVIEWER);
                        touchedUsers.add(reviewer);
                    }
                }
                for (long reviewer : previous) {
                    if (Arrays.binarySearch(in.reviewerIds, reviewer) < 0) {
                        touchedUsers.add(reviewer);
                    }
                }
                m.reviewers.clear();
                for (long reviewer : in.reviewerIds) {
                    m.reviewers.add(reviewer);
                    state.indexReviewer(reviewer, in.mrIid);
                }
            }
            Long user = in.userId;
            switch (in.kind) {
                case ReviewerInput.MR_OPENED -> {
                    m.opened = true;
                    m.closedAt = NONE;
                    if (in.mrAuthorId != null) {
                        touchUser(in.mrAuthorId, false);
                    }
                }
                case ReviewerInput.MR_APPROVED -> {
                    if (user != null) {
                        touchedUsers.add(user);
                        if (m.approvers.add(user)) {
                            touchUser(user, true);
                            addUser(user, APPROVALS);
                            addUser(user, ACTIVITY);
                            label(user, APPROVED);
                            if (m.authorId != user && !m.reviewed.contains(user)) {
                                review(m, user);
                            }
                        }
                    }
                }
                case ReviewerInput.MR_UNAPPROVED -> {
                    if (user != null) {
                        m.approvers.remove(user);
                        touchedUsers.add(user);
                    }
                }
                case ReviewerInput.MR_MERGED, ReviewerInput.MR_CLOSED -> {
                    m.closedAt = t;
                    addAll(touchedUsers, m.reviewers);
                }
                case ReviewerInput.MR_REOPENED -> {
                    m.closedAt = NONE;
                    addAll(touchedUsers, m.reviewers);
                }
                default -> {
                }
            }
            if (in.kind == ReviewerInput.MR_OPENED) {
                emit(in.mrIid, m, ReviewerFeatureSet.TRIGGER_OPENED);
            } else if (grew && m.opened && m.isOpen() && emitOnGrowth) {
                emit(in.mrIid, m, ReviewerFeatureSet.TRIGGER_PATHS_GREW);
            }
        }

        void note() {
            Long user = in.userId;
            if (user == null) {
                return;
            }
            touchUser(user, true);
            addUser(user, COMMENTS);
            addUser(user, ACTIVITY);
            touchedUsers.add(user);
            MergeRequestRecord m = liveMergeRequest(in.mrIid);
            if (m != null) {
                m.lastTouch = t;
                if (m.authorId != user && !m.reviewed.contains(user)) {
                    review(m, user);
                }
            }
        }

        void member() {
            if (in.userId == null) {
                return;
            }
            UserRecord record = touchUser(in.userId, false);
            boolean added = in.kind == ReviewerInput.MEMBER_ADDED;
            record.member = added;
            record.accessLevel = added && in.accessLevel != null ? in.accessLevel : NO_ACCESS_LEVEL;
            touchedUsers.add(in.userId);
        }

        /** The user's first note or approval on an MR they did not author. */
        private void review(MergeRequestRecord m, long user) {
            m.reviewed.add(user);
            addUser(user, REVIEWS);
            if (m.authorId != NONE) {
                long key = ReviewerPaths.pairKey(user, m.authorId);
                for (KeyedTiledCounts counts : state.pairCounts) {
                    counts.add(key, t, 0, 1);
                }
            }
            for (String prefix : ReviewerPaths.prefixesOf(m.paths, depth)) {
                long key = ReviewerPaths.key(user, ReviewerPaths.hash(prefix));
                for (KeyedTiledCounts counts : state.prefixCounts) {
                    counts.add(key, t, PREFIX_REVIEWS, 1);
                }
                touchedPrefixes.computeIfAbsent(user, u -> new TreeSet<>()).add(prefix);
            }
            label(user, REVIEWED);
        }

        private void label(long user, String kind) {
            output.labelRows().add(new Object[] {in.projectId, in.mrIid, user, t, kind, in.eventId});
        }

        private void addUser(long user, int metric) {
            if (metric == ACTIVITY) {
                UserRecord record = state.users.get(user);
                if (record != null) {
                    record.lookbackTile = NONE;
                }
            }
            for (KeyedTiledCounts counts : state.userCounts) {
                counts.add(user, t, metric, 1);
            }
        }

        private UserRecord touchUser(long user, boolean activity) {
            UserRecord record = state.users.get(user);
            if (record != null && stale(record)) {
                record = null;
            }
            if (record == null) {
                record = new UserRecord();
                record.firstSeen = t;
                state.users.put(user, record);
            }
            record.lastTouch = t;
            if (activity) {
                record.lastActivity = t;
            }
            return record;
        }

        private MergeRequestRecord liveMergeRequest(long iid) {
            MergeRequestRecord m = state.mergeRequests.get(iid);
            if (m != null && stale(m)) {
                state.mergeRequests.remove(iid);
                return null;
            }
            return m;
        }

        private BranchRecord liveBranch(String name) {
            BranchRecord branch = state.branches.get(name);
            if (branch != null && t - branch.lastPush > ttl) {
                state.branches.remove(name);
                return null;
            }
            return branch;
        }

        private boolean stale(UserRecord record) {
            return !record.member && t - record.lastTouch > ttl;
        }

        private boolean stale(MergeRequestRecord m) {
            return (m.closedAt != NONE && t > m.closedAt + grace) || t - m.lastTouch > ttl;
        }

        /** Adds paths in order while fewer than the cap are kept; true when one had to be dropped. */
        private boolean addCapped(TreeSet<String> into, Collection<String> paths) {
            boolean dropped = false;
            for (String path : paths) {
                if (into.size() < maxPaths) {
                    into.add(path);
                } else if (!into.contains(path)) {
                    dropped = true;
                }
            }
            return dropped;
        }

        private long lookbackActivity(long user, UserRecord record) {
            // Within one tile of the lookback window the sum only changes when the user has new activity, which
            // drops the user's cached value: a busy project's many emissions per day reuse the sums.
            long tile = Math.floorDiv(t, lookback.hopMillis());
            if (record.lookbackTile != tile) {
                record.lookbackSum = lookbackSum(user);
                record.lookbackTile = tile;
            }
            return record.lookbackSum;
        }

        private long lookbackSum(long user) {
            return state.userCounts[lookbackStructure].sum(user, t, lookback.lengthMillis(), ACTIVITY);
        }

        /**
         * Open review load of the given users: per user, the merge requests that list them as a reviewer
         * (through the state's reviewer index), open, not stale, not approved by them.
         */
        private Map<Long, Integer> loads(Collection<Long> users) {
            Map<Long, Set<Long>> index = state.reviewerIndex();
            Map<Long, Integer> loads = new HashMap<>();
            for (Long user : users) {
                int load = 0;
                Set<Long> iids = index.get(user);
                if (iids != null) {
                    for (Iterator<Long> it = iids.iterator(); it.hasNext(); ) {
                        MergeRequestRecord m = state.mergeRequests.get(it.next());
                        if (m == null || !m.reviewers.contains(user)) {
                            it.remove(); // the index may hold merge requests that dropped the user or are gone
                        } else if (m.isOpen() && !stale(m) && !m.approvers.contains(user)) {
                            load++;
                        }
                    }
                    if (iids.isEmpty()) {
                        index.remove(user);
                    }
                }
                loads.put(user, load);
            }
            return loads;
        }

        /** Whether {user, activity, last} comes before {@code other} in {@link #CANDIDATE_ORDER}. */
        private static boolean ranksBefore(long user, long activity, long last, long[] other) {
            return activity != other[1] ? activity > other[1] : last != other[2] ? last > other[2] : user < other[0];
        }

        /** Emits one row per candidate for the MR, as of this event. */
        private void emit(long iid, MergeRequestRecord m, String trigger) {
            long start = lookback.startMillis(t);
            // The best K in candidate order, kept in a heap whose head is the worst of them: O(users log K).
            PriorityQueue<long[]> best = new PriorityQueue<>(maxCandidates + 1, CANDIDATE_ORDER.reversed());
            for (Map.Entry<Long, UserRecord> entry : state.users.entrySet()) {
                UserRecord record = entry.getValue();
                if (stale(record)) {
                    continue;
                }
                long user = entry.getKey();
                if (m.authorId != NONE && user == m.authorId) {
                    continue;
                }
                // Activity in the window implies a last activity at or after its start.
                long activity = record.lastActivity != NONE && record.lastActivity >= start
                        ? lookbackActivity(user, record) : 0;
                if (record.member || activity > 0) {
                    // Once K are kept, most users rank below the worst of them: compare before allocating.
                    if (best.size() == maxCandidates
                            && (maxCandidates == 0 || !ranksBefore(user, activity, record.lastActivity, best.peek()))) {
                        continue;
                    }
                    best.add(new long[] {user, activity, record.lastActivity});
                    if (best.size() > maxCandidates) {
                        best.poll();
                    }
                }
            }
            List<long[]> chosen = new ArrayList<>(best);
            chosen.sort(CANDIDATE_ORDER);
            List<Long> ids = new ArrayList<>();
            chosen.forEach(c -> ids.add(c[0]));
            Map<Long, Integer> loads = loads(ids);

            TreeSet<String> prefixes = ReviewerPaths.prefixesOf(m.paths, depth);
            long[] pathHashes = m.paths.stream().mapToLong(ReviewerPaths::hash).toArray();
            long[] prefixHashes = prefixes.stream().mapToLong(ReviewerPaths::hash).toArray();
            UserRecord author = m.authorId == NONE ? null : state.users.get(m.authorId);
            Long tenure = author == null || stale(author) ? null : Math.floorDiv(t - author.firstSeen, DAY);
            int columns = featureSet.candidateSchema().columns().size();
            for (int rank = 0; rank < chosen.size(); rank++) {
                long user = chosen.get(rank)[0];
                UserRecord record = state.users.get(user);
                Object[] row = new Object[columns];
                row[ReviewerFeatureSet.EVENT_ID] = in.eventId;
                row[ReviewerFeatureSet.EVENT_TIME] = t;
                row[ReviewerFeatureSet.PROJECT_ID] = in.projectId;
                row[ReviewerFeatureSet.MR_IID] = iid;
                row[ReviewerFeatureSet.MR_ID] = m.mrId;
                row[ReviewerFeatureSet.AUTHOR_ID] = m.authorId == NONE ? null : m.authorId;
                row[ReviewerFeatureSet.CANDIDATE_ID] = user;
                row[ReviewerFeatureSet.TRIGGER] = trigger;
                row[ReviewerFeatureSet.CANDIDATE_RANK] = rank + 1;
                row[ReviewerFeatureSet.CHANGED_PATH_COUNT] = m.paths.size();
                row[ReviewerFeatureSet.PATH_PREFIX_COUNT] = prefixes.size();
                row[ReviewerFeatureSet.PATHS_TRUNCATED] = m.truncated;
                row[ReviewerFeatureSet.AUTHOR_TENURE_DAYS] = tenure;
                row[ReviewerFeatureSet.IS_MEMBER] = record.member;
                row[ReviewerFeatureSet.ACCESS_LEVEL] = accessLevel(record);
                row[ReviewerFeatureSet.DAYS_SINCE_LAST_ACTIVITY] =
                        record.lastActivity == NONE ? null : Math.floorDiv(t - record.lastActivity, DAY);
                row[ReviewerFeatureSet.LOOKBACK_ACTIVITY] = (int) chosen.get(rank)[1];
                row[ReviewerFeatureSet.OPEN_REVIEW_LOAD] = loads.get(user);
                int c = ReviewerFeatureSet.FIXED_COLUMNS;
                for (int i = 0; i < columnFeature.length; i++) {
                    row[c + i] = windowed(i, user, m.authorId, pathHashes, prefixHashes);
                }
                output.candidateRows().add(row);
            }
        }

        private Integer windowed(int column, long user, long author, long[] pathHashes, long[] prefixHashes) {
            int s = columnStructure[column];
            long length = columnLength[column];
            long value = 0;
            switch (columnFeature[column]) {
                case REVIEWS -> value = state.userCounts[s].sum(user, t, length, REVIEWS);
                case APPROVALS -> value = state.userCounts[s].sum(user, t, length, APPROVALS);
                case MR_COMMENTS -> value = state.userCounts[s].sum(user, t, length, COMMENTS);
                case PATH_COMMITS -> {
                    for (long hash : pathHashes) {
                        value += state.pathCounts[s].sum(ReviewerPaths.key(user, hash), t, length, 0);
                    }
                }
                case PREFIX_COMMITS, PREFIX_REVIEWS -> {
                    int metric = columnFeature[column] == ReviewerWindowedFeature.PREFIX_COMMITS ? PREFIX_COMMITS : PREFIX_REVIEWS;
                    for (long hash : prefixHashes) {
                        value += state.prefixCounts[s].sum(ReviewerPaths.key(user, hash), t, length, metric);
                    }
                }
                case REVIEWS_OF_AUTHOR -> {
                    if (author == NONE) {
                        return null;
                    }
                    value = state.pairCounts[s].sum(ReviewerPaths.pairKey(user, author), t, length, 0);
                }
                case REVIEWS_BY_AUTHOR -> {
                    if (author == NONE) {
                        return null;
                    }
                    value = state.pairCounts[s].sum(ReviewerPaths.pairKey(author, user), t, length, 0);
                }
            }
            return (int) value;
        }

        ReviewerOutput finish() {
            if (!touchedUsers.isEmpty()) {
                Map<Long, Integer> loads = loads(touchedUsers);
                int columns = featureSet.onlineUserSchema().columns().size();
                for (long user : touchedUsers) {
                    UserRecord record = state.users.get(user);
                    if (record != null && stale(record)) {
                        record = null;
                    }
                    Object[] row = new Object[columns];
                    row[0] = in.projectId;
                    row[1] = user;
                    row[2] = t;
                    row[3] = record != null && record.member;
                    row[4] = record == null ? null : accessLevel(record);
                    row[5] = record == null || record.lastActivity == NONE ? null : record.lastActivity;
                    // The counts come from the tiles the row stores, evaluated as readers evaluate them later.
                    ReviewerCountTiles tiles = userTileLayout.capture(state.userCounts, user, t);
                    int[] counts = tiles.countsAt(t);
                    row[6] = counts[0];
                    row[7] = loads.get(user);
                    for (int i = 0; i < userOnlineColumns.length; i++) {
                        row[8 + i] = counts[1 + i];
                    }
                    row[columns - 1] = tiles.encode();
                    output.onlineUserRows().add(row);
                }
            }
            int pathColumns = featureSet.onlinePathSchema().columns().size();
            touchedPrefixes.forEach((user, prefixes) -> {
                for (String prefix : prefixes) {
                    long key = ReviewerPaths.key(user, ReviewerPaths.hash(prefix));
                    Object[] row = new Object[pathColumns];
                    row[0] = in.projectId;
                    row[1] = user;
                    row[2] = prefix;
                    row[3] = t;
                    ReviewerCountTiles tiles = pathTileLayout.capture(state.prefixCounts, key, t);
                    int[] counts = tiles.countsAt(t);
                    for (int i = 0; i < pathColumnMetric.length; i++) {
                        row[4 + i] = counts[i];
                    }
                    row[pathColumns - 1] = tiles.encode();
                    output.onlinePathRows().add(row);
                }
            });
            return output;
        }
    }

    private static Integer accessLevel(UserRecord record) {
        return record.member && record.accessLevel != NO_ACCESS_LEVEL ? record.accessLevel : null;
    }

    private static void addAll(TreeSet<Long> into, SortedLongSet values) {
        for (int i = 0; i < values.size(); i++) {
            into.add(values.get(i));
        }
    }
}
