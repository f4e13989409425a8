package io.eventstream.features.spam;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.features.config.Durations;
import io.eventstream.features.config.FeatureSetJson;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.config.SpamWindowedFeature;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.ColumnType;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.datasets.Sha256;
import io.eventstream.features.windows.WindowSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The spam feature definitions for one {@link SpamJobConfig}: the schemas of {@code spam_features},
 * {@code spam_labels} and the online table {@code spam_user_features}, the full definition as
 * deterministic JSON ({@code _feature_set.json}) and its fingerprint, which versions datasets and
 * online rows. Immutable and cheap to share.
 */
public final class SpamFeatureSet {
    public static final String FEATURES_DATASET = "spam_features";
    public static final String ONLINE_TABLE = "spam_user_features";
    /**
     * Online table {@code spam_user_state}: per user, what computes every feature as of any request
     * time at or after the user's last event ({@link SpamFeatureEngine#asOf}).
     */
    public static final String STATE_TABLE = "spam_user_state";
    /**
     * Bump when the code that computes a column changes meaning (text analysis, null rules, ...):
     * it is part of the definition, so datasets get a new version.
     */
    public static final int LOGIC_VERSION = 1;

    // Fixed columns of spam_features, in order; the windowed columns follow.
    static final int EVENT_ID = 0;
    static final int EVENT_TIME = 1;
    static final int USER_ID = 2;
    static final int PROJECT_ID = 3;
    static final int CONTENT_TYPE = 4;
    static final int NOTEABLE_TYPE = 5;
    static final int TEXT_LENGTH = 6;
    static final int TITLE_LENGTH = 7;
    static final int LINK_COUNT = 8;
    static final int EXTERNAL_LINK_COUNT = 9;
    static final int MENTION_COUNT = 10;
    static final int UPPERCASE_RATIO = 11;
    static final int HAS_CODE_BLOCK = 12;
    static final int ACCOUNT_AGE_SECONDS = 13;
    static final int EMAIL_DOMAIN_CLASS = 14;
    static final int EMAIL_DOMAIN_HASH = 15;
    static final int MEMBER_PROJECT_COUNT = 16;
    static final int IS_PROJECT_MEMBER = 17;
    static final int SECONDS_SINCE_PREVIOUS_CONTENT_EVENT = 18;
    static final int FIXED_COLUMNS = 19;

    private static final List<Column> FIXED = List.of(
            Column.required(
                    "event_id",
                    ColumnType.STRING,
                    "CloudEvent id of the content event this row describes. Never null."),
            Column.required(
                    "event_time",
                    ColumnType.TIMESTAMP_MILLIS,
                    "Event time of the content event (UTC); every feature is as of this event. Never null."),
            Column.required("user_id", ColumnType.LONG, "GitLab id of the author. Never null."),
            Column.nullable(
                    "project_id",
                    ColumnType.LONG,
                    "Project of the content. Null for group-level work items (epics), which have no project."),
            Column.required("content_type", ColumnType.STRING, "issue, note or merge_request. Never null."),
            Column.nullable(
                    "noteable_type",
                    ColumnType.STRING,
                    "What a note comments on: Issue, MergeRequest, Commit, Snippet. Null unless content_type is note."),
            Column.required(
                    "text_length",
                    ColumnType.INT,
                    "Length in Unicode code points of the body (note body, issue or merge request description); "
                            + "0 when empty. Never null."),
            Column.nullable(
                    "title_length",
                    ColumnType.INT,
                    "Length in code points of the title. Null for notes, which have no title."),
            Column.required(
                    "link_count",
                    ColumnType.INT,
                    "http:// and https:// links (any case) with a host in title and body (rules: Links and mentions). "
                            + "Never null."),
            Column.required(
                    "external_link_count",
                    ColumnType.INT,
                    "Links whose host, read as a browser reads it (user info, port, percent-encoding, IDN, IP "
                            + "literals), is neither the GitLab instance (gitlab.host) nor a subdomain of it; unreadable "
                            + "hosts count. Never null."),
            Column.required(
                    "mention_count",
                    ColumnType.INT,
                    "@name mentions in title and body (an @ inside an email address or a link does not count). "
                            + "Never null."),
            Column.required(
                    "uppercase_ratio",
                    ColumnType.DOUBLE,
                    "Uppercase letters / letters in title and body, in [0, 1]; 0 when there are no letters. Never null."),
            Column.required(
                    "has_code_block",
                    ColumnType.BOOLEAN,
                    "Whether the body has a fenced code block (a line starting with ``` or ~~~). Never null."),
            Column.nullable(
                    "account_age_seconds",
                    ColumnType.LONG,
                    "Seconds from the user's sign-up (user.created event time) to this event, rounded down. Null when "
                            + "the sign-up is unknown: not seen, or forgotten after state.ttl without events."),
            Column.required(
                    "email_domain_class",
                    ColumnType.STRING,
                    "webmail, disposable, other or unknown: the sign-up email's domain against the shipped lists "
                            + "email-domains/*.txt; unknown when no sign-up was seen or it had no email. Never null."),
            Column.nullable(
                    "email_domain_hash",
                    ColumnType.STRING,
                    "HMAC-SHA256 of the sign-up email's lowercase domain with the configured key, first 16 hex "
                            + "characters; never the email or the domain. Null when email_domain_class is unknown."),
            Column.required(
                    "member_project_count",
                    ColumnType.INT,
                    "Projects the user is a member of as of this event (project member.added/updated minus "
                            + "member.removed; group memberships are not counted). Never null."),
            Column.nullable(
                    "is_project_member",
                    ColumnType.BOOLEAN,
                    "Whether the user is a member of project_id as of this event. Null when project_id is null."),
            Column.nullable(
                    "seconds_since_previous_content_event",
                    ColumnType.LONG,
                    "Seconds (rounded down) since the user's previous content event in (time, id) order; 0 for the "
                            + "same millisecond. Null for the user's first content event (first ever, or first after "
                            + "state.ttl without events)."));

