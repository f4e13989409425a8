package io.eventstream.features.reviewers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.features.config.Durations;
import io.eventstream.features.config.FeatureSetJson;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.config.ReviewerWindowedFeature;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.datasets.Sha256;
import io.eventstream.features.windows.WindowSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The reviewer feature definitions for one {@link ReviewerJobConfig}: the schemas of the datasets
 * {@code reviewer_candidates} and {@code reviewer_labels} and of the online tables
 * {@code reviewer_project_user_features} and {@code reviewer_project_user_path_features}, the full
 * definition as deterministic JSON ({@code _feature_set.json}) and its fingerprint, which versions
 * datasets and online rows. Immutable and cheap to share.
 *
 * <p>The online schemas carry no {@code feature_set_version} column: the online store stamps the
 * fingerprint on every row itself.
 */
public final class ReviewerFeatureSet {
    public static final String CANDIDATES_DATASET = "reviewer_candidates";
    public static final String LABELS_DATASET = "reviewer_labels";
    public static final String ONLINE_USER_TABLE = "reviewer_project_user_features";
    public static final String ONLINE_PATH_TABLE = "reviewer_project_user_path_features";
    /** Last column of both online tables: the encoded {@link ReviewerCountTiles} of the row. */
    public static final String COUNT_TILES = "count_tiles";
    /** Key columns of {@link #onlineUserSchema()}, in key order. */
    public static final List<String> ONLINE_USER_KEY = List.of("project_id", "user_id");
    /** Key columns of {@link #onlinePathSchema()}, in key order. */
    public static final List<String> ONLINE_PATH_KEY = List.of("project_id", "user_id", "path_prefix");
    /** Bump when the code that computes a column changes meaning: it is part of the definition. */
    public static final int LOGIC_VERSION = 1;

    /** {@code trigger} of rows emitted when an MR is opened. */
    public static final String TRIGGER_OPENED = "opened";
    /** {@code trigger} of rows emitted again because an open MR's changed paths grew. */
    public static final String TRIGGER_PATHS_GREW = "paths_grew";

    // Fixed columns of reviewer_candidates, in order; the windowed columns follow.
    static final int EVENT_ID = 0;
    static final int EVENT_TIME = 1;
    static final int PROJECT_ID = 2;
    static final int MR_IID = 3;
    static final int MR_ID = 4;
    static final int AUTHOR_ID = 5;
    static final int CANDIDATE_ID = 6;
    static final int TRIGGER = 7;
    static final int CANDIDATE_RANK = 8;
    static final int CHANGED_PATH_COUNT = 9;
    static final int PATH_PREFIX_COUNT = 10;
    static final int PATHS_TRUNCATED = 11;
    static final int AUTHOR_TENURE_DAYS = 12;
    static final int IS_MEMBER = 13;
    static final int ACCESS_LEVEL = 14;
    static final int DAYS_SINCE_LAST_ACTIVITY = 15;
    static final int LOOKBACK_ACTIVITY = 16;
    static final int OPEN_REVIEW_LOAD = 17;
    static final int FIXED_COLUMNS = 18;

    private static final String MEMBER_RULE = "Membership as of this event: project member.added/updated minus "
            + "member.removed (group memberships are not seen).";

    /** A windowed column: one feature over one window. */
    public record WindowedColumn(ReviewerWindowedFeature feature, WindowSpec window, String name) {}

    private final ReviewerJobConfig config;
    private final List<WindowedColumn> windowedColumns;
    private final DatasetSchema candidateSchema;
    private final DatasetSchema labelSchema;
    private final DatasetSchema onlineUserSchema;
    private final DatasetSchema onlinePathSchema;
    private final List<String> onlineUserCountColumns;
    private final List<String> onlinePathCountColumns;
    private final String definitionJson;
    private final String fingerprint;

