package io.eventstream.features.reviewers;

import static io.eventstream.features.reviewers.ReviewerState.NONE;
import static io.eventstream.features.reviewers.ReviewerState.NO_ACCESS_LEVEL;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.config.ReviewerWindowedFeature;
import io.eventstream.features.events.OrderedInput;
import io.eventstream.features.reviewers.ReviewerState.BranchRecord;
import io.eventstream.features.reviewers.ReviewerState.Header;
import io.eventstream.features.reviewers.ReviewerState.MergeRequestRecord;
import io.eventstream.features.reviewers.ReviewerState.TileGroup;
import io.eventstream.features.reviewers.ReviewerState.UserRecord;
import io.eventstream.features.windows.SortedLongSet;
import io.eventstream.features.windows.TileSeries;
import io.eventstream.features.windows.WindowSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Computes reviewer features one event at a time from a project's {@link ReviewerState}: the whole
 * per-event work of the keyed function. An event reads the state entries it needs (its users, merge
 * requests, branch, tile keys; every user when it ranks candidates) once, and writes back those it
 * changed once, at its end, so a state kept per entry (Flink {@code MapState} on RocksDB) costs what
 * the event touches, not the size of the project.
 *
 * <p>Contract with the caller (the Flink keyed function, keyed by project): apply a project's inputs
 * in {@code (time, id)} order ({@link OrderedInput#compareOrder}); call {@link #expire} with a
 * watermark only once every input at or before it has been applied. Results then depend only on the
 * events, never on when expiry ran: every forgetting rule (project TTL, user records, idle branches,
 * merge requests after their grace period) is also checked against the event time when a record is
 * read, so expiry only reclaims memory.
 *
 * <p>The same work in two parts, for a job that spreads a busy project over subtasks
 * ({@code state.user_buckets}): {@link #applyProject} on the project's state (all but the path, prefix
 * and pair tiles) hands each user bucket with work a {@link ReviewerTileWork}, which
 * {@link #applyTiles} applies to the bucket's state (those tiles of the bucket's users) in the same
 * order; {@link #expireProject} and {@link #expireTiles} expire each. The rows are those of
 * {@link #apply}.
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
    /** Per project, the user buckets of the path, prefix and pair tiles ({@link #applyProject}): at least 1. */
    private final int buckets;

    // Tile layout: per group, the distinct hops (one tile series per key each) and their retentions.
    private final TileLayout userGroup;
    private final TileLayout pathGroup;
    private final TileLayout prefixGroup;
    private final TileLayout pairGroup;
    private final Map<TileGroup, TileLayout> groups = new EnumMap<>(TileGroup.class);
    /** The tile groups kept per user bucket; the project's state keeps the per-user group. */
    private static final Set<TileGroup> BUCKET_GROUPS = EnumSet.of(TileGroup.PATH, TileGroup.PREFIX, TileGroup.PAIR);

    private final int lookbackStructure;
    private final long compactionInterval;
    private final long layout;
    /**
     * The layout of the states of {@link #applyProject} and {@link #applyTiles}: the tile layout and the
     * number of buckets. A state of the other kind, or of another number of buckets, starts its tiles empty.
     */
    private final long splitLayout;

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

    /** The distinct hops of a group of windows, per hop the longest window length, and the metrics per tile. */
    private record TileLayout(long[] hops, long[] retentions, int metrics) {
        static TileLayout of(Collection<WindowSpec> windows, int metrics) {
            TreeMap<Long, Long> byHop = new TreeMap<>();
            for (WindowSpec w : windows) {
                byHop.merge(w.hopMillis(), w.lengthMillis(), Math::max);
            }
            return new TileLayout(
                    byHop.keySet().stream().mapToLong(Long::longValue).toArray(),
                    byHop.values().stream().mapToLong(Long::longValue).toArray(),
                    metrics);
        }

        int indexOf(WindowSpec window) {
            for (int i = 0; i < hops.length; i++) {
                if (hops[i] == window.hopMillis()) {
                    return i;
                }
            }
            throw new IllegalStateException("window " + window + " not in group");
        }

        /** A new key's series, one per hop, each keeping the tiles its longest window can touch. */
        TileSeries[] create() {
            TileSeries[] series = new TileSeries[hops.length];
            for (int i = 0; i < hops.length; i++) {
                series[i] = new TileSeries(metrics, retentions[i] / hops[i]);
            }
            return series;
        }

        /** Adds 1 to {@code metric} in the tile of {@code timeMillis} of every series of a key. */
        void add(TileSeries[] series, long timeMillis, int metric) {
            for (int i = 0; i < hops.length; i++) {
                int entry = series[i].entryFor(TileSeries.tileOf(timeMillis, hops[i]));
                if (entry >= 0) {
                    series[i].add(entry, metric, 1);
                }
            }
        }

        /** The sum of {@code metric} over the window of {@code lengthMillis} at {@code timeMillis} in one series. */
        long sum(TileSeries[] series, int structure, long timeMillis, long lengthMillis, int metric) {
            if (series == null) {
                return 0;
            }
            long hop = hops[structure];
            return series[structure].sum(TileSeries.tileOf(timeMillis, hop), lengthMillis / hop, metric);
        }

        /** Drops the tiles no window after {@code watermarkMillis} touches; true when one was dropped. */
        boolean expire(TileSeries[] series, long watermarkMillis) {
            boolean dropped = false;
            for (int i = 0; i < hops.length; i++) {
                int before = series[i].size();
                series[i].dropBefore(TileSeries.tileOf(watermarkMillis, hops[i]) - retentions[i] / hops[i]);
                dropped |= series[i].size() != before;
            }
            return dropped;
        }

        /** Whether an expiry at {@code watermarkMillis} can drop a tile starting at or after {@code oldestTime}. */
        boolean expiryDue(long oldestTime, long watermarkMillis) {
            if (oldestTime == Long.MAX_VALUE) {
                return false;
            }
            for (int i = 0; i < hops.length; i++) {
                long minTile = TileSeries.tileOf(watermarkMillis, hops[i]) - retentions[i] / hops[i];
                if (minTile > TileSeries.tileOf(oldestTime, hops[i])) {
                    return true;
                }
            }
            return false;
        }

        /** The start of the oldest tile of a key's series ({@link Long#MAX_VALUE} when all are empty). */
        long oldestTileStart(TileSeries[] series) {
            long oldest = Long.MAX_VALUE;
            for (int i = 0; i < hops.length; i++) {
                if (!series[i].isEmpty()) {
                    oldest = Math.min(oldest, series[i].tile(0) * hops[i]);
                }
            }
            return oldest;
        }

        static boolean allEmpty(TileSeries[] series) {
            for (TileSeries s : series) {
                if (!s.isEmpty()) {
                    return false;
                }
            }
            return true;
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
        this.buckets = Math.max(1, config.userBuckets());

        List<WindowSpec> userWindows = new ArrayList<>(List.of(lookback));
        userWindows.addAll(config.windowsOf(ReviewerWindowedFeature.REVIEWS));
        userWindows.addAll(config.windowsOf(ReviewerWindowedFeature.APPROVALS));
        userWindows.addAll(config.windowsOf(ReviewerWindowedFeature.MR_COMMENTS));
        List<WindowSpec> prefixWindows = new ArrayList<>(config.windowsOf(ReviewerWindowedFeature.PREFIX_COMMITS));
        prefixWindows.addAll(config.windowsOf(ReviewerWindowedFeature.PREFIX_REVIEWS));
        List<WindowSpec> pairWindows = new ArrayList<>(config.windowsOf(ReviewerWindowedFeature.REVIEWS_OF_AUTHOR));
        pairWindows.addAll(config.windowsOf(ReviewerWindowedFeature.REVIEWS_BY_AUTHOR));
        this.userGroup = TileLayout.of(userWindows, USER_METRICS);
        this.pathGroup = TileLayout.of(config.windowsOf(ReviewerWindowedFeature.PATH_COMMITS), 1);
        this.prefixGroup = TileLayout.of(prefixWindows, 2);
        this.pairGroup = TileLayout.of(pairWindows, 1);
        groups.put(TileGroup.USER, userGroup);
        groups.put(TileGroup.PATH, pathGroup);
        groups.put(TileGroup.PREFIX, prefixGroup);
        groups.put(TileGroup.PAIR, pairGroup);
        for (TileLayout group : groups.values()) {
            for (int i = 0; i < group.hops().length; i++) {
                if (group.hops()[i] <= 0 || group.retentions()[i] % group.hops()[i] != 0) {
                    throw new IllegalArgumentException("every window length must be a multiple of its hop");
                }
            }
        }
        this.lookbackStructure = userGroup.indexOf(lookback);
        long interval = lookback.hopMillis();
        for (TileLayout group : groups.values()) {
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
                default -> {}
            }
        }
        for (ReviewerWindowedFeature feature :
                List.of(ReviewerWindowedFeature.PREFIX_COMMITS, ReviewerWindowedFeature.PREFIX_REVIEWS)) {
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
        this.splitLayout = fingerprint(layoutDescription() + ";buckets " + buckets);
        userTileLayout.column(lookbackStructure, ACTIVITY, lookback.hopMillis(), lookback.lengthMillis());
        for (int column : userOnlineColumns) {
            int metric = switch (columnFeature[column]) {
                case REVIEWS -> REVIEWS;
                case APPROVALS -> APPROVALS;
                default -> COMMENTS;
            };
            userTileLayout.column(
                    columnStructure[column], metric, userGroup.hops()[columnStructure[column]], columnLength[column]);
        }
        for (int i = 0; i < pathColumnMetric.length; i++) {
            pathTileLayout.column(
                    pathColumnStructure[i],
                    pathColumnMetric[i],
                    prefixGroup.hops()[pathColumnStructure[i]],
                    pathColumnLength[i]);
        }
    }

    private TileLayout groupOf(ReviewerWindowedFeature feature) {
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

    /** A fresh in-memory state for a project without events. */
    public ReviewerProjectState newState() {
        return new ReviewerProjectState();
    }

    /**
     * Applies one input to its project's state and returns what it produced: candidate rows when an
     * MR is opened or an open MR's changed paths grow, label rows, and the online rows whose values
     * the event changed. The whole project in one state: what {@link #applyProject} and
     * {@link #applyTiles} do in two, without encoding the work between them.
     */
    public ReviewerOutput apply(ReviewerState state, ReviewerInput input) {
        ReviewerOutput output = applyProject(state, input, 1, layout);
        for (ReviewerTileWork work : output.tileWork()) {
            applyTiles(state, work, output, true);
        }
        output.tileWork().clear();
        return output;
    }

    /**
     * The project's part of {@link #apply}: applies one input to the project's state (records,
     * indexes, per-user tiles) and returns its label rows and online user rows, and per user bucket
     * with work the {@link ReviewerTileWork} that completes it: the path, prefix and pair tiles, the
     * candidate rows' columns read from them, and the online prefix rows. The project's candidate
     * rows are complete once every work of the event went through {@link #applyTiles} on its bucket's
     * state; each bucket's works must be applied in the order of their inputs.
     */
    public ReviewerOutput applyProject(ReviewerState state, ReviewerInput input) {
        return applyProject(state, input, buckets, splitLayout);
    }

    private ReviewerOutput applyProject(ReviewerState state, ReviewerInput input, int buckets, long layout) {
        long t = input.timeMillis;
        Header header = state.header();
        if (header.lastEventTime != NONE && t - header.lastEventTime > ttl) {
            state.clear();
            header = state.header();
        }
        if (header.layout != layout) {
            createTiles(state, header, layout);
        }
        if (t > header.lastEventTime) {
            header.lastEventTime = t;
        }
        Step step = new Step(state, header, input, buckets);
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
        ReviewerOutput output = step.finish();
        state.putHeader(header);
        return output;
    }

    /**
     * Applies one bucket's work ({@link #applyProject}) to the bucket's state (its users' path,
     * prefix and pair tiles) and returns the completed candidate rows and the online prefix rows.
     */
    public ReviewerOutput applyTiles(ReviewerState state, ReviewerTileWork work) {
        ReviewerOutput output = new ReviewerOutput();
        applyTiles(state, work, output, false);
        return output;
    }

    /** @param shared whether the bucket's tiles are in the project's own state, which {@link #applyProject} keeps */
    private void applyTiles(ReviewerState state, ReviewerTileWork work, ReviewerOutput output, boolean shared) {
        long t = work.timeMillis;
        Header header = state.header();
        if (!shared) {
            // A bucket without work for state.ttl holds only tiles no window reaches any more (state.ttl is at
            // least every window's reach), as the project's own state clears after state.ttl without events.
            if (header.lastEventTime != NONE && t - header.lastEventTime > ttl) {
                state.clear();
                header = state.header();
            }
            if (header.layout != splitLayout) {
                state.clearTiles();
                Arrays.fill(header.oldestTileTimes, Long.MAX_VALUE);
                header.layout = splitLayout;
            }
            if (t > header.lastEventTime) {
                header.lastEventTime = t;
            }
        }
        Tiles tiles = new Tiles(state, header, t);
        for (int i = 0; i < work.increments(); i++) {
            tiles.add(work.tileGroup(i), work.tileKey(i), work.tileMetric(i));
        }
        for (ReviewerTileWork.Emission emission : work.emissions()) {
            for (int r = 0; r < emission.rows().size(); r++) {
                Object[] row = emission.rows().get(r);
                long user = emission.candidates().get(r);
                for (int i = 0; i < columnFeature.length; i++) {
                    if (inBucket(columnFeature[i])) {
                        row[ReviewerFeatureSet.FIXED_COLUMNS + i] = windowed(
                                i, tiles, user, emission.author(), emission.pathHashes(), emission.prefixHashes());
                    }
                }
                output.candidateRows().add(row);
            }
        }
        int pathColumns = featureSet.onlinePathSchema().columns().size();
        for (int p = 0; p < work.prefixCount(); p++) {
            long user = work.prefixUser(p);
            String prefix = work.prefix(p);
            Object[] row = new Object[pathColumns];
            row[0] = work.projectId;
            row[1] = user;
            row[2] = prefix;
            row[3] = t;
            ReviewerCountTiles counts = pathTileLayout.capture(
                    tiles.get(TileGroup.PREFIX, ReviewerPaths.key(user, ReviewerPaths.hash(prefix))), t);
            int[] values = counts.countsAt(t);
            for (int i = 0; i < pathColumnMetric.length; i++) {
                row[4 + i] = values[i];
            }
            row[pathColumns - 1] = counts.encode();
            output.onlinePathRows().add(row);
        }
        tiles.flush();
        state.putHeader(header);
    }

    /** Whether a windowed feature is read from the user buckets' tiles, not the project's. */
    private static boolean inBucket(ReviewerWindowedFeature feature) {
        return switch (feature) {
            case REVIEWS, APPROVALS, MR_COMMENTS -> false;
            case PATH_COMMITS, PREFIX_COMMITS, PREFIX_REVIEWS, REVIEWS_OF_AUTHOR, REVIEWS_BY_AUTHOR -> true;
        };
    }

    /** The bucket of a user's path, prefix and pair tiles among {@code buckets}. */
    private static int bucketOf(long user, int buckets) {
        return (int) Math.floorMod(ReviewerPaths.mix(user), (long) buckets);
    }

    /**
     * Reclaims what no event after {@code watermarkMillis} can see: merge requests past their grace
     * period or idle for state.ttl, idle branches, stale user records, tiles older than every window.
     * Returns true when the whole state may be cleared (empty, or no event for state.ttl). Call only
     * when no input at or before the watermark is still to be applied (with allowed lateness, pass the
     * watermark minus the lateness). Visits every entry of the state.
     */
    public boolean expire(ReviewerState state, long watermarkMillis) {
        return expire(state, watermarkMillis, true, EnumSet.allOf(TileGroup.class));
    }

    /** {@link #expire} of a project's state that {@link #applyProject} keeps. */
    public boolean expireProject(ReviewerState state, long watermarkMillis) {
        return expire(state, watermarkMillis, true, EnumSet.of(TileGroup.USER));
    }

    /** {@link #expire} of a bucket's state that {@link #applyTiles} keeps: tiles only. */
    public boolean expireTiles(ReviewerState state, long watermarkMillis) {
        return expire(state, watermarkMillis, false, BUCKET_GROUPS);
    }

    private boolean expire(ReviewerState state, long watermarkMillis, boolean records, Set<TileGroup> tileGroups) {
        Header header = state.header();
        if (header.isEmpty() || watermarkMillis - header.lastEventTime >= ttl) {
            return true;
        }
        if (records) {
            expireRecords(state, watermarkMillis);
        }
        for (TileGroup group : tileGroups) {
            TileLayout tiles = groups.get(group);
            if (!tiles.expiryDue(header.oldestTileTimes[group.ordinal()], watermarkMillis)) {
                continue; // no stored tile is older than what the windows still need: nothing to drop
            }
            long oldest = Long.MAX_VALUE;
            for (Iterator<Map.Entry<Long, TileSeries[]>> it = state.tiles(group); it.hasNext(); ) {
                Map.Entry<Long, TileSeries[]> entry = it.next();
                TileSeries[] series = entry.getValue();
                boolean dropped = tiles.expire(series, watermarkMillis);
                if (TileLayout.allEmpty(series)) {
                    it.remove();
                    continue;
                }
                if (dropped) {
                    entry.setValue(series);
                }
                oldest = Math.min(oldest, tiles.oldestTileStart(series));
            }
            header.oldestTileTimes[group.ordinal()] = oldest;
        }
        header.compactedAt = watermarkMillis;
        state.putHeader(header);
        return false;
    }

    private void expireRecords(ReviewerState state, long watermarkMillis) {
        // An event after the watermark has t > watermark, so these records are stale for it already.
        for (Iterator<Map.Entry<Long, MergeRequestRecord>> it = state.mergeRequests(); it.hasNext(); ) {
            Map.Entry<Long, MergeRequestRecord> entry = it.next();
            MergeRequestRecord m = entry.getValue();
            if ((m.closedAt != NONE && watermarkMillis >= m.closedAt + grace) || watermarkMillis - m.lastTouch >= ttl) {
                it.remove();
                unindex(state, entry.getKey(), m);
            }
        }
        for (Iterator<Map.Entry<String, BranchRecord>> it = state.branches(); it.hasNext(); ) {
            if (watermarkMillis - it.next().getValue().lastPush >= ttl) {
                it.remove();
            }
        }
        for (Iterator<Map.Entry<Long, UserRecord>> it = state.users(); it.hasNext(); ) {
            UserRecord u = it.next().getValue();
            if (!u.member && watermarkMillis - u.lastTouch >= ttl) {
                it.remove();
            }
        }
    }

    /** Removes a removed merge request {@code iid} from the indexes. */
    private static void unindex(ReviewerState state, long iid, MergeRequestRecord m) {
        for (int i = 0; i < m.reviewers.size(); i++) {
            long reviewer = m.reviewers.get(i);
            SortedLongSet iids = state.reviewerIndex(reviewer);
            if (iids != null && iids.remove(iid)) {
                indexStore(state::putReviewerIndex, state::removeReviewerIndex).accept(reviewer, iids);
            }
        }
        if (m.joinsBranch) {
            SortedLongSet iids = state.branchIndex(m.sourceBranch);
            if (iids != null && iids.remove(iid)) {
                indexStore(state::putBranchIndex, state::removeBranchIndex).accept(m.sourceBranch, iids);
            }
        }
    }

    /** How an index entry is stored: one left empty is removed, so an index never holds an empty entry. */
    private static <K> BiConsumer<K, SortedLongSet> indexStore(BiConsumer<K, SortedLongSet> put, Consumer<K> remove) {
        return (key, iids) -> {
            if (iids.size() == 0) {
                remove.accept(key);
            } else {
                put.accept(key, iids);
            }
        };
    }

    /**
     * The next watermark at which {@link #expire} has work: one compaction interval (the longest hop)
     * after the last expiry (or the last event when none ran yet), and no later than the point where
     * the whole state can be cleared. Register an event-time timer for it; when {@link #expire}
     * returns false, register the new value again. {@link Long#MIN_VALUE} for an empty state.
     */
    public long expiryWatermark(ReviewerState state) {
        Header header = state.header();
        if (header.isEmpty()) {
            return Long.MIN_VALUE;
        }
        long clearAt = saturatedAdd(header.lastEventTime, ttl);
        long base = header.compactedAt == NONE ? header.lastEventTime : header.compactedAt;
        return Math.min(clearAt, saturatedAdd(base, compactionInterval));
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** Starts the tiles of a new layout empty (the records stay). */
    private static void createTiles(ReviewerState state, Header header, long layout) {
        state.clearTiles();
        Arrays.fill(header.oldestTileTimes, Long.MAX_VALUE);
        for (Iterator<Map.Entry<Long, UserRecord>> it = state.users(); it.hasNext(); ) {
            Map.Entry<Long, UserRecord> entry = it.next();
            UserRecord record = entry.getValue();
            if (record.lookbackTile != NONE) {
                record.lookbackTile = NONE;
                entry.setValue(record);
            }
        }
        header.layout = layout;
    }

    private long layoutFingerprint() {
        return fingerprint(layoutDescription());
    }

    private String layoutDescription() {
        return "users " + userGroup.describe() + USER_METRICS + ";paths " + pathGroup.describe() + ";prefixes "
                + prefixGroup.describe() + ";pairs " + pairGroup.describe();
    }

    private static long fingerprint(String description) {
        long hash = ReviewerPaths.hash(description);
        return hash == 0 ? 1 : hash;
    }

    // ---------------------------------------------------------------- one event

    /**
     * The entries of one map of the state that an event read, and which of them it changed or removed:
     * each read from the state once, and written back once by {@link #flush}.
     */
    private static final class Entries<K, V> {
        private final Function<K, V> load;
        private final BiConsumer<K, V> store;
        private final Consumer<K> delete;
        private final Map<K, V> read = new HashMap<>();
        private final Set<K> changed = new HashSet<>();

        Entries(Function<K, V> load, BiConsumer<K, V> store, Consumer<K> delete) {
            this.load = load;
            this.store = store;
            this.delete = delete;
        }

        /** The entry's value (null when absent); the caller calls {@link #changed} if it changes it. */
        V get(K key) {
            V value = read.get(key);
            if (value == null && !read.containsKey(key)) {
                value = load.apply(key);
                read.put(key, value);
            }
            return value;
        }

        /** The value this event already holds for the key, or null (nothing is read). */
        V held(K key) {
            return read.get(key);
        }

        void put(K key, V value) {
            read.put(key, value);
            changed.add(key);
        }

        void changed(K key) {
            changed.add(key);
        }

        void remove(K key) {
            read.put(key, null);
            changed.add(key);
        }

        void flush() {
            for (K key : changed) {
                V value = read.get(key);
                if (value == null) {
                    delete.accept(key);
                } else {
                    store.accept(key, value);
                }
            }
            changed.clear();
        }
    }

    /** The tile entries one event (or one bucket's work) read: each read once and written back once. */
    private final class Tiles {
        private final ReviewerState state;
        private final Header header;
        private final long t;
        private final Map<TileGroup, Entries<Long, TileSeries[]>> entries = new EnumMap<>(TileGroup.class);

        Tiles(ReviewerState state, Header header, long t) {
            this.state = state;
            this.header = header;
            this.t = t;
        }

        private Entries<Long, TileSeries[]> of(TileGroup group) {
            Entries<Long, TileSeries[]> held = entries.get(group);
            if (held == null) {
                held = new Entries<>(
                        key -> state.tiles(group, key), (key, series) -> state.putTiles(group, key, series), key -> {
                            throw new IllegalStateException("tiles are removed by expiry only");
                        });
                entries.put(group, held);
            }
            return held;
        }

        TileSeries[] get(TileGroup group, long key) {
            return of(group).get(key);
        }

        /** Adds 1 to {@code metric} of {@code key} in every structure of {@code group}. */
        void add(TileGroup group, long key, int metric) {
            Entries<Long, TileSeries[]> held = of(group);
            TileSeries[] series = held.get(key);
            if (series == null) {
                series = groups.get(group).create();
            }
            groups.get(group).add(series, t, metric);
            held.put(key, series);
            int g = group.ordinal();
            header.oldestTileTimes[g] = Math.min(header.oldestTileTimes[g], t);
        }

        long sum(TileGroup group, int structure, long key, long lengthMillis, int metric) {
            return groups.get(group).sum(get(group, key), structure, t, lengthMillis, metric);
        }

        void flush() {
            entries.values().forEach(Entries::flush);
        }
    }

    /** A candidate's windowed column {@code column} as of the tiles' time. */
    private Integer windowed(int column, Tiles tiles, long user, long author, long[] pathHashes, long[] prefixHashes) {
        int s = columnStructure[column];
        long length = columnLength[column];
        long value = 0;
        switch (columnFeature[column]) {
            case REVIEWS -> value = tiles.sum(TileGroup.USER, s, user, length, REVIEWS);
            case APPROVALS -> value = tiles.sum(TileGroup.USER, s, user, length, APPROVALS);
            case MR_COMMENTS -> value = tiles.sum(TileGroup.USER, s, user, length, COMMENTS);
            case PATH_COMMITS -> {
                for (long hash : pathHashes) {
                    value += tiles.sum(TileGroup.PATH, s, ReviewerPaths.key(user, hash), length, 0);
                }
            }
            case PREFIX_COMMITS, PREFIX_REVIEWS -> {
                int metric = columnFeature[column] == ReviewerWindowedFeature.PREFIX_COMMITS
                        ? PREFIX_COMMITS
                        : PREFIX_REVIEWS;
                for (long hash : prefixHashes) {
                    value += tiles.sum(TileGroup.PREFIX, s, ReviewerPaths.key(user, hash), length, metric);
                }
            }
            case REVIEWS_OF_AUTHOR -> {
                if (author == NONE) {
                    return null;
                }
                value = tiles.sum(TileGroup.PAIR, s, ReviewerPaths.pairKey(user, author), length, 0);
            }
            case REVIEWS_BY_AUTHOR -> {
                if (author == NONE) {
                    return null;
                }
                value = tiles.sum(TileGroup.PAIR, s, ReviewerPaths.pairKey(author, user), length, 0);
            }
        }
        return (int) value;
    }

    /** The work of one event: the state entries it read, the input, and what it produced so far. */
    private final class Step {
        private final ReviewerState state;
        private final Header header;
        private final ReviewerInput in;
        private final long t;
        private final ReviewerOutput output = new ReviewerOutput();
        private final TreeSet<Long> touchedUsers = new TreeSet<>();
        private final TreeMap<Long, TreeSet<String>> touchedPrefixes = new TreeMap<>();
        private final Entries<Long, UserRecord> users;
        private final Entries<Long, MergeRequestRecord> mergeRequests;
        private final Entries<String, BranchRecord> branches;
        private final Entries<Long, SortedLongSet> reviewerIndex;
        private final Entries<String, SortedLongSet> branchIndex;
        private final Tiles tiles;
        private final int buckets;
        /** Per user bucket with work, its work (in bucket order). */
        private final TreeMap<Integer, ReviewerTileWork> work = new TreeMap<>();

        Step(ReviewerState state, Header header, ReviewerInput in, int buckets) {
            this.state = state;
            this.header = header;
            this.in = in;
            this.t = in.timeMillis;
            this.buckets = buckets;
            this.tiles = new Tiles(state, header, t);
            users = new Entries<>(state::user, state::putUser, state::removeUser);
            mergeRequests = new Entries<>(state::mergeRequest, state::putMergeRequest, state::removeMergeRequest);
            branches = new Entries<>(state::branch, state::putBranch, state::removeBranch);
            reviewerIndex = new Entries<>(
                    state::reviewerIndex,
                    indexStore(state::putReviewerIndex, state::removeReviewerIndex),
                    state::removeReviewerIndex);
            branchIndex = new Entries<>(
                    state::branchIndex,
                    indexStore(state::putBranchIndex, state::removeBranchIndex),
                    state::removeBranchIndex);
        }

        /** The work of {@code user}'s bucket for this event. */
        private ReviewerTileWork workOf(long user) {
            return work.computeIfAbsent(
                    bucketOf(user, buckets), b -> new ReviewerTileWork(in.projectId, b, in.eventId, t));
        }

        /** Adds 1 to {@code metric} of {@code key} in {@code group}, a group of {@code user}'s bucket. */
        private void addBucketTile(TileGroup group, long user, long key, int metric) {
            workOf(user).addTile(group, key, metric);
        }

        /** Writes back every entry this event changed. */
        private void flush() {
            users.flush();
            mergeRequests.flush();
            branches.flush();
            reviewerIndex.flush();
            branchIndex.flush();
            tiles.flush();
        }

        void push() {
            BranchRecord branch = liveBranch(in.branch);
            if (in.branchDeleted) {
                branches.remove(in.branch);
                branch = null;
            } else if (branch == null || in.branchCreated) {
                branch = new BranchRecord();
            }
            TreeSet<String> pushPaths =
                    new TreeSet<>(Arrays.asList(in.commitPaths == null ? new String[0] : in.commitPaths));
            boolean pushTruncated = in.commitsTruncated();
            if (branch != null) {
                branch.lastPush = t;
                if (addCapped(branch.paths, pushPaths) || pushTruncated) {
                    branch.truncated = true;
                }
                branches.put(in.branch, branch);
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
                        addBucketTile(TileGroup.PATH, user, ReviewerPaths.key(user, ReviewerPaths.hash(path)), 0);
                        ReviewerPaths.prefixes(path, depth, prefixes);
                    }
                    offset += in.commitPathCounts[c];
                    for (String prefix : prefixes) {
                        addBucketTile(
                                TileGroup.PREFIX,
                                user,
                                ReviewerPaths.key(user, ReviewerPaths.hash(prefix)),
                                PREFIX_COMMITS);
                        touchedPrefixes
                                .computeIfAbsent(user, u -> new TreeSet<>())
                                .add(prefix);
                    }
                }
            }
            if (in.branchDeleted) {
                return;
            }
            SortedLongSet iids = branchIndex.get(in.branch);
            for (int i = 0; iids != null && i < iids.size(); i++) {
                long iid = iids.get(i);
                MergeRequestRecord m = mergeRequests.get(iid);
                if (m == null || !m.isOpen() || stale(m)) {
                    continue;
                }
                int before = m.paths.size();
                if (addCapped(m.paths, pushPaths) || pushTruncated) {
                    m.truncated = true;
                }
                mergeRequests.changed(iid);
                if (m.paths.size() > before && m.opened && emitOnGrowth) {
                    emit(iid, m, ReviewerFeatureSet.TRIGGER_PATHS_GREW);
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
                if (m.joinsBranch) {
                    SortedLongSet iids = branchIndex.get(m.sourceBranch);
                    if (iids == null) {
                        iids = new SortedLongSet();
                    }
                    iids.add(in.mrIid);
                    branchIndex.put(m.sourceBranch, iids);
                }
            }
            mergeRequests.put(in.mrIid, m);
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
                long[] previous =
                        created && in.previousReviewerIds != null ? in.previousReviewerIds : m.reviewers.toArray();
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
                for (long reviewer : m.reviewers.toArray()) {
                    if (Arrays.binarySearch(in.reviewerIds, reviewer) < 0) {
                        SortedLongSet iids = reviewerIndex.get(reviewer);
                        if (iids != null && iids.remove(in.mrIid)) {
                            reviewerIndex.changed(reviewer);
                        }
                    }
                }
                m.reviewers.clear();
                for (long reviewer : in.reviewerIds) {
                    m.reviewers.add(reviewer);
                    SortedLongSet iids = reviewerIndex.get(reviewer);
                    if (iids == null) {
                        iids = new SortedLongSet();
                    }
                    if (iids.add(in.mrIid)) {
                        reviewerIndex.put(reviewer, iids);
                    }
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
                default -> {}
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
                mergeRequests.changed(in.mrIid);
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
            UserRecord record = touchUser(in.userId, false); // marked changed
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
                // Both users' buckets count the pair: the reviewer's reads it as reviews_of_author, the author's
                // as reviews_by_author (a candidate's columns are all read in the candidate's bucket).
                long pair = ReviewerPaths.pairKey(user, m.authorId);
                addBucketTile(TileGroup.PAIR, user, pair, 0);
                if (bucketOf(m.authorId, buckets) != bucketOf(user, buckets)) {
                    addBucketTile(TileGroup.PAIR, m.authorId, pair, 0);
                }
            }
            for (String prefix : ReviewerPaths.prefixesOf(m.paths, depth)) {
                addBucketTile(
                        TileGroup.PREFIX, user, ReviewerPaths.key(user, ReviewerPaths.hash(prefix)), PREFIX_REVIEWS);
                touchedPrefixes.computeIfAbsent(user, u -> new TreeSet<>()).add(prefix);
            }
            label(user, REVIEWED);
        }

        private void label(long user, String kind) {
            output.labelRows().add(new Object[] {in.projectId, in.mrIid, user, t, kind, in.eventId});
        }

        private void addUser(long user, int metric) {
            if (metric == ACTIVITY) {
                UserRecord record = users.get(user);
                if (record != null && record.lookbackTile != NONE) {
                    record.lookbackTile = NONE;
                    users.changed(user);
                }
            }
            tiles.add(TileGroup.USER, user, metric);
        }

        private UserRecord touchUser(long user, boolean activity) {
            UserRecord record = users.get(user);
            if (record != null && stale(record)) {
                record = null;
            }
            if (record == null) {
                record = new UserRecord();
                record.firstSeen = t;
            }
            users.put(user, record);
            record.lastTouch = t;
            if (activity) {
                record.lastActivity = t;
            }
            return record;
        }

        private MergeRequestRecord liveMergeRequest(long iid) {
            MergeRequestRecord m = mergeRequests.get(iid);
            if (m != null && stale(m)) {
                mergeRequests.remove(iid);
                for (int i = 0; i < m.reviewers.size(); i++) {
                    long reviewer = m.reviewers.get(i);
                    SortedLongSet iids = reviewerIndex.get(reviewer);
                    if (iids != null && iids.remove(iid)) {
                        reviewerIndex.changed(reviewer);
                    }
                }
                if (m.joinsBranch) {
                    SortedLongSet iids = branchIndex.get(m.sourceBranch);
                    if (iids != null && iids.remove(iid)) {
                        branchIndex.changed(m.sourceBranch);
                    }
                }
                return null;
            }
            return m;
        }

        private BranchRecord liveBranch(String name) {
            BranchRecord branch = branches.get(name);
            if (branch != null && t - branch.lastPush > ttl) {
                branches.remove(name);
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

        /**
         * The user's activity in the lookback window; {@code ranked} is the record the ranking reads, which
         * is read-only (see {@link ReviewerState#usersToRank}).
         */
        private long lookbackActivity(long user, UserRecord ranked) {
            // Within one tile of the lookback window the sum only changes when the user has new activity, which
            // drops the user's cached value: a busy project's many emissions per day reuse the sums.
            long tile = Math.floorDiv(t, lookback.hopMillis());
            if (ranked.lookbackTile == tile) {
                return ranked.lookbackSum;
            }
            long sum = tiles.sum(TileGroup.USER, lookbackStructure, user, lookback.lengthMillis(), ACTIVITY);
            // The cache goes into the record this event reads from the store, never into the ranked one.
            UserRecord owned = users.get(user);
            owned.lookbackSum = sum;
            owned.lookbackTile = tile;
            users.changed(user);
            return sum;
        }

        /**
         * Open review load of the given users: per user, the merge requests that list them as a reviewer
         * (through the state's reviewer index), open, not stale, not approved by them.
         */
        private Map<Long, Integer> loads(Collection<Long> userIds) {
            Map<Long, Integer> loads = new HashMap<>();
            for (Long user : userIds) {
                int load = 0;
                SortedLongSet iids = reviewerIndex.get(user);
                for (int i = 0; iids != null && i < iids.size(); i++) {
                    MergeRequestRecord m = mergeRequests.get(iids.get(i));
                    if (m != null && m.isOpen() && !stale(m) && !m.approvers.contains(user)) {
                        load++;
                    }
                }
                loads.put(user, load);
            }
            return loads;
        }

        /** Emits one row per candidate for the MR, as of this event. */
        private void emit(long iid, MergeRequestRecord m, String trigger) {
            long start = lookback.startMillis(t);
            ReviewerCandidateOrder.Best best = new ReviewerCandidateOrder.Best(maxCandidates);
            users.flush(); // the scan reads the stored users: they must include this event's changes
            for (Iterator<Map.Entry<Long, UserRecord>> it = state.usersToRank(); it.hasNext(); ) {
                Map.Entry<Long, UserRecord> entry = it.next();
                long user = entry.getKey();
                UserRecord held = users.held(user);
                UserRecord record = held != null ? held : entry.getValue();
                if (stale(record)) {
                    continue;
                }
                if (m.authorId != NONE && user == m.authorId) {
                    continue;
                }
                // Activity in the window implies a last activity at or after its start.
                long activity = record.lastActivity != NONE && record.lastActivity >= start
                        ? lookbackActivity(user, record)
                        : 0;
                if (record.member || activity > 0) {
                    long last = record.lastActivity == NONE ? ReviewerCandidateOrder.NO_ACTIVITY : record.lastActivity;
                    best.offer(user, activity, last);
                }
            }
            List<ReviewerCandidateOrder.Candidate> chosen = best.ranked();
            List<Long> ids = new ArrayList<>();
            chosen.forEach(c -> ids.add(c.userId()));
            Map<Long, Integer> loads = loads(ids);

            TreeSet<String> prefixes = ReviewerPaths.prefixesOf(m.paths, depth);
            long[] pathHashes = m.paths.stream().mapToLong(ReviewerPaths::hash).toArray();
            long[] prefixHashes =
                    prefixes.stream().mapToLong(ReviewerPaths::hash).toArray();
            UserRecord author = m.authorId == NONE ? null : users.get(m.authorId);
            Long tenure = author == null || stale(author) ? null : Math.floorDiv(t - author.firstSeen, DAY);
            int columns = featureSet.candidateSchema().columns().size();
            ReviewerTileWork.Emission emission =
                    new ReviewerTileWork.Emission(m.authorId, pathHashes, prefixHashes, List.of(), List.of());
            for (int rank = 0; rank < chosen.size(); rank++) {
                long user = chosen.get(rank).userId();
                UserRecord record = users.get(user);
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
                row[ReviewerFeatureSet.LOOKBACK_ACTIVITY] =
                        (int) chosen.get(rank).lookbackActivity();
                row[ReviewerFeatureSet.OPEN_REVIEW_LOAD] = loads.get(user);
                for (int i = 0; i < columnFeature.length; i++) {
                    if (!inBucket(columnFeature[i])) { // the others are filled in by the candidate's bucket
                        row[ReviewerFeatureSet.FIXED_COLUMNS + i] =
                                windowed(i, tiles, user, m.authorId, pathHashes, prefixHashes);
                    }
                }
                // Even without a column of the bucket's the row goes through it: candidate rows come from one place.
                workOf(user).addCandidate(emission, user, row);
            }
        }

        ReviewerOutput finish() {
            if (!touchedUsers.isEmpty()) {
                Map<Long, Integer> loads = loads(touchedUsers);
                int columns = featureSet.onlineUserSchema().columns().size();
                for (long user : touchedUsers) {
                    UserRecord record = users.get(user);
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
                    ReviewerCountTiles tiles = userTileLayout.capture(this.tiles.get(TileGroup.USER, user), t);
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
            touchedPrefixes.forEach((user, prefixes) -> {
                for (String prefix : prefixes) {
                    workOf(user).addPrefix(user, prefix);
                }
            });
            flush();
            output.tileWork().addAll(work.values());
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