    /** A windowed column: one feature over one window. */
    public record WindowedColumn(SpamWindowedFeature feature, WindowSpec window, String name) {}

    private final SpamJobConfig config;
    private final List<WindowedColumn> windowedColumns;
    private final DatasetSchema featureSchema;
    private final DatasetSchema onlineSchema;
    private final DatasetSchema stateSchema;
    private final int[] onlineSources;
    private final String definitionJson;
    private final String fingerprint;

    public SpamFeatureSet(SpamJobConfig config) {
        this.config = config;
        List<WindowedColumn> windowed = new ArrayList<>();
        List<Column> columns = new ArrayList<>(FIXED);
        for (SpamWindowedFeature feature : SpamWindowedFeature.values()) {
            for (WindowSpec window : config.windowsOf(feature)) {
                WindowedColumn column = new WindowedColumn(feature, window, feature.column(window.name()));
                windowed.add(column);
                columns.add(Column.required(column.name(), ColumnType.INT, describe(feature, window)));
            }
        }
        this.windowedColumns = List.copyOf(windowed);
        this.featureSchema = new DatasetSchema(FEATURES_DATASET, columns, "event_time");

        List<Column> online = new ArrayList<>();
        List<Integer> sources = new ArrayList<>();
        online.add(Column.required("user_id", ColumnType.LONG, "GitLab user id; the key. Never null."));
        sources.add(USER_ID);
        online.add(Column.required(
                "event_time",
                ColumnType.TIMESTAMP_MILLIS,
                "Event time of the user's latest content event: every value is as of it. Upserts keep the row "
                        + "with the newest event_time. Never null."));
        sources.add(EVENT_TIME);
        // feature_set_version (this set's fingerprint) is added by the online store to every table.
        for (int i : new int[] {
            ACCOUNT_AGE_SECONDS,
            EMAIL_DOMAIN_CLASS,
            EMAIL_DOMAIN_HASH,
            MEMBER_PROJECT_COUNT,
            SECONDS_SINCE_PREVIOUS_CONTENT_EVENT
        }) {
            online.add(FIXED.get(i));
            sources.add(i);
        }
        for (int i = 0; i < windowed.size(); i++) {
            if (windowed.get(i).feature().spec().online()) {
                online.add(columns.get(FIXED_COLUMNS + i));
                sources.add(FIXED_COLUMNS + i);
            }
        }
        this.onlineSchema = new DatasetSchema(ONLINE_TABLE, online, "event_time");
        this.onlineSources = sources.stream().mapToInt(Integer::intValue).toArray();
        this.stateSchema = buildStateSchema();

        this.definitionJson = buildDefinitionJson();
        this.fingerprint = Sha256.fingerprint(definitionJson);
    }

    private static String describe(SpamWindowedFeature feature, WindowSpec window) {
        String length = Durations.formatMillis(window.lengthMillis());
        String hop = Durations.formatMillis(window.hopMillis());
        String end = feature.spec().aggregation().beforeEventTime() ? "t)" : "t]";
        return feature.description() + " Window " + window.name() + ": length " + length + ", hop " + hop
                + "; at event time t it covers events with time in [floor(t/" + hop + ")*" + hop + " - " + length
                + ", " + end + " ordered at or before this event in (time, id) order. Never null (0 when none).";
    }

    public SpamJobConfig config() {
        return config;
    }

    /** The windowed columns in schema order (after the fixed columns). */
    public List<WindowedColumn> windowedColumns() {
        return windowedColumns;
    }

    /** Index of the first windowed column in a feature row. */
    public int firstWindowedColumn() {
        return FIXED_COLUMNS;
    }

    /** {@code spam_features}: one row per content event. */
    public DatasetSchema featureSchema() {
        return featureSchema;
    }

    /** {@code spam_labels}. */
    public DatasetSchema labelSchema() {
        return SpamLabels.SCHEMA;
    }