    public ReviewerFeatureSet(ReviewerJobConfig config) {
        this.config = config;
        String lookback = Durations.formatMillis(config.lookbackWindow().lengthMillis());
        List<Column> columns = new ArrayList<>(List.of(
                Column.required(
                        "event_id",
                        ColumnType.STRING,
                        "CloudEvent id of the event that emitted the row: the merge_request.opened event, or the push "
                                + "or MR event that grew the MR's changed paths. Never null."),
                Column.required(
                        "event_time",
                        ColumnType.TIMESTAMP_MILLIS,
                        "Event time of that event (UTC); every feature is as of it, the event itself included. Never null."),
                Column.required("project_id", ColumnType.LONG, "The MR's (target) project. Never null."),
                Column.required(
                        "mr_iid", ColumnType.LONG, "The MR's per-project iid; joins reviewer_labels. Never null."),
                Column.required("mr_id", ColumnType.LONG, "The MR's global id. Never null."),
                Column.nullable("author_id", ColumnType.LONG, "Who opened the MR. Null when no event of the MR said."),
                Column.required(
                        "candidate_id",
                        ColumnType.LONG,
                        "The candidate reviewer: a project member as of this event or a user with activity (MR notes, "
                                + "approvals, pushes) in the project within candidates.lookback; never the author. Never null."),
                Column.required(
                        "trigger",
                        ColumnType.STRING,
                        "opened (the MR was opened) or paths_grew (its changed paths grew while open; needs "
                                + "candidates.emit_on_path_growth). Never null."),
                Column.required(
                        "candidate_rank",
                        ColumnType.INT,
                        "1-based position of the candidate in the emission's order: lookback_activity descending, then "
                                + "last activity time descending (none last), then candidate_id ascending; at most "
                                + "candidates.max rows per emission. Never null."),
                Column.required(
                        "changed_path_count",
                        ColumnType.INT,
                        "Distinct changed paths of the MR as of this event (the path-join rule in the catalogue). Never null."),
                Column.required(
                        "path_prefix_count",
                        ColumnType.INT,
                        "Distinct directory prefixes (depths 1..paths.prefix_depth) of those paths. Never null."),
                Column.required(
                        "paths_truncated",
                        ColumnType.BOOLEAN,
                        "True when the changed paths may be incomplete: a contributing push listed fewer commits than "
                                + "its total_commits_count (GitLab lists at most 20), or paths.max_per_branch was reached. "
                                + "Never null."),
                Column.nullable(
                        "author_tenure_days",
                        ColumnType.LONG,
                        "Whole days since the author's record in the project began (first membership or activity, MR "
                                + "openings included). Null when the author is unknown or has no record."),
                Column.required(
                        "is_member",
                        ColumnType.BOOLEAN,
                        "Whether the candidate is a project member. " + MEMBER_RULE + " Never null."),
                Column.nullable(
                        "access_level",
                        ColumnType.INT,
                        "The candidate's GitLab access level (10 guest, 20 reporter, 30 developer, 40 maintainer, 50 owner). "
                                + "Null when not a member or the membership event did not say."),
                Column.nullable(
                        "days_since_last_activity",
                        ColumnType.LONG,
                        "Whole days since the candidate's last activity (MR note, approval, push) in the project. Null "
                                + "when the candidate has none on record."),
                Column.required(
                        "lookback_activity",
                        ColumnType.INT,
                        "The candidate's activities (MR notes, approvals, pushes) in the project in the lookback window "
                                + "(length " + lookback + ", sawtooth with hop "
                                + Durations.formatMillis(config.lookbackWindow().hopMillis()) + "). Never null."),
                Column.required(
                        "open_review_load",
                        ColumnType.INT,
                        "Open MRs of the project (not merged or closed, state not forgotten) where the candidate is a "
                                + "reviewer and has not approved. Never null.")));
        List<WindowedColumn> windowed = new ArrayList<>();
        for (ReviewerWindowedFeature feature : ReviewerWindowedFeature.values()) {
            for (WindowSpec window : config.windowsOf(feature)) {
                WindowedColumn column = new WindowedColumn(feature, window, feature.column(window.name()));
                windowed.add(column);
                boolean nullable = feature == ReviewerWindowedFeature.REVIEWS_OF_AUTHOR
                        || feature == ReviewerWindowedFeature.REVIEWS_BY_AUTHOR;
                columns.add(new Column(column.name(), ColumnType.INT, nullable, describe(feature, window, nullable)));
            }
        }
        this.windowedColumns = List.copyOf(windowed);
        this.candidateSchema = new DatasetSchema(CANDIDATES_DATASET, columns, "event_time");
        this.labelSchema = new DatasetSchema(
                LABELS_DATASET,
                List.of(
                        Column.required("project_id", ColumnType.LONG, "The MR's project. Never null."),
                        Column.required(
                                "mr_iid",
                                ColumnType.LONG,
                                "The MR's per-project iid (joins reviewer_candidates). Never null."),
                        Column.required("user_id", ColumnType.LONG, "The labelled user. Never null."),
                        Column.required(
                                "label_time",
                                ColumnType.TIMESTAMP_MILLIS,
                                "Event time of the label event (UTC); partitions the dataset. Never null."),
                        Column.required(
                                "kind",
                                ColumnType.STRING,
                                "assigned_reviewer (the user became a reviewer of the MR), approved (the user's approval: a change "
                                        + "from not approved to approved) or reviewed (the user's first note or approval on the MR, "
                                        + "not being its author). Never null."),
                        Column.required(
                                "label_event_id", ColumnType.STRING, "CloudEvent id of the label event. Never null.")),
                "label_time");

        List<Column> user = new ArrayList<>(List.of(
                Column.required("project_id", ColumnType.LONG, "Project; first key column. Never null."),
                Column.required("user_id", ColumnType.LONG, "User; second key column. Never null."),
                Column.required(
                        "event_time",
                        ColumnType.TIMESTAMP_MILLIS,
                        "Event time of the event that last changed the user's values; every value is as of it. Upserts "
                                + "keep the row with the newest event_time. Never null."),
                Column.required("is_member", ColumnType.BOOLEAN, "Whether the user is a project member. Never null."),
                Column.nullable("access_level", ColumnType.INT, "Access level; null when not a member or unknown."),
                Column.nullable(
                        "last_activity_time",
                        ColumnType.TIMESTAMP_MILLIS,
                        "Time of the user's last activity (MR note, approval, push) in the project (recency); null when none "
                                + "on record."),
                Column.required(
                        "lookback_activity",
                        ColumnType.INT,
                        "Activities in the lookback window (frequency; the candidate ranking key). Never null."),
                Column.required(
                        "open_review_load",
                        ColumnType.INT,
                        "Open MRs where the user is a reviewer and has not approved (load). Never null.")));
        for (WindowedColumn column : windowed) {
            ReviewerWindowedFeature f = column.feature();
            if (f == ReviewerWindowedFeature.REVIEWS
                    || f == ReviewerWindowedFeature.APPROVALS
                    || f == ReviewerWindowedFeature.MR_COMMENTS) {
                user.add(candidateSchema.columns().get(candidateSchema.indexOf(column.name())));
            }
        }
        List<String> userCounts = new ArrayList<>(List.of("lookback_activity"));
        user.stream().skip(8).forEach(c -> userCounts.add(c.name()));
        this.onlineUserCountColumns = List.copyOf(userCounts);
        user.add(countTilesColumn(userCounts));
        this.onlineUserSchema = new DatasetSchema(ONLINE_USER_TABLE, user, "event_time");

        List<Column> path = new ArrayList<>(
                List.of(
                        Column.required("project_id", ColumnType.LONG, "Project; first key column. Never null."),
                        Column.required("user_id", ColumnType.LONG, "User; second key column. Never null."),
                        Column.required(
                                "path_prefix",
                                ColumnType.STRING,
                                "A directory prefix (depth 1..paths.prefix_depth, no trailing slash); third key column. Never null."),
                        Column.required(
                                "event_time",
                                ColumnType.TIMESTAMP_MILLIS,
                                "Event time of the push or review that last changed these counts; values are as of it. Never null.")));
        for (WindowedColumn column : windowed) {
            if (column.feature() == ReviewerWindowedFeature.PREFIX_COMMITS) {
                path.add(Column.required(
                        "commits_" + column.window().name(),
                        ColumnType.INT,
                        "The user's commits touching a path under this prefix in window "
                                + column.window().name() + " (as prefix_commits, for one prefix). Never null."));
            }
        }
        for (WindowedColumn column : windowed) {
            if (column.feature() == ReviewerWindowedFeature.PREFIX_REVIEWS) {
                path.add(Column.required(
                        "reviews_" + column.window().name(),
                        ColumnType.INT,
                        "The user's reviews of MRs with a changed path under this prefix in window "
                                + column.window().name() + " (as prefix_reviews, for one prefix). Never null."));
            }
        }
        this.onlinePathCountColumns = path.stream().skip(4).map(Column::name).toList();
        path.add(countTilesColumn(onlinePathCountColumns));
        this.onlinePathSchema = new DatasetSchema(ONLINE_PATH_TABLE, path, "event_time");

        this.definitionJson = buildDefinitionJson();
        this.fingerprint = Sha256.fingerprint(definitionJson);
    }

