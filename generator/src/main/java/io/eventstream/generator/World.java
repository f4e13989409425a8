package io.eventstream.generator;

import io.eventstream.features.events.EventData;
import io.eventstream.features.events.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The state every behaviour of the {@link Simulation} shares, in one explicit object: the clock and the
 * queue of timed actions, the one random stream, the outputs (events and truth), the population (users,
 * projects, who can be picked for what) and the gauges {@link GeneratorState} reports. The behaviours
 * ({@link Population}, {@link Memberships}, {@link Sessions}, {@link Content}, {@link Pushes},
 * {@link MergeRequests}, {@link Spammers}, {@link Moderation}) share nothing else: what one needs of another
 * it gets by a call on the behaviour it was given at construction.
 *
 * <p>Every random choice of the simulation is drawn from {@link #rng}, so the order of the draws, across
 * all behaviours, is what defines the generated events: moving code must keep it.
 */
final class World {

    static final long SECOND = 1000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    /** Share of a member's content posted in a public project they are not a member of. */
    static final double NON_MEMBER_CONTENT = 0.2;

    /** Ordered by time, then by scheduling order: ties resolve the same way in every run. */
    private record Action(long time, long sequence, Runnable body) implements Comparable<Action> {
        @Override
        public int compareTo(Action other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    final GeneratorConfig config;
    final Rng rng;
    final TextFactory text;
    final TruthSink truth;
    private final Simulation.Emitter out;
    final long start;
    final long end;
    private final PriorityQueue<Action> actions = new PriorityQueue<>();
    private long actionSequence;
    private long now;

    /** Users by {@code id - 10}: the configured users, then the hot project's extra developers. */
    final SimUser[] users;

    final SimProject[] projects;
    /** Created projects, weighted by popularity; {@link #publicProjectPicker} the public ones among them. */
    final WeightedPicker projectPicker;

    final WeightedPicker publicProjectPicker;
    final double[] projectPopularity;
    /** Signed-up, non-spamming developers: project owners and reviewers come from here. */
    final List<SimUser> activeDevelopers = new ArrayList<>();
    /** Signed-up, non-spamming users: reporters of abuse and the targets of mention spam come from here. */
    final List<SimUser> activeNormalUsers = new ArrayList<>();

    private long shaCounter;
    private final long shaSalt;

    /** Gauges for {@link GeneratorState}. */
    int openMergeRequests;

    int liveBranches;
    int membershipCount;

    World(GeneratorConfig config, TruthSink truth, Simulation.Emitter out) {
        this.config = config;
        this.rng = new Rng(config.seed());
        this.text = new TextFactory(rng, config.source());
        this.truth = truth;
        this.out = out;
        this.start = config.start().toEpochMilli();
        this.end = config.end().toEpochMilli();
        this.now = start;
        this.shaSalt = rng.nextLong();
        this.projects = new SimProject[config.projects()];
        this.projectPicker = new WeightedPicker(projects.length);
        this.publicProjectPicker = new WeightedPicker(projects.length);
        this.projectPopularity = new double[projects.length];
        this.users = new SimUser[config.users() + config.hotProjectMembers()];
    }

    // ====================================================================== time and actions

    /** Simulated time: the time of the action running now. */
    long now() {
        return now;
    }

    /** Runs {@code body} at {@code time} (not before now); dropped when at or after the end of the period. */
    void schedule(long time, Runnable body) {
        if (time < end) {
            actions.add(new Action(Math.max(time, now), actionSequence++, body));
        }
    }

    /** Runs the next action; false when there is none left. */
    boolean runNextAction() {
        Action action = actions.poll();
        if (action == null) {
            return false;
        }
        now = action.time();
        action.body().run();
        return true;
    }

    /** Time of the next action, or {@code Long.MAX_VALUE} when there is none. */
    long nextActionTime() {
        Action next = actions.peek();
        return next == null ? Long.MAX_VALUE : next.time();
    }

    int pendingActions() {
        return actions.size();
    }

    /** Emits one event; returns the id it was given. */
    String emit(EventType type, long time, String subject, long partitionUser, EventData data) {
        return out.emit(type, time, subject, partitionUser, data);
    }

    // ====================================================================== lookups and picks

    SimUser userById(long id) {
        return users[(int) (id - 10)];
    }

    /** One of the user's memberships with at least that access, uniformly; null when there is none. */
    Membership pickMembership(SimUser user, int minimumAccess) {
        int eligible = 0;
        for (Membership membership : user.memberships) {
            if (membership.accessLevel >= minimumAccess) {
                eligible++;
            }
        }
        if (eligible == 0) {
            return null;
        }
        int chosen = rng.nextInt(eligible);
        for (Membership membership : user.memberships) {
            if (membership.accessLevel >= minimumAccess && chosen-- == 0) {
                return membership;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** Mostly one of the user's projects; sometimes a public project they are not a member of. */
    SimProject projectForContent(SimUser user) {
        if (!user.memberships.isEmpty() && !rng.chance(NON_MEMBER_CONTENT)) {
            return rng.pick(user.memberships).project;
        }
        int index = publicProjectPicker.sample(rng);
        if (index >= 0) {
            return projects[index];
        }
        return user.memberships.isEmpty() ? null : rng.pick(user.memberships).project;
    }

    SimIssue randomOpenIssue(SimProject project) {
        // ArrayDeque has no index access; walking a bounded deque (40) is cheap.
        int target = rng.nextInt(project.openIssues.size());
        for (SimIssue issue : project.openIssues) {
            if (target-- == 0) {
                return issue;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** Deterministic 40-hex-digit commit ids (splitmix64 of a counter, salted by the seed). */
    String sha() {
        long counter = ++shaCounter;
        char[] hex = new char[40];
        long state = counter ^ shaSalt;
        for (int block = 0; block < 3; block++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            for (int digit = 0; digit < 16 && block * 16 + digit < 40; digit++) {
                hex[block * 16 + digit] = Character.forDigit((int) ((z >>> (60 - 4 * digit)) & 0xF), 16);
            }
        }
        return new String(hex);
    }
}
