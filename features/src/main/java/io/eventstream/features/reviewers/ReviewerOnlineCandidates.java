package io.eventstream.features.reviewers;

import io.eventstream.features.config.ReviewerWindowedFeature;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Candidate reviewers for a new merge request from the rows of the reviewer job's online tables,
 * by the job's own rules (the prefix rule of {@link ReviewerPaths}, the candidate order
 * {@link ReviewerCandidateOrder}), so that a served model sees the columns it was trained on:
 * <ol>
 *   <li>candidates: the project's {@code reviewer_project_user_features} rows except the author's,
 *       of users who are members or have {@code lookback_activity > 0};</li>
 *   <li>ordered by {@code lookback_activity} desc, {@code last_activity_time} desc (null last),
 *       {@code user_id} asc; the first {@code candidates.max} kept, ranked 1..K;</li>
 *   <li>{@code prefix_commits_<w>} / {@code prefix_reviews_<w>}: the sums of {@code commits_<w>} /
 *       {@code reviews_<w>} of the candidate's {@code reviewer_project_user_path_features} rows over the
 *       MR's directory prefixes (depth {@code paths.prefix_depth}), a missing row counting 0;</li>
 *   <li>{@code days_since_last_activity}: whole days from {@code last_activity_time} to {@code now}
 *       (floor; null without activity); the other user values as stored.</li>
 * </ol>
 * Every windowed count ({@code lookback_activity}, the user's {@code reviews_*}, {@code approvals_*},
 * {@code mr_comments_*}, each path row's {@code commits_*}, {@code reviews_*}) is taken <b>as of
 * {@code now}</b> first, from the row's {@code count_tiles} ({@link #asOf}): what left its window
 * by {@code now} is dropped, before steps 1 and 2 use {@code lookback_activity}. A row newer than
 * {@code now} (a lagging clock) is read as of its own {@code event_time}. Membership, access level,
 * load and last activity are as of the row's {@code event_time} (reported as {@code as_of_time}):
 * they change only with events. No store access here: the caller reads the rows. Immutable and
 * thread-safe.
 */
public final class ReviewerOnlineCandidates {

    /** Output column: event time of the candidate's (project, user) row. */
    public static final String AS_OF_TIME = "as_of_time";

    private static final List<String> USER_COLUMNS =
            List.of("is_member", "access_level", "days_since_last_activity", "lookback_activity", "open_review_load");

    private final ReviewerFeatureSet featureSet;
    private final int depth;
    private final int maxCandidates;
    private final List<Column> columns;
    private final List<WindowedSource> windowed = new ArrayList<>();

    /**
     * Where a windowed output column comes from: the user row's column of the same name, or (when
     * {@code pathColumn} is set) the sum of that path-table column over the MR's prefixes.
     */
    private record WindowedSource(String name, String pathColumn) {}

    public ReviewerOnlineCandidates(ReviewerFeatureSet featureSet) {
        this.featureSet = featureSet;
        this.depth = featureSet.config().prefixDepth();
        this.maxCandidates = featureSet.config().maxCandidates();
        DatasetSchema rows = featureSet.candidateSchema();
        List<Column> out = new ArrayList<>();
        for (String name : List.of(
                "project_id",
                "author_id",
                "candidate_id",
                "candidate_rank",
                "changed_path_count",
                "path_prefix_count")) {
            out.add(rows.columns().get(rows.indexOf(name)));
        }
        USER_COLUMNS.forEach(name -> out.add(rows.columns().get(rows.indexOf(name))));
        for (ReviewerFeatureSet.WindowedColumn column : featureSet.windowedColumns()) {
            ReviewerWindowedFeature feature = column.feature();
            String window = column.window().name();
            switch (feature) {
                case REVIEWS, APPROVALS, MR_COMMENTS -> windowed.add(new WindowedSource(column.name(), null));
                case PREFIX_COMMITS -> windowed.add(new WindowedSource(column.name(), "commits_" + window));
                case PREFIX_REVIEWS -> windowed.add(new WindowedSource(column.name(), "reviews_" + window));
                // Exact-path commits and author pair counts are not in the online tables.
                case PATH_COMMITS, REVIEWS_OF_AUTHOR, REVIEWS_BY_AUTHOR -> {
                    continue;
                }
            }
            out.add(rows.columns().get(rows.indexOf(column.name())));
        }
        out.add(Column.required(
                AS_OF_TIME,
                ColumnType.TIMESTAMP_MILLIS,
                "event_time of the candidate's reviewer_project_user_features row: is_member, access_level and "
                        + "open_review_load are as of it; the windowed counts are as of the request time."));
        this.columns = List.copyOf(out);
    }

    public ReviewerFeatureSet featureSet() {
        return featureSet;
    }

    /** The columns of every candidate, in output order; names and types as in {@code reviewer_candidates}. */
    public List<Column> columns() {
        return columns;
    }

    /** The MR's distinct directory prefixes at depths 1..{@code paths.prefix_depth}, sorted. */
    public TreeSet<String> prefixes(Collection<String> changedPaths) {
        return ReviewerPaths.prefixesOf(changedPaths, depth);
    }

    /**
     * The candidates for an MR of {@code authorId} in {@code projectId}, best first.
     *
     * @param projectUserRows  the project's live {@code reviewer_project_user_features} rows (column
     *                         name to value, as {@code OnlineTableReader} returns them); rows of other
     *                         projects are ignored
     * @param pathRows         reads {@code reviewer_project_user_path_features} rows by key
     *                         (project_id, user_id, path_prefix); absent keys left out
     * @param changedPaths     the MR's changed paths (repository-relative, {@code /}-separated)
     * @param now              the request time: the windowed counts and {@code days_since_last_activity} are as of it
     */
    public List<CandidateFeatures> candidates(
            long projectId,
            long authorId,
            Collection<Map<String, Object>> projectUserRows,
            Function<Collection<List<Object>>, Map<List<Object>, Map<String, Object>>> pathRows,
            Collection<String> changedPaths,
            Instant now) {
        Objects.requireNonNull(now, "now");
        for (String path : changedPaths) {
            Objects.requireNonNull(path, "a changed path is null");
        }
        long nowMillis = now.toEpochMilli();
        List<Map<String, Object>> usersNow = new ArrayList<>(projectUserRows.size());
        for (Map<String, Object> row : projectUserRows) {
            usersNow.add(asOf(row, featureSet.onlineUserCountColumns(), nowMillis));
        }
        List<Map<String, Object>> chosen = select(projectId, authorId, usersNow);
        TreeSet<String> prefixes = prefixes(changedPaths);
        List<List<Object>> keys = new ArrayList<>(chosen.size() * prefixes.size());
        for (Map<String, Object> user : chosen) {
            for (String prefix : prefixes) {
                keys.add(List.of(projectId, user.get("user_id"), prefix));
            }
        }
        Map<List<Object>, Map<String, Object>> found = new LinkedHashMap<>();
        if (!keys.isEmpty()) {
            pathRows.apply(keys)
                    .forEach((key, row) -> found.put(key, asOf(row, featureSet.onlinePathCountColumns(), nowMillis)));
        }
        int pathCount = new TreeSet<>(changedPaths).size();
        List<CandidateFeatures> candidates = new ArrayList<>(chosen.size());
        for (int rank = 1; rank <= chosen.size(); rank++) {
            Map<String, Object> user = chosen.get(rank - 1);
            long userId = (Long) user.get("user_id");
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("project_id", projectId);
            values.put("author_id", authorId);
            values.put("candidate_id", userId);
            values.put("candidate_rank", rank);
            values.put("changed_path_count", pathCount);
            values.put("path_prefix_count", prefixes.size());
            values.put("is_member", user.get("is_member"));
            values.put("access_level", user.get("access_level"));
            Long last = (Long) user.get("last_activity_time");
            values.put(
                    "days_since_last_activity",
                    last == null ? null : Math.floorDiv(nowMillis - last, ReviewerFeatureEngine.DAY));
            values.put("lookback_activity", user.get("lookback_activity"));
            values.put("open_review_load", user.get("open_review_load"));
            for (WindowedSource column : windowed) {
                if (column.pathColumn() == null) {
                    values.put(column.name(), user.get(column.name()));
                    continue;
                }
                int total = 0;
                for (String prefix : prefixes) {
                    Map<String, Object> row = found.get(List.of(projectId, userId, prefix));
                    total += row == null ? 0 : (Integer) row.get(column.pathColumn());
                }
                values.put(column.name(), total);
            }
            values.put(AS_OF_TIME, user.get("event_time"));
            candidates.add(new CandidateFeatures(userId, rank, Collections.unmodifiableMap(values)));
        }
        return candidates;
    }

    /**
     * An online row of either reviewer table with its windowed counts as of {@code nowMillis} (or of
     * its {@code event_time} when that is later), computed from its {@code count_tiles}: the other
     * columns as stored.
     *
     * @param countColumns  {@link ReviewerFeatureSet#onlineUserCountColumns()} or {@link ReviewerFeatureSet#onlinePathCountColumns()}
     * @throws IllegalArgumentException when {@code count_tiles} is missing, corrupt or of another layout
     */
    public static Map<String, Object> asOf(Map<String, Object> row, List<String> countColumns, long nowMillis) {
        Object encoded = row.get(ReviewerFeatureSet.COUNT_TILES);
        if (!(encoded instanceof String text)) {
            throw new IllegalArgumentException("online reviewer row " + row.get("project_id") + "/" + row.get("user_id")
                    + " has no " + ReviewerFeatureSet.COUNT_TILES);
        }
        ReviewerCountTiles tiles = ReviewerCountTiles.decode(text);
        if (tiles.columnCount() != countColumns.size()) {
            throw new IllegalArgumentException(ReviewerFeatureSet.COUNT_TILES + " holds " + tiles.columnCount()
                    + " counts but the feature set has " + countColumns.size() + " " + countColumns);
        }
        int[] counts = tiles.countsAt(Math.max(nowMillis, (Long) row.get("event_time")));
        Map<String, Object> out = new LinkedHashMap<>(row);
        for (int i = 0; i < counts.length; i++) {
            out.put(countColumns.get(i), counts[i]);
        }
        return out;
    }

    /**
     * Steps 1 and 2: the project's candidate rows in the job's order ({@link ReviewerCandidateOrder}),
     * at most {@code candidates.max}.
     */
    List<Map<String, Object>> select(long projectId, long authorId, Collection<Map<String, Object>> projectUserRows) {
        ReviewerCandidateOrder.Best best = new ReviewerCandidateOrder.Best(maxCandidates);
        Map<Long, Map<String, Object>> byUser = new HashMap<>();
        for (Map<String, Object> row : projectUserRows) {
            long user = (Long) row.get("user_id");
            if ((Long) row.get("project_id") != projectId || user == authorId) {
                continue;
            }
            int activity = (Integer) row.get("lookback_activity");
            if (Boolean.TRUE.equals(row.get("is_member")) || activity > 0) {
                Long last = (Long) row.get("last_activity_time");
                best.offer(user, activity, last == null ? ReviewerCandidateOrder.NO_ACTIVITY : last);
                byUser.put(user, row);
            }
        }
        List<Map<String, Object>> chosen = new ArrayList<>();
        for (ReviewerCandidateOrder.Candidate candidate : best.ranked()) {
            chosen.add(byUser.get(candidate.userId()));
        }
        return chosen;
    }
}
