package io.eventstream.features.spam;

import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The obviously-correct spam features: for each content event, scan the user's earlier events.
 * No tiles, no incremental state; every column is computed from its written definition (see
 * {@link SpamFeatureSet} column descriptions) by filtering the user's history. Slow (quadratic per
 * user) and only for tests: the engine and the Flink job must produce exactly these rows.
 *
 * <p>Shared with the engine: only {@link SpamInputs} (per-event reduction of text and email, tested
 * on its own with hand-computed cases) and the features' declarations ({@link SpamFeatureSpec}:
 * which input kinds, which value, which aggregation), read here as data. Ordering, windows, state
 * TTL, profile, membership and every aggregation are computed here independently, without tiles.
 *
 * <p>Reusable from other modules through the features test-jar.
 */
public final class NaiveSpamReference {
    private static final Comparator<SpamInput> ORDER =
            Comparator.<SpamInput>comparingLong(i -> i.timeMillis).thenComparing(i -> i.eventId);

    private final SpamFeatureSet featureSet;
    private final SpamInputs inputs;

    public NaiveSpamReference(SpamFeatureSet featureSet, SpamInputs inputs) {
        this.featureSet = featureSet;
        this.inputs = inputs;
    }

    /** Feature rows of all content events, in {@code (time, id)} order; events may come in any order. */
    public List<Object[]> featureRows(Collection<CloudEvent> events) {
        List<SpamInput> all = new ArrayList<>();
        for (CloudEvent event : events) {
            SpamInput input = inputs.from(event);
            if (input != null) {
                all.add(input);
            }
        }
        all.sort(ORDER);
        Map<Long, List<SpamInput>> byUser = new LinkedHashMap<>();
        Map<SpamInput, Integer> positionInUser = new IdentityHashMap<>();
        for (SpamInput input : all) {
            List<SpamInput> userEvents = byUser.computeIfAbsent(input.userId, u -> new ArrayList<>());
            positionInUser.put(input, userEvents.size());
            userEvents.add(input);
        }
        // The user's state is forgotten whenever an event comes more than state.ttl after the previous one.
        long ttl = featureSet.config().stateTtlMillis();
        Map<Long, int[]> sessionStarts = new HashMap<>();
        byUser.forEach((user, userEvents) -> {
            int[] starts = new int[userEvents.size()];
            for (int m = 1; m < starts.length; m++) {
                boolean gap = userEvents.get(m).timeMillis - userEvents.get(m - 1).timeMillis > ttl;
                starts[m] = gap ? m : starts[m - 1];
            }
            sessionStarts.put(user, starts);
        });
        List<Object[]> rows = new ArrayList<>();
        for (SpamInput input : all) {
            if (input.isContent()) {
                int position = positionInUser.get(input);
                rows.add(row(byUser.get(input.userId), sessionStarts.get(input.userId)[position], position));
            }
        }
        return rows;
    }

    /** The online table after all events: per user, the online row of its last content event. */
    public Map<Long, Object[]> onlineRows(Collection<CloudEvent> events) {
        DatasetSchema features = featureSet.featureSchema();
        DatasetSchema online = featureSet.onlineSchema();
        Map<Long, Object[]> latest = new LinkedHashMap<>();
        for (Object[] row : featureRows(events)) {
            Object[] onlineRow = new Object[online.columns().size()];
            for (int i = 0; i < onlineRow.length; i++) {
                String name = online.columns().get(i).name();
                onlineRow[i] = row[features.indexOf(name)];
            }
            latest.put((Long) row[features.indexOf("user_id")], onlineRow);
        }
        return latest;
    }

    /** Label rows of all label-bearing events, in {@code (time, id)} order. */
    public static List<Object[]> labelRows(Collection<CloudEvent> events) {
        return events.stream()
                .sorted(Comparator.comparing(CloudEvent::time).thenComparing(CloudEvent::id))
                .map(SpamLabels::labelRow)
                .filter(row -> row != null)
                .toList();
    }

