package io.eventstream.features.spam;

import static io.eventstream.features.spam.SpamFeatureSet.ACCOUNT_AGE_SECONDS;
import static io.eventstream.features.spam.SpamFeatureSet.CONTENT_TYPE;
import static io.eventstream.features.spam.SpamFeatureSet.EMAIL_DOMAIN_CLASS;
import static io.eventstream.features.spam.SpamFeatureSet.EMAIL_DOMAIN_HASH;
import static io.eventstream.features.spam.SpamFeatureSet.EVENT_ID;
import static io.eventstream.features.spam.SpamFeatureSet.EVENT_TIME;
import static io.eventstream.features.spam.SpamFeatureSet.EXTERNAL_LINK_COUNT;
import static io.eventstream.features.spam.SpamFeatureSet.HAS_CODE_BLOCK;
import static io.eventstream.features.spam.SpamFeatureSet.IS_PROJECT_MEMBER;
import static io.eventstream.features.spam.SpamFeatureSet.LINK_COUNT;
import static io.eventstream.features.spam.SpamFeatureSet.MEMBER_PROJECT_COUNT;
import static io.eventstream.features.spam.SpamFeatureSet.MENTION_COUNT;
import static io.eventstream.features.spam.SpamFeatureSet.NOTEABLE_TYPE;
import static io.eventstream.features.spam.SpamFeatureSet.PROJECT_ID;
import static io.eventstream.features.spam.SpamFeatureSet.SECONDS_SINCE_PREVIOUS_CONTENT_EVENT;
import static io.eventstream.features.spam.SpamFeatureSet.TEXT_LENGTH;
import static io.eventstream.features.spam.SpamFeatureSet.TITLE_LENGTH;
import static io.eventstream.features.spam.SpamFeatureSet.UPPERCASE_RATIO;
import static io.eventstream.features.spam.SpamFeatureSet.USER_ID;
import static io.eventstream.features.spam.SpamUserState.NONE;