    /** Online table {@code spam_user_features}: the user-level columns of the latest row per user. */
    public DatasetSchema onlineSchema() {
        return onlineSchema;
    }

    /**
     * Online table {@code spam_user_state}: one row per user, written after each of the user's event
     * times (every event kind, not only content), holding the encoded {@link SpamUserState}
     * ({@code state}, base64) from which readers compute the features as of a request time, plus
     * the profile facts in readable columns for people and simple tools. Layout: docs/online-tables.md.
     */
    public DatasetSchema stateSchema() {
        return stateSchema;
    }

    private static DatasetSchema buildStateSchema() {
        return new DatasetSchema(
                STATE_TABLE,
                List.of(
                        Column.required("user_id", ColumnType.LONG, "GitLab user id; the key. Never null."),
                        Column.required(
                                "event_time",
                                ColumnType.TIMESTAMP_MILLIS,
                                "Event time of the user's latest event of any kind: the state is as of it (every event of "
                                        + "the user at or before it applied, none after). Upserts keep the newest. Never null."),
                        Column.nullable(
                                "signup_time",
                                ColumnType.TIMESTAMP_MILLIS,
                                "Event time of the user's sign-up (user.created); null when unknown."),
                        Column.required(
                                "email_domain_class",
                                ColumnType.STRING,
                                "webmail, disposable, other or unknown (as in spam_features). Never null."),
                        Column.nullable(
                                "email_domain_hash",
                                ColumnType.STRING,
                                "Keyed hash of the sign-up email's domain (as in spam_features); null when unknown."),
                        Column.required(
                                "member_project_count",
                                ColumnType.INT,
                                "Projects the user is a member of as of event_time. Never null."),
                        Column.nullable(
                                "last_content_event_time",
                                ColumnType.TIMESTAMP_MILLIS,
                                "Event time of the user's latest content event; null when none (since the last state expiry)."),
                        Column.required(
                                "state",
                                ColumnType.STRING,
                                "The user's SpamUserState (format version byte, profile, memberships, window tiles with "
                                        + "varint-encoded counts), base64 (RFC 4648, padded). Never null.")),
                "event_time");
    }

    /** For each online column, the feature-row column it copies. */
    int[] onlineSources() {
        return onlineSources.clone();
    }

    /** The full definition: windows, features, semantics, lists, schemas; written as {@code _feature_set.json}. */
    public String definitionJson() {
        return definitionJson;
    }

    /**
     * First 16 hex characters of the SHA-256 of {@link #definitionJson()}; the online store writes it
     * as {@code feature_set_version} beside every online row.
     */
    public String fingerprint() {
        return fingerprint;
    }

    private String buildDefinitionJson() {
        ObjectNode root = FeatureSetJson.root("spam", LOGIC_VERSION);
        ObjectNode semantics = root.putObject("semantics");
        semantics.put("order", "events of a user are applied in (time, id) order");
        semantics.put(
                "window",
                "at event time t a window of length W and hop h covers the user's events with time "
                        + "in [floor(t/h)*h - W, t] that are ordered at or before the current event (the current event counts)");
        semantics.put("prior_spam_verdicts", "verdicts with time strictly before t: [floor(t/h)*h - W, t)");
        semantics.put(
                "text_hash",
                "FNV-1a 64 over title + newline + body, lowercased per code point, whitespace "
                        + "runs collapsed to one space, trimmed, digits kept; SplitMix64 finalizer");
        semantics.put(
                "links",
                "http(s) links with hosts read as browsers read them (last '@' ends user info, port, "
                        + "percent-decoding, IDN to ASCII, trailing dots, IPv4/IPv6 literals); external unless the host is "
                        + "gitlab.host or a subdomain; grammar: docs/spam-features.md#links-and-mentions");
        semantics.put(
                "mentions", "'@' + letter/digit/_ not after a letter, digit, _, ., - or @, and not inside a link");
        semantics.put("email_domain_hash", "HMAC-SHA256(key, lowercase domain), first 16 hex characters");
        semantics.put(
                "state_ttl",
                "a user's state is forgotten when an event comes more than state.ttl after the "
                        + "user's previous event");
        FeatureSetJson.windows(root, config.windows());
        FeatureSetJson.features(root, SpamWindowedFeature.values(), config::windowsOf);
        root.put("state_ttl_millis", config.stateTtlMillis());
        root.put("gitlab_host", config.gitlabHost());
        ObjectNode lists = root.putObject("email_domain_lists");
        lists.put(
                EmailDomains.WEBMAIL_RESOURCE,
                "sha256:" + EmailDomains.shipped().webmailSha256());
        lists.put(
                EmailDomains.DISPOSABLE_RESOURCE,
                "sha256:" + EmailDomains.shipped().disposableSha256());
        FeatureSetJson.schemas(root, List.of(featureSchema, SpamLabels.SCHEMA, onlineSchema));
        return FeatureSetJson.render(root);
    }
}