    private static Column countTilesColumn(List<String> counts) {
        return Column.required(
                COUNT_TILES,
                ColumnType.STRING,
                "The tiles behind " + String.join(", ", counts)
                        + " (format version " + ReviewerCountTiles.FORMAT_VERSION
                        + ", base64; docs/online-tables.md), from which "
                        + "readers compute those counts as of a request time at or after event_time. Never null.");
    }

    private static String describe(ReviewerWindowedFeature feature, WindowSpec window, boolean nullable) {
        String length = Durations.formatMillis(window.lengthMillis());
        String hop = Durations.formatMillis(window.hopMillis());
        return feature.description() + " Window " + window.name() + ": length " + length + ", hop " + hop
                + "; at event time t it covers events with time in [floor(t/" + hop + ")*" + hop + " - " + length
                + ", t] ordered at or before this event." + (nullable ? "" : " Never null (0 when none).");
    }

    public ReviewerJobConfig config() {
        return config;
    }

    /** The windowed columns in schema order (after the fixed columns). */
    public List<WindowedColumn> windowedColumns() {
        return windowedColumns;
    }

    /** Index of the first windowed column in a candidate row. */
    public int firstWindowedColumn() {
        return FIXED_COLUMNS;
    }

    /** {@code reviewer_candidates}: one row per (emission, candidate). */
    public DatasetSchema candidateSchema() {
        return candidateSchema;
    }

