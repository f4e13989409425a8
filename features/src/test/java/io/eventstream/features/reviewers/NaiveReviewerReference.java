package io.eventstream.features.reviewers;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.config.ReviewerWindowedFeature;
import io.eventstream.features.datasets.Column;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.windows.WindowSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The obviously-correct reviewer features. Per project, events are replayed in {@code (time, id)}
 * order over plain collections: every forgetting rule is applied eagerly before each event (no lazy
 * checks, no expiry timers), and each event's facts (activities, commits with their paths, reviews
 * with the MR's author and prefixes at that time) are recorded in lists, one per user they name.
 * Every windowed value of a user is then a count over that user's list filtered by time;
 * candidates are found and ranked by scanning every user of the project. No tiles, no hashed keys,
 * no incremental counters. Slow and only for tests: the engine and the Flink job must produce
 * exactly these rows.
 *
 * <p>Shared with the engine: {@link ReviewerInputs} (per-event reduction, tested on its own) and
 * {@link ReviewerPaths#prefixes} (tested by hand). Not shared: the candidate order, written here from
 * the documented rule (a sort of every candidate), never through {@link ReviewerCandidateOrder}, which
 * it checks.
 *
 * <p>Reusable from other modules through the features test-jar.
 */
public final class NaiveReviewerReference {
    private static final long DAY = 86_400_000L;

    /** Everything the job writes for a list of events. */
    public record Result(
            List<Object[]> candidateRows,
            List<Object[]> labelRows,
            Map<List<Object>, Object[]> onlineUserRows,
            Map<List<Object>, Object[]> onlinePathRows) {}

    private final ReviewerFeatureSet featureSet;
    private final ReviewerJobConfig config;

    public NaiveReviewerReference(ReviewerFeatureSet featureSet) {
        this.featureSet = featureSet;
        this.config = featureSet.config();
    }

    /**
     * Candidate and label rows of all events (per project in apply order; projects by id), and the
     * online tables after all events (last row written per key). Events may come in any order.
     */
    public Result compute(Collection<CloudEvent> events) {
        List<ReviewerInput> inputs = new ArrayList<>();
        for (CloudEvent event : events) {
            ReviewerInput input = ReviewerInputs.from(event);
            if (input != null) {
                inputs.add(input);
            }
        }
        inputs.sort(Comparator.<ReviewerInput>comparingLong(i -> i.timeMillis).thenComparing(i -> i.eventId));
        TreeMap<Long, List<ReviewerInput>> byProject = new TreeMap<>();
        for (ReviewerInput input : inputs) {
            byProject.computeIfAbsent(input.projectId, p -> new ArrayList<>()).add(input);
        }
        Result result = new Result(new ArrayList<>(), new ArrayList<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        byProject.values().forEach(projectInputs -> {
            Project project = new Project(projectInputs, result);
            project.run();
            projects.add(project);
        });
        return result;
    }

    private final List<Project> projects = new ArrayList<>();

    /**
     * The windowed count columns of every online row {@link #compute} left (user rows:
     * {@link ReviewerFeatureSet#onlineUserCountColumns()}, path rows:
     * {@link ReviewerFeatureSet#onlinePathCountColumns()}) counted from the events again as of
     * {@code asOf}, a time at or after each project's last event with no event in between: key to
     * column to count. Call after {@link #compute}.
     */
    public Map<List<Object>, Map<String, Object>> onlineCountsAsOf(long asOf) {
        Map<List<Object>, Map<String, Object>> counts = new LinkedHashMap<>();
        for (Project project : projects) {
            project.t = asOf;
            long projectId = project.in.projectId;
            project.result.onlineUserRows().keySet().stream()
                    .filter(k -> k.get(0).equals(projectId))
                    .forEach(key -> counts.put(
                            key,
                            countsOf(
                                    featureSet.onlineUserSchema(),
                                    featureSet.onlineUserCountColumns(),
                                    project.onlineUserRow((Long) key.get(1)))));
            project.result.onlinePathRows().keySet().stream()
                    .filter(k -> k.get(0).equals(projectId))
                    .forEach(key -> counts.put(
                            key,
                            countsOf(
                                    featureSet.onlinePathSchema(),
                                    featureSet.onlinePathCountColumns(),
                                    project.onlinePathRow((Long) key.get(1), (String) key.get(2)))));
        }
        return counts;
    }

    private static Map<String, Object> countsOf(DatasetSchema schema, List<String> columns, Object[] row) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String column : columns) {
            out.put(column, row[schema.indexOf(column)]);
        }
        return out;
    }

    // ---------------------------------------------------------------- replay of one project

    private static final class User {
        long firstSeen;
        long lastTouch;
        Long lastActivity;
        boolean member;
        Integer accessLevel;
    }

    private static final class MergeRequest {
        long mrId;
        Long author;
        String sourceBranch;
        boolean joinsBranch;
        TreeSet<Long> reviewers = new TreeSet<>();
        TreeSet<Long> approvers = new TreeSet<>();
        TreeSet<Long> reviewed = new TreeSet<>();
        TreeSet<String> paths = new TreeSet<>();
        boolean truncated;
        boolean opened;
        Long closedAt;
        long lastTouch;
    }

    private static final class Branch {
        TreeSet<String> paths = new TreeSet<>();
        boolean truncated;
        long lastPush;
    }

    /** What one event did that windowed features count. */
    private record Fact(
            long time,
            Long activityUser,
            boolean comment,
            boolean approval,
            List<Set<String>> commitPaths,
            List<Set<String>> commitPrefixes,
            Long reviewer,
            Long reviewedAuthor,
            Set<String> reviewedPrefixes) {
        /** Hash sets: {@code windowed} intersects them with an MR's paths and prefixes for every candidate. */
        Fact {
            commitPaths = hashed(commitPaths);
            commitPrefixes = hashed(commitPrefixes);
            reviewedPrefixes = reviewedPrefixes == null ? null : new HashSet<>(reviewedPrefixes);
        }

        private static List<Set<String>> hashed(List<Set<String>> sets) {
            List<Set<String>> copies = new ArrayList<>();
            for (Set<String> set : sets) {
                copies.add(new HashSet<>(set));
            }
            return copies;
        }
    }

    /** |a ∩ b|, walking the smaller set. */
    private static int intersectionSize(Set<String> a, Set<String> b) {
        Set<String> small = a.size() <= b.size() ? a : b;
        Set<String> large = small == a ? b : a;
        int size = 0;
        for (String element : small) {
            size += large.contains(element) ? 1 : 0;
        }
        return size;
    }

    private final class Project {
        private final List<ReviewerInput> inputs;
        private final Result result;
        private final Map<Long, User> users = new HashMap<>();
        private final Map<Long, MergeRequest> mergeRequests = new HashMap<>();
        private final Map<String, Branch> branches = new HashMap<>();
        /**
         * The facts of the events so far, in apply order, under each user they name (activity,
         * reviewer, reviewed author): every windowed value of a user counts only facts that name
         * that user.
         */
        private final Map<Long, List<Fact>> factsByUser = new HashMap<>();

        // Per event: what it produced.
        private ReviewerInput in;
        private long t;
        private final TreeSet<Long> touchedUsers = new TreeSet<>();
        private final TreeMap<Long, TreeSet<String>> touchedPrefixes = new TreeMap<>();
        private final List<Object[]> labels = new ArrayList<>();
        private final List<Object[]> candidates = new ArrayList<>();
        private Long activityUser;
        private boolean comment;
        private boolean approval;
        private final List<Set<String>> commitPaths = new ArrayList<>();
        private Long reviewer;
        private Long reviewedAuthor;
        private Set<String> reviewedPrefixes;

        Project(List<ReviewerInput> inputs, Result result) {
            this.inputs = inputs;
            this.result = result;
        }

        void run() {
            long previous = Long.MIN_VALUE;
            for (ReviewerInput input : inputs) {
                in = input;
                t = input.timeMillis;
                if (previous != Long.MIN_VALUE && t - previous > config.stateTtlMillis()) {
                    users.clear();
                    mergeRequests.clear();
                    branches.clear();
                    factsByUser.clear();
                }
                previous = Math.max(previous, t);
                forgetStale();
                touchedUsers.clear();
                touchedPrefixes.clear();
                labels.clear();
                candidates.clear();
                activityUser = null;
                comment = false;
                approval = false;
                commitPaths.clear();
                reviewer = null;
                reviewedAuthor = null;
                reviewedPrefixes = null;
                List<Long> emissions = new ArrayList<>();
                List<String> triggers = new ArrayList<>();
                switch (in.kind) {
                    case ReviewerInput.PUSH -> push(emissions, triggers);
                    case ReviewerInput.MR_NOTE -> note();
                    case ReviewerInput.MEMBER_ADDED, ReviewerInput.MEMBER_REMOVED -> member();
                    default -> mergeRequest(emissions, triggers);
                }
                List<Set<String>> prefixes = new ArrayList<>();
                for (Set<String> paths : commitPaths) {
                    prefixes.add(prefixesOf(paths));
                }
                addFact(new Fact(
                        t,
                        activityUser,
                        comment,
                        approval,
                        List.copyOf(commitPaths),
                        prefixes,
                        reviewer,
                        reviewedAuthor,
                        reviewedPrefixes));
                for (int e = 0; e < emissions.size(); e++) {
                    emit(emissions.get(e), triggers.get(e));
                }
                result.candidateRows().addAll(candidates);
                result.labelRows().addAll(labels);
                for (long user : touchedUsers) {
                    Object[] row = onlineUserRow(user);
                    result.onlineUserRows().put(List.of(in.projectId, user), row);
                }
                touchedPrefixes.forEach((user, set) -> {
                    for (String prefix : set) {
                        result.onlinePathRows().put(List.of(in.projectId, user, prefix), onlinePathRow(user, prefix));
                    }
                });
            }
        }

        private void forgetStale() {
            long ttl = config.stateTtlMillis();
            long grace = config.mergeRequestGraceMillis();
            users.values().removeIf(u -> !u.member && t - u.lastTouch > ttl);
            mergeRequests
                    .values()
                    .removeIf(m -> (m.closedAt != null && t > m.closedAt + grace) || t - m.lastTouch > ttl);
            branches.values().removeIf(b -> t - b.lastPush > ttl);
        }

        private User touch(long user, boolean activity) {
            User u = users.computeIfAbsent(user, k -> {
                User created = new User();
                created.firstSeen = t;
                return created;
            });
            u.lastTouch = t;
            if (activity) {
                u.lastActivity = t;
                activityUser = user;
            }
            return u;
        }

        /** Adds paths one by one while fewer than the cap are kept; says whether one was dropped. */
        private boolean addCapped(TreeSet<String> into, Collection<String> paths) {
            boolean dropped = false;
            for (String path : paths) {
                if (into.contains(path)) {
                    continue;
                }
                if (into.size() < config.maxPathsPerBranch()) {
                    into.add(path);
                } else {
                    dropped = true;
                }
            }
            return dropped;
        }

        private void push(List<Long> emissions, List<String> triggers) {
            TreeSet<String> pushPaths = new TreeSet<>();
            int offset = 0;
            for (int count : in.commitPathCounts) {
                Set<String> commit = new TreeSet<>(Arrays.asList(in.commitPaths).subList(offset, offset + count));
                offset += count;
                pushPaths.addAll(commit);
                if (in.userId != null) {
                    commitPaths.add(commit);
                }
            }
            boolean cut = in.totalCommits > in.commitPathCounts.length;
            if (in.branchDeleted) {
                branches.remove(in.branch);
            } else {
                Branch branch = in.branchCreated ? null : branches.get(in.branch);
                if (branch == null) {
                    branch = new Branch();
                    branches.put(in.branch, branch);
                }
                branch.lastPush = t;
                branch.truncated |= addCapped(branch.paths, pushPaths) | cut;
            }
            if (in.userId != null) {
                touch(in.userId, true);
                touchedUsers.add(in.userId);
                for (Set<String> commit : commitPaths) {
                    touchedPrefixes
                            .computeIfAbsent(in.userId, u -> new TreeSet<>())
                            .addAll(prefixesOf(commit));
                }
            }
            if (in.branchDeleted) {
                return;
            }
            new TreeMap<>(mergeRequests).forEach((iid, m) -> {
                if (m.joinsBranch && in.branch.equals(m.sourceBranch) && m.closedAt == null) {
                    int before = m.paths.size();
                    m.truncated |= addCapped(m.paths, pushPaths) | cut;
                    if (m.paths.size() > before && m.opened && config.emitOnPathGrowth()) {
                        emissions.add(iid);
                        triggers.add(ReviewerFeatureSet.TRIGGER_PATHS_GREW);
                    }
                }
            });
        }

        private void mergeRequest(List<Long> emissions, List<String> triggers) {
            MergeRequest m = mergeRequests.get(in.mrIid);
            boolean created = m == null;
            if (created) {
                m = new MergeRequest();
                m.mrId = in.mrId;
                m.sourceBranch = in.sourceBranch;
                m.joinsBranch = in.sourceInProject && in.sourceBranch != null;
                Branch branch = m.joinsBranch ? branches.get(in.sourceBranch) : null;
                if (branch != null) {
                    m.paths.addAll(branch.paths);
                    m.truncated = branch.truncated;
                }
                mergeRequests.put(in.mrIid, m);
            }
            if (in.mrAuthorId != null) {
                m.author = in.mrAuthorId;
            }
            m.lastTouch = t;
            int before = m.paths.size();
            if (in.changedPaths != null) {
                m.truncated |= addCapped(m.paths, Arrays.asList(in.changedPaths));
            }
            boolean grew = m.paths.size() > before;
            if (in.reviewerIds != null) {
                TreeSet<Long> previous = new TreeSet<>(m.reviewers);
                if (created && in.previousReviewerIds != null) {
                    previous = new TreeSet<>();
                    for (long r : in.previousReviewerIds) {
                        previous.add(r);
                    }
                }
                TreeSet<Long> now = new TreeSet<>();
                for (long r : in.reviewerIds) {
                    now.add(r);
                }
                for (long r : now) {
                    if (!previous.contains(r)) {
                        label(r, "assigned_reviewer");
                        touchedUsers.add(r);
                    }
                }
                for (long r : previous) {
                    if (!now.contains(r)) {
                        touchedUsers.add(r);
                    }
                }
                m.reviewers = now;
            }
            Long user = in.userId;
            switch (in.kind) {
                case ReviewerInput.MR_OPENED -> {
                    m.opened = true;
                    m.closedAt = null;
                    if (in.mrAuthorId != null) {
                        touch(in.mrAuthorId, false);
                    }
                }
                case ReviewerInput.MR_APPROVED -> {
                    if (user != null) {
                        touchedUsers.add(user);
                        if (!m.approvers.contains(user)) {
                            m.approvers.add(user);
                            touch(user, true);
                            approval = true;
                            label(user, "approved");
                            if (!user.equals(m.author) && !m.reviewed.contains(user)) {
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
                    touchedUsers.addAll(m.reviewers);
                }
                case ReviewerInput.MR_REOPENED -> {
                    m.closedAt = null;
                    touchedUsers.addAll(m.reviewers);
                }
                default -> {}
            }
            if (in.kind == ReviewerInput.MR_OPENED) {
                emissions.add(in.mrIid);
                triggers.add(ReviewerFeatureSet.TRIGGER_OPENED);
            } else if (grew && m.opened && m.closedAt == null && config.emitOnPathGrowth()) {
                emissions.add(in.mrIid);
                triggers.add(ReviewerFeatureSet.TRIGGER_PATHS_GREW);
            }
        }

        private void note() {
            if (in.userId == null) {
                return;
            }
            long user = in.userId;
            touch(user, true);
            comment = true;
            touchedUsers.add(user);
            MergeRequest m = mergeRequests.get(in.mrIid);
            if (m != null) {
                m.lastTouch = t;
                if (!Long.valueOf(user).equals(m.author) && !m.reviewed.contains(user)) {
                    review(m, user);
                }
            }
        }

        private void member() {
            if (in.userId == null) {
                return;
            }
            User u = touch(in.userId, false);
            u.member = in.kind == ReviewerInput.MEMBER_ADDED;
            u.accessLevel = u.member ? in.accessLevel : null;
            touchedUsers.add(in.userId);
        }

        private void review(MergeRequest m, long user) {
            m.reviewed.add(user);
            reviewer = user;
            reviewedAuthor = m.author;
            reviewedPrefixes = prefixesOf(m.paths);
            if (!reviewedPrefixes.isEmpty()) {
                touchedPrefixes.computeIfAbsent(user, u -> new TreeSet<>()).addAll(reviewedPrefixes);
            }
            label(user, "reviewed");
        }

        private void label(long user, String kind) {
            labels.add(new Object[] {in.projectId, in.mrIid, user, t, kind, in.eventId});
        }

        // ------------------------------------------------------------ values by scanning the facts

        /**
         * The facts of {@code user} inside a window evaluated at the current event (all facts so far
         * are at or before it).
         */
        private List<Fact> window(WindowSpec w, long user) {
            return window(w, factsByUser.getOrDefault(user, List.of()));
        }

        private List<Fact> window(WindowSpec w, List<Fact> timeOrdered) {
            long start = Math.floorDiv(t, w.hopMillis()) * w.hopMillis() - w.lengthMillis();
            // Facts are in apply order, so ascending in time, and none is after t: the window is a suffix.
            int low = 0;
            int high = timeOrdered.size();
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (timeOrdered.get(mid).time() < start) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return timeOrdered.subList(low, timeOrdered.size());
        }

        private void addFact(Fact fact) {
            Set<Long> named = new HashSet<>();
            for (Long user : new Long[] {fact.activityUser(), fact.reviewer(), fact.reviewedAuthor()}) {
                if (user != null && named.add(user)) {
                    factsByUser.computeIfAbsent(user, u -> new ArrayList<>()).add(fact);
                }
            }
        }

        private int lookbackActivity(long user) {
            return (int) window(config.lookbackWindow(), user).stream()
                    .filter(f -> Long.valueOf(user).equals(f.activityUser()))
                    .count();
        }

        private int load(long user) {
            int load = 0;
            for (MergeRequest m : mergeRequests.values()) {
                if (m.closedAt == null && m.reviewers.contains(user) && !m.approvers.contains(user)) {
                    load++;
                }
            }
            return load;
        }

        private Integer windowed(
                ReviewerWindowedFeature feature,
                WindowSpec w,
                long user,
                Long author,
                Set<String> paths,
                Set<String> prefixes) {
            boolean byAuthor = feature == ReviewerWindowedFeature.REVIEWS_OF_AUTHOR
                    || feature == ReviewerWindowedFeature.REVIEWS_BY_AUTHOR;
            if (byAuthor && author == null) {
                return null; // docs/reviewer-features.md: "Null when the author is unknown."
            }
            List<Fact> in = window(w, user);
            Long u = user;
            // Hash sets: the counts below intersect them with every commit and review in the window.
            Set<String> pathSet = new HashSet<>(paths);
            Set<String> prefixSet = new HashSet<>(prefixes);
            int value = 0;
            for (Fact f : in) {
                switch (feature) {
                    case REVIEWS -> value += u.equals(f.reviewer()) ? 1 : 0;
                    case APPROVALS -> value += f.approval() && u.equals(f.activityUser()) ? 1 : 0;
                    case MR_COMMENTS -> value += f.comment() && u.equals(f.activityUser()) ? 1 : 0;
                    case PATH_COMMITS -> {
                        if (u.equals(f.activityUser())) {
                            for (Set<String> commit : f.commitPaths()) {
                                value += intersectionSize(commit, pathSet);
                            }
                        }
                    }
                    case PREFIX_COMMITS -> {
                        if (u.equals(f.activityUser())) {
                            for (Set<String> commit : f.commitPrefixes()) {
                                value += intersectionSize(commit, prefixSet);
                            }
                        }
                    }
                    case PREFIX_REVIEWS -> {
                        if (u.equals(f.reviewer())) {
                            value += intersectionSize(f.reviewedPrefixes(), prefixSet);
                        }
                    }
                    case REVIEWS_OF_AUTHOR ->
                        value += u.equals(f.reviewer()) && author.equals(f.reviewedAuthor()) ? 1 : 0;
                    case REVIEWS_BY_AUTHOR ->
                        value += author.equals(f.reviewer()) && u.equals(f.reviewedAuthor()) ? 1 : 0;
                }
            }
            return value;
        }

        private void emit(long iid, String trigger) {
            MergeRequest m = mergeRequests.get(iid);
            List<Long> eligible = new ArrayList<>();
            Map<Long, Integer> activity = new HashMap<>();
            for (Map.Entry<Long, User> e : users.entrySet()) {
                activity.put(e.getKey(), lookbackActivity(e.getKey()));
                if (!e.getKey().equals(m.author) && (e.getValue().member || activity.get(e.getKey()) > 0)) {
                    eligible.add(e.getKey());
                }
            }
            // docs/reviewer-features.md, "Candidates": lookback_activity descending, then last activity time
            // descending (none last), then user id ascending.
            eligible.sort(Comparator.<Long>comparingInt(u -> -activity.get(u))
                    .thenComparing(u -> users.get(u).lastActivity, Comparator.nullsLast(Comparator.reverseOrder()))
                    .thenComparing(u -> u));
            Set<String> prefixes = prefixesOf(m.paths);
            User author = m.author == null ? null : users.get(m.author);
            for (int rank = 0; rank < Math.min(config.maxCandidates(), eligible.size()); rank++) {
                long c = eligible.get(rank);
                User u = users.get(c);
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("event_id", in.eventId);
                v.put("event_time", t);
                v.put("project_id", in.projectId);
                v.put("mr_iid", iid);
                v.put("mr_id", m.mrId);
                v.put("author_id", m.author);
                v.put("candidate_id", c);
                v.put("trigger", trigger);
                v.put("candidate_rank", rank + 1);
                v.put("changed_path_count", m.paths.size());
                v.put("path_prefix_count", prefixes.size());
                v.put("paths_truncated", m.truncated);
                v.put("author_tenure_days", author == null ? null : Math.floorDiv(t - author.firstSeen, DAY));
                v.put("is_member", u.member);
                v.put("access_level", u.member ? u.accessLevel : null);
                v.put(
                        "days_since_last_activity",
                        u.lastActivity == null ? null : Math.floorDiv(t - u.lastActivity, DAY));
                v.put("lookback_activity", lookbackActivity(c));
                v.put("open_review_load", load(c));
                for (ReviewerFeatureSet.WindowedColumn column : featureSet.windowedColumns()) {
                    v.put(column.name(), windowed(column.feature(), column.window(), c, m.author, m.paths, prefixes));
                }
                candidates.add(toRow(featureSet.candidateSchema(), v));
            }
        }

        private Object[] onlineUserRow(long user) {
            User u = users.get(user);
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("project_id", in.projectId);
            v.put("user_id", user);
            v.put("event_time", t);
            v.put("is_member", u != null && u.member);
            v.put("access_level", u != null && u.member ? u.accessLevel : null);
            v.put("last_activity_time", u == null ? null : u.lastActivity);
            v.put("lookback_activity", lookbackActivity(user));
            v.put("open_review_load", load(user));
            for (ReviewerFeatureSet.WindowedColumn column : featureSet.windowedColumns()) {
                switch (column.feature()) {
                    case REVIEWS, APPROVALS, MR_COMMENTS ->
                        v.put(
                                column.name(),
                                windowed(column.feature(), column.window(), user, null, Set.of(), Set.of()));
                    default -> {}
                }
            }
            // The tiles are the engine's encoding: compared through the counts they give (onlineCountsAsOf).
            v.put(ReviewerFeatureSet.COUNT_TILES, null);
            return toRow(featureSet.onlineUserSchema(), v);
        }

        private Object[] onlinePathRow(long user, String prefix) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("project_id", in.projectId);
            v.put("user_id", user);
            v.put("path_prefix", prefix);
            v.put("event_time", t);
            for (ReviewerFeatureSet.WindowedColumn column : featureSet.windowedColumns()) {
                if (column.feature() == ReviewerWindowedFeature.PREFIX_COMMITS) {
                    v.put(
                            "commits_" + column.window().name(),
                            windowed(column.feature(), column.window(), user, null, Set.of(), Set.of(prefix)));
                }
            }
            for (ReviewerFeatureSet.WindowedColumn column : featureSet.windowedColumns()) {
                if (column.feature() == ReviewerWindowedFeature.PREFIX_REVIEWS) {
                    v.put(
                            "reviews_" + column.window().name(),
                            windowed(column.feature(), column.window(), user, null, Set.of(), Set.of(prefix)));
                }
            }
            v.put(ReviewerFeatureSet.COUNT_TILES, null);
            return toRow(featureSet.onlinePathSchema(), v);
        }
    }

    private Set<String> prefixesOf(Collection<String> paths) {
        TreeSet<String> prefixes = new TreeSet<>();
        for (String path : paths) {
            ReviewerPaths.prefixes(path, config.prefixDepth(), prefixes);
        }
        return prefixes;
    }

    private static Object[] toRow(DatasetSchema schema, Map<String, Object> values) {
        List<Column> columns = schema.columns();
        if (values.size() != columns.size()) {
            throw new IllegalStateException("reference computes " + values.keySet() + " but " + schema.name() + " has "
                    + columns.stream().map(Column::name).toList());
        }
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) {
            if (!values.containsKey(columns.get(i).name())) {
                throw new IllegalStateException("reference does not compute " + schema.name() + "."
                        + columns.get(i).name());
            }
            row[i] = values.get(columns.get(i).name());
        }
        return row;
    }
}