import io.eventstream.features.config.SpamWindowedFeature;
import io.eventstream.features.events.OrderedInput;
import io.eventstream.features.windows.DistinctIds;
import io.eventstream.features.windows.TiledCounts;
import io.eventstream.features.windows.TiledKeyCounts;
import io.eventstream.features.windows.WindowSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes spam features one event at a time from a user's {@link SpamUserState}: the whole
 * per-event work of the keyed function, in one pass over one state value.
 *
 * <p>Contract with the caller (the Flink keyed function): apply a user's inputs in
 * {@code (time, id)} order ({@link OrderedInput#compareOrder}); call {@link #expire} with a watermark
 * only once every input at or before it has been applied. Results then depend only on the events,
 * never on when expiry ran: an event arriving more than {@code state.ttl} after the user's previous
 * one finds the state forgotten whether or not the timer fired first.
 *
 * <p>Thread-safe and immutable once built (states are not: one per key).
 */
public final class SpamFeatureEngine {
    private static final String ISSUE = "issue";
    private static final String NOTE = "note";
    private static final String MERGE_REQUEST = "merge_request";

    // Where a windowed column's value comes from.
    private static final int SUM = 0;
    private static final int SUM_BEFORE = 1;
    private static final int DISTINCT = 2;
    private static final int SAME_KEY = 3;

    private final SpamFeatureSet featureSet;
    private final long stateTtl;
    private final int columns;
    private final int[] onlineSources;

    // Tile layout, compiled from the features' specs: one TiledCounts per window that summed features
    // use (one metric per feature), one DistinctIds over the distinct-count feature's windows, one
    // TiledKeyCounts per (same-value feature, window).
    private final WindowSpec[] countWindows;
    private final int[] metricsPerWindow;
    private final WindowSpec[] distinctWindows;
    private final WindowSpec[] keyWindows;
    private final long layout;

    // Per input kind, what an input adds: to TiledCounts sumRing[kind][i], metric sumMetric[kind][i], the
    // value sumValue[kind][i]; to the DistinctIds when distinctKinds has the kind; to TiledKeyCounts
    // keyRing[kind][i] the value keyValue[keyRing[kind][i]].
    private final int[][] sumRing;
    private final int[][] sumMetric;
    private final SpamValue[][] sumValue;
    private final long distinctKinds;
    private final SpamValue distinctValue;
    private final int[][] keyRing;
    private final SpamValue[] keyValue;

    // Per windowed column: where its value comes from.
    private final int[] columnSource;
    private final int[] columnStructure;
    private final int[] columnMetric;

    /**
     * Compiles the feature set's windowed columns into the arrays above.
     *
     * @throws IllegalArgumentException when more than one distinct-count feature is enabled: a
     *                                  {@link SpamUserState} holds one {@link DistinctIds}
     */
    public SpamFeatureEngine(SpamFeatureSet featureSet) {
        this.featureSet = featureSet;
        this.stateTtl = featureSet.config().stateTtlMillis();
        this.columns = featureSet.featureSchema().columns().size();
        this.onlineSources = featureSet.onlineSources();

        List<SpamFeatureSet.WindowedColumn> windowed = featureSet.windowedColumns();
        Map<String, List<SpamWindowedFeature>> countFeatures = new LinkedHashMap<>();
        Map<String, WindowSpec> countWindowsByName = new LinkedHashMap<>();
        SpamWindowedFeature distinctFeature = null;
        List<SpamFeatureSet.WindowedColumn> keyColumns = new ArrayList<>();
        for (SpamFeatureSet.WindowedColumn column : windowed) {
            SpamWindowedFeature f = column.feature();
            switch (f.spec().aggregation().tiles()) {
                case SUMS -> {
                    countFeatures
                            .computeIfAbsent(column.window().name(), k -> new ArrayList<>())
                            .add(f);
                    countWindowsByName.put(column.window().name(), column.window());
                }
                case DISTINCT -> {
                    if (distinctFeature != null && distinctFeature != f) {
                        throw new IllegalArgumentException("at most one distinct-count feature can be enabled, not "
                                + distinctFeature.key() + " and " + f.key());
                    }
                    distinctFeature = f;
                }
                case KEYS -> keyColumns.add(column);
            }
        }
        this.countWindows = countWindowsByName.values().toArray(WindowSpec[]::new);
        List<String> countWindowNames = List.copyOf(countWindowsByName.keySet());
        this.metricsPerWindow =
                countFeatures.values().stream().mapToInt(List::size).toArray();
        this.distinctWindows = distinctFeature == null
                ? new WindowSpec[0]
                : featureSet.config().windowsOf(distinctFeature).toArray(WindowSpec[]::new);
        this.distinctKinds =
                distinctFeature == null ? 0 : distinctFeature.spec().kinds();
        this.distinctValue =
                distinctFeature == null ? null : distinctFeature.spec().value();
        this.keyWindows =
                keyColumns.stream().map(SpamFeatureSet.WindowedColumn::window).toArray(WindowSpec[]::new);
        this.keyValue = keyColumns.stream().map(c -> c.feature().spec().value()).toArray(SpamValue[]::new);

        List<List<int[]>> sums = new ArrayList<>();
        List<List<SpamValue>> sumValues = new ArrayList<>();
        List<List<Integer>> keys = new ArrayList<>();
        for (int kind = 0; kind < Long.SIZE; kind++) {
            sums.add(new ArrayList<>());
            sumValues.add(new ArrayList<>());
            keys.add(new ArrayList<>());
        }
        for (int r = 0; r < countWindows.length; r++) {
            List<SpamWindowedFeature> features = countFeatures.get(countWindowNames.get(r));
            for (int m = 0; m < features.size(); m++) {
                SpamFeatureSpec spec = features.get(m).spec();
                for (int kind = 0; kind < Long.SIZE; kind++) {
                    if (spec.reads(kind)) {
                        sums.get(kind).add(new int[] {r, m});
                        sumValues.get(kind).add(spec.value());
                    }
                }
            }
        }
        for (int i = 0; i < keyColumns.size(); i++) {
            for (int kind = 0; kind < Long.SIZE; kind++) {
                if (keyColumns.get(i).feature().spec().reads(kind)) {
                    keys.get(kind).add(i);
                }
            }
        }
        this.sumRing = new int[Long.SIZE][];
        this.sumMetric = new int[Long.SIZE][];
        this.sumValue = new SpamValue[Long.SIZE][];
        this.keyRing = new int[Long.SIZE][];
        for (int kind = 0; kind < Long.SIZE; kind++) {
            sumRing[kind] = sums.get(kind).stream().mapToInt(a -> a[0]).toArray();
            sumMetric[kind] = sums.get(kind).stream().mapToInt(a -> a[1]).toArray();
            sumValue[kind] = sumValues.get(kind).toArray(SpamValue[]::new);
            keyRing[kind] = keys.get(kind).stream().mapToInt(Integer::intValue).toArray();
        }

        this.columnSource = new int[windowed.size()];
        this.columnStructure = new int[windowed.size()];
        this.columnMetric = new int[windowed.size()];
        for (int i = 0; i < windowed.size(); i++) {
            SpamFeatureSet.WindowedColumn column = windowed.get(i);
            SpamAggregation aggregation = column.feature().spec().aggregation();
            switch (aggregation.tiles()) {
                case DISTINCT -> {
                    columnSource[i] = DISTINCT;
                    columnStructure[i] = Arrays.asList(distinctWindows).indexOf(column.window());
                }
                case KEYS -> {
                    columnSource[i] = SAME_KEY;
                    columnStructure[i] = keyColumns.indexOf(column);
                }
                case SUMS -> {
                    columnSource[i] = aggregation.beforeEventTime() ? SUM_BEFORE : SUM;
                    columnStructure[i] =
                            countWindowNames.indexOf(column.window().name());
                    columnMetric[i] = countFeatures.get(column.window().name()).indexOf(column.feature());
                }
            }
        }
        this.layout = layoutFingerprint(countFeatures, keyColumns);
    }

    public SpamFeatureSet featureSet() {
        return featureSet;
    }

    /** A fresh state for a user without events. */
    public SpamUserState newState() {
        return new SpamUserState();
    }

    /**
     * Applies one input to the user's state and returns the feature row (values in
     * {@link SpamFeatureSet#featureSchema()} order, timestamps as {@code Long} epoch millis) when the
     * input is a content event, else null.
     */
    public Object[] apply(SpamUserState state, SpamInput input) {
        long t = input.timeMillis;
        if (state.lastActivityTime != NONE && t - state.lastActivityTime > stateTtl) {
            state.clear();
        }
        if (state.layout != layout) {
            createTiles(state);
        }
        if (t > state.lastActivityTime) {
            state.lastActivityTime = t;
        }
        addToWindows(state, input, t);
        switch (input.kind) {
            case SpamInput.USER_CREATED -> {
                state.signupTime = t;
                state.domainClass = EmailDomainClass.fromValue(input.emailDomainClass);
                state.domainHash = state.domainClass == EmailDomainClass.UNKNOWN ? null : input.emailDomainHash;
                return null;
            }
            case SpamInput.MEMBER_ADDED -> {
                if (input.projectId != null) {
                    state.memberProjects.add(input.projectId);
                }
                return null;
            }
            case SpamInput.MEMBER_REMOVED -> {
                if (input.projectId != null) {
                    state.memberProjects.remove(input.projectId);
                }
                return null;
            }
            case SpamInput.ISSUE_OPENED, SpamInput.NOTE_CREATED, SpamInput.MERGE_REQUEST_OPENED -> {
                return content(state, input, t);
            }
            default -> {
                return null;
            }
        }
    }

    /** Adds the input to the tiles of every enabled feature that reads its kind. */
    private void addToWindows(SpamUserState state, SpamInput input, long t) {
        int kind = input.kind;
        if (kind < 0 || kind >= Long.SIZE) {
            return;
        }
        int[] rings = sumRing[kind];
        int[] metrics = sumMetric[kind];
        SpamValue[] values = sumValue[kind];
        for (int i = 0; i < rings.length; i++) {
            state.counts[rings[i]].add(t, metrics[i], values[i].of(input));
        }
        if ((distinctKinds & (1L << kind)) != 0 && distinctValue.isPresent(input)) {
            state.projects.add(distinctValue.of(input), t);
        }
        for (int k : keyRing[kind]) {
            if (keyValue[k].isPresent(input)) {
                state.texts[k].add(t, keyValue[k].of(input), 1);
            }
        }
    }

    private Object[] content(SpamUserState state, SpamInput input, long t) {
        Object[] row = new Object[columns];
        row[EVENT_ID] = input.eventId;
        row[EVENT_TIME] = t;
        row[USER_ID] = input.userId;
        row[PROJECT_ID] = input.projectId;
        row[CONTENT_TYPE] = input.kind == SpamInput.ISSUE_OPENED
                ? ISSUE
                : input.kind == SpamInput.NOTE_CREATED ? NOTE : MERGE_REQUEST;
        row[NOTEABLE_TYPE] = input.kind == SpamInput.NOTE_CREATED ? input.noteableType : null;
        row[TEXT_LENGTH] = input.textLength;
        row[TITLE_LENGTH] = input.kind == SpamInput.NOTE_CREATED ? null : input.titleLength;
        row[LINK_COUNT] = input.linkCount;
        row[EXTERNAL_LINK_COUNT] = input.externalLinkCount;
        row[MENTION_COUNT] = input.mentionCount;
        row[UPPERCASE_RATIO] = input.uppercaseRatio;
        row[HAS_CODE_BLOCK] = input.hasCodeBlock;
        row[IS_PROJECT_MEMBER] = input.projectId == null ? null : state.memberProjects.contains(input.projectId);
        userValues(state, t, input, row);
        if (t > state.lastContentTime) {
            state.lastContentTime = t;
        }
        return row;
    }

    /**
     * The user-level values of a row as of {@code t}: profile, memberships, time since the previous
     * content event and the windowed columns; {@code current} null (a read without a content event)
     * leaves the same-value columns null: they compare with the current event's value.
     */
    private void userValues(SpamUserState state, long t, SpamInput current, Object[] row) {
        row[ACCOUNT_AGE_SECONDS] = state.signupTime == NONE ? null : Math.floorDiv(t - state.signupTime, 1000L);
        row[EMAIL_DOMAIN_CLASS] = state.domainClass.value();
        row[EMAIL_DOMAIN_HASH] = state.domainHash;
        row[MEMBER_PROJECT_COUNT] = state.memberProjects.size();
        row[SECONDS_SINCE_PREVIOUS_CONTENT_EVENT] =
                state.lastContentTime == NONE ? null : Math.floorDiv(t - state.lastContentTime, 1000L);
        int c = SpamFeatureSet.FIXED_COLUMNS;
        for (int i = 0; i < columnSource.length; i++) {
            if (columnSource[i] == SAME_KEY && current == null) {
                row[c + i] = null;
                continue;
            }
            long value = switch (columnSource[i]) {
                case SUM -> state.counts[columnStructure[i]].sum(t, columnMetric[i]);
                case SUM_BEFORE -> state.counts[columnStructure[i]].sumBefore(t, columnMetric[i]);
                case DISTINCT -> state.projects.count(columnStructure[i], t);
                default -> {
                    SpamValue key = keyValue[columnStructure[i]];
                    yield key.isPresent(current) ? state.texts[columnStructure[i]].sum(t, key.of(current)) : 0;
                }
            };
            row[c + i] = (int) value;
        }
    }

    /**
     * The features of a user as of request time {@code t}, from the user's state as stored (it is
     * not changed), without a content event at {@code t}: a row in {@link SpamFeatureSet#featureSchema()}
     * order whose event columns ({@code event_id}, {@code project_id}, content fields,
     * {@code is_project_member}) and text-repeat columns are null, {@code event_time} is {@code t}, and
     * the user-level columns are what a content event at {@code t} would see before its own
     * contribution: ages advance, windows drop what left them, and a state idle for more than
     * {@code state.ttl} reads as an unknown user (the job would have forgotten it).
     *
     * @throws IllegalArgumentException when {@code t} is before the state's last event (the state
     *                                  cannot be rewound)
     */
    public Object[] asOf(long userId, SpamUserState stored, long t) {
        SpamUserState state = readable(stored, t);
        Object[] row = new Object[columns];
        row[EVENT_TIME] = t;
        row[USER_ID] = userId;
        userValues(state, t, null, row);
        return row;
    }

    /**
     * The row the job writes to {@code spam_features} for {@code pending}, a content event of the
     * user at request time {@code pending.timeMillis}, if it is the next event applied to the state
     * as stored: the job's own {@link #apply} on a copy (the stored state is not changed).
     *
     * @throws IllegalArgumentException when {@code pending} is not a content event or is before the
     *                                  state's last event
     */
    public Object[] asOf(SpamUserState stored, SpamInput pending) {
        if (!pending.isContent()) {
            throw new IllegalArgumentException("the pending event must be an issue, note or merge request");
        }
        checkNotBefore(stored, pending.timeMillis);
        return apply(stored.copy(), pending);
    }

    private SpamUserState readable(SpamUserState stored, long t) {
        checkNotBefore(stored, t);
        boolean expired = stored.lastActivityTime != NONE && t - stored.lastActivityTime > stateTtl;
        if (!expired && stored.layout == layout) {
            return stored;
        }
        SpamUserState state = stored.copy();
        if (expired) {
            state.clear();
        }
        createTiles(state); // what apply does for a state of another window layout: empty tiles
        return state;
    }

    private static void checkNotBefore(SpamUserState state, long t) {
        if (state.lastActivityTime != NONE && t < state.lastActivityTime) {
            throw new IllegalArgumentException("request time " + t + " is before the user's last event "
                    + state.lastActivityTime + ": values can only be computed at or after it");
        }
    }

    /**
     * The {@code spam_user_state} row ({@link SpamFeatureSet#stateSchema()} order) of a user's state
     * after an event time; null for an empty state.
     */
    public Object[] stateRow(long userId, SpamUserState state) {
        if (state.isEmpty()) {
            return null;
        }
        return new Object[] {
            userId,
            state.lastActivityTime,
            state.signupTime == NONE ? null : state.signupTime,
            state.domainClass.value(),
            state.domainHash,
            state.memberProjects.size(),
            state.lastContentTime == NONE ? null : state.lastContentTime,
            Base64.getEncoder().encodeToString(state.toBytes())
        };
    }

    /** The online-table row ({@link SpamFeatureSet#onlineSchema()} order) of a feature row. */
    public Object[] onlineRow(Object[] featureRow) {
        Object[] row = new Object[onlineSources.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = featureRow[onlineSources[i]];
        }
        return row;
    }

    /**
     * Drops tiles no window evaluated after {@code watermarkMillis} can touch, and says whether the
     * whole state may be cleared: true when it is empty or the user has had no event for more than
     * {@code state.ttl} before the watermark. Call only when no input at or before the watermark is
     * still to be applied (with allowed lateness, pass the watermark minus the lateness).
     */
    public boolean expire(SpamUserState state, long watermarkMillis) {
        if (state.isEmpty() || watermarkMillis - state.lastActivityTime > stateTtl) {
            return true;
        }
        for (TiledCounts counts : state.counts) {
            counts.expire(watermarkMillis);
        }
        if (state.projects != null) {
            state.projects.expire(watermarkMillis);
        }
        for (TiledKeyCounts texts : state.texts) {
            texts.expire(watermarkMillis);
        }
        return false;
    }

    /**
     * The first watermark at which {@link #expire} returns true for this state: register an
     * event-time timer for it after each apply. {@link Long#MIN_VALUE} for an empty state (already expired).
     */
    public long expiryWatermark(SpamUserState state) {
        if (state.isEmpty()) {
            return Long.MIN_VALUE;
        }
        long at = state.lastActivityTime + stateTtl + 1;
        return at < state.lastActivityTime ? Long.MAX_VALUE : at;
    }

    private void createTiles(SpamUserState state) {
        state.counts = new TiledCounts[countWindows.length];
        for (int r = 0; r < countWindows.length; r++) {
            state.counts[r] = new TiledCounts(countWindows[r], metricsPerWindow[r]);
        }
        state.projects = distinctWindows.length == 0 ? null : new DistinctIds(distinctWindows);
        state.texts = new TiledKeyCounts[keyWindows.length];
        for (int i = 0; i < keyWindows.length; i++) {
            state.texts[i] = new TiledKeyCounts(keyWindows[i]);
        }
        state.layout = layout;
    }

    /**
     * A hash of the tile layout, stored in each state: a state of another layout restarts with empty
     * tiles. The text is the one of the layouts before features were declared (text-repeat tiles
     * are {@code text}), so their checkpointed states keep their tiles.
     */
    private long layoutFingerprint(
            Map<String, List<SpamWindowedFeature>> countFeatures, List<SpamFeatureSet.WindowedColumn> keyColumns) {
        StringBuilder description = new StringBuilder();
        for (WindowSpec w : countWindows) {
            description
                    .append("counts ")
                    .append(w.lengthMillis())
                    .append('/')
                    .append(w.hopMillis())
                    .append(countFeatures.get(w.name()))
                    .append(';');
        }
        for (WindowSpec w : distinctWindows) {
            description
                    .append("distinct ")
                    .append(w.lengthMillis())
                    .append('/')
                    .append(w.hopMillis())
                    .append(';');
        }
        for (SpamFeatureSet.WindowedColumn column : keyColumns) {
            WindowSpec w = column.window();
            description
                    .append(
                            column.feature() == SpamWindowedFeature.TEXT_REPEAT_COUNT
                                    ? "text "
                                    : "keys " + column.feature().key() + " ")
                    .append(w.lengthMillis())
                    .append('/')
                    .append(w.hopMillis())
                    .append(';');
        }
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < description.length(); i++) {
            hash = (hash ^ description.charAt(i)) * 0x100000001b3L;
        }
        return hash == 0 ? 1 : hash;
    }
}