    /** {@code reviewer_labels}: one row per label event. */
    public DatasetSchema labelSchema() {
        return labelSchema;
    }

    /**
     * The windowed count columns of {@link #onlineUserSchema()} that {@link #COUNT_TILES} holds the
     * tiles of, in its column order: {@code lookback_activity}, then the {@code reviews_*},
     * {@code approvals_*}, {@code mr_comments_*} columns.
     */
    public List<String> onlineUserCountColumns() {
        return onlineUserCountColumns;
    }

    /** The count columns of {@link #onlinePathSchema()} ({@code commits_*}, {@code reviews_*}) in {@link #COUNT_TILES} order. */
    public List<String> onlinePathCountColumns() {
        return onlinePathCountColumns;
    }

    /** Online table {@code reviewer_project_user_features}, key {@link #ONLINE_USER_KEY}. */
    public DatasetSchema onlineUserSchema() {
        return onlineUserSchema;
    }

    /** Online table {@code reviewer_project_user_path_features}, key {@link #ONLINE_PATH_KEY}. */
    public DatasetSchema onlinePathSchema() {
        return onlinePathSchema;
    }

    /** The full definition: windows, features, rules, schemas; written as {@code _feature_set.json}. */
    public String definitionJson() {
        return definitionJson;
    }

    /** First 16 hex characters of the SHA-256 of {@link #definitionJson()}; also {@code feature_set_version}. */
    public String fingerprint() {
        return fingerprint;
    }

    private String buildDefinitionJson() {
        ObjectNode root = FeatureSetJson.root("reviewers", LOGIC_VERSION);
        ObjectNode semantics = root.putObject("semantics");
        semantics.put("order", "events of a project are applied in (time, id) order");
        semantics.put(
                "window",
                "at event time t a window of length W and hop h covers the project's events with time "
                        + "in [floor(t/h)*h - W, t] that are ordered at or before the current event (the current event counts)");
        semantics.put("changed_paths", ReviewerCatalogueText.PATH_JOIN_RULE);
        semantics.put("prefixes", ReviewerCatalogueText.PREFIX_RULE);
        semantics.put("candidates", ReviewerCatalogueText.CANDIDATE_RULE);
        semantics.put("state", ReviewerCatalogueText.STATE_RULE);
        FeatureSetJson.windows(root, config.windows());
        FeatureSetJson.features(root, ReviewerWindowedFeature.values(), config::windowsOf);
        FeatureSetJson.window(root.putObject("lookback"), config.lookbackWindow());
        root.put("state_ttl_millis", config.stateTtlMillis());
        root.put("prefix_depth", config.prefixDepth());
        root.put("max_paths_per_branch", config.maxPathsPerBranch());
        root.put("max_candidates", config.maxCandidates());
        root.put("emit_on_path_growth", config.emitOnPathGrowth());
        root.put("merge_request_grace_millis", config.mergeRequestGraceMillis());
        FeatureSetJson.schemas(root, List.of(candidateSchema, labelSchema, onlineUserSchema, onlinePathSchema));
        return FeatureSetJson.render(root);
    }
}