    /**
     * A windowed column from its feature's declaration (which kinds, which value, which aggregation),
     * by filtering the history: the inputs of the declared kinds with time in the window, at or before
     * the current event in (time, id) order, strictly before its time for a count before t.
     */
    private static int windowValue(SpamFeatureSet.WindowedColumn column, List<SpamInput> history, SpamInput e) {
        SpamFeatureSpec spec = column.feature().spec();
        long t = e.timeMillis;
        long h = column.window().hopMillis();
        long start = Math.floorDiv(t, h) * h - column.window().lengthMillis();
        List<Long> values = new ArrayList<>();
        for (SpamInput x : history) { // history ends with the current event
            boolean inWindow = x.timeMillis >= start && (!spec.aggregation().beforeEventTime() || x.timeMillis < t);
            if (inWindow && spec.reads(x.kind) && spec.value().isPresent(x)) {
                values.add(spec.value().of(x));
            }
        }
        return switch (spec.aggregation()) {
            case COUNT, COUNT_BEFORE -> values.size();
            case SUM ->
                Math.toIntExact(values.stream().mapToLong(Long::longValue).sum());
            case DISTINCT_COUNT -> new HashSet<>(values).size();
            case SAME_KEY_COUNT -> {
                if (!spec.value().isPresent(e)) {
                    yield 0;
                }
                long key = spec.value().of(e);
                yield (int) values.stream().filter(v -> v == key).count();
            }
        };
    }

    private Object[] row(List<SpamInput> userEvents, int sessionStart, int current) {
        List<SpamInput> history = userEvents.subList(sessionStart, current + 1); // ends with the current event
        SpamInput e = userEvents.get(current);
        long t = e.timeMillis;

        SpamInput signup = null;
        Set<Long> members = new TreeSet<>();
        SpamInput previousContent = null;
        for (SpamInput h : history) {
            switch (h.kind) {
                case SpamInput.USER_CREATED -> signup = h;
                case SpamInput.MEMBER_ADDED -> members.add(h.projectId);
                case SpamInput.MEMBER_REMOVED -> members.remove(h.projectId);
                default -> {
                    if (h.isContent() && h != e) {
                        previousContent = h;
                    }
                }
            }
        }

        Map<String, Object> values = new LinkedHashMap<>();
        values.put("event_id", e.eventId);
        values.put("event_time", t);
        values.put("user_id", e.userId);
        values.put("project_id", e.projectId);
        values.put(
                "content_type",
                switch (e.kind) {
                    case SpamInput.ISSUE_OPENED -> "issue";
                    case SpamInput.NOTE_CREATED -> "note";
                    default -> "merge_request";
                });
        values.put("noteable_type", e.kind == SpamInput.NOTE_CREATED ? e.noteableType : null);
        values.put("text_length", e.textLength);
        values.put("title_length", e.kind == SpamInput.NOTE_CREATED ? null : e.titleLength);
        values.put("link_count", e.linkCount);
        values.put("external_link_count", e.externalLinkCount);
        values.put("mention_count", e.mentionCount);
        values.put("uppercase_ratio", e.uppercaseRatio);
        values.put("has_code_block", e.hasCodeBlock);
        values.put("account_age_seconds", signup == null ? null : Math.floorDiv(t - signup.timeMillis, 1000L));
        String domainClass = signup == null || signup.emailDomainClass == null ? "unknown" : signup.emailDomainClass;
        values.put("email_domain_class", domainClass);
        values.put("email_domain_hash", domainClass.equals("unknown") ? null : signup.emailDomainHash);
        values.put("member_project_count", members.size());
        values.put("is_project_member", e.projectId == null ? null : members.contains(e.projectId));
        values.put(
                "seconds_since_previous_content_event",
                previousContent == null ? null : Math.floorDiv(t - previousContent.timeMillis, 1000L));

        for (SpamFeatureSet.WindowedColumn column : featureSet.windowedColumns()) {
            values.put(column.name(), windowValue(column, history, e));
        }

        List<Column> columns = featureSet.featureSchema().columns();
        if (values.size() != columns.size()) {
            throw new IllegalStateException("reference computes " + values.keySet() + " but the schema has "
                    + columns.stream().map(Column::name).toList());
        }
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
            if (!values.containsKey(columns.get(i).name())) {
                throw new IllegalStateException(
                        "reference does not compute " + columns.get(i).name());
            }
            row[i] = values.get(columns.get(i).name());
        }
        return row;
    }
}
