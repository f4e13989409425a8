package io.eventstream.features.generator;

import io.eventstream.features.events.AbuseReportData;
import io.eventstream.features.events.CommitData;
import io.eventstream.features.events.DiffPosition;
import io.eventstream.features.events.EmojiData;
import io.eventstream.features.events.EventData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.IssueData;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.events.ProjectData;
import io.eventstream.features.events.PushData;
import io.eventstream.features.events.SpamVerdictData;
import io.eventstream.features.events.SpamVerdictData.Verdict;
import io.eventstream.features.events.UserData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The world the generator simulates: a discrete-event simulation over users, projects, branches,
 * merge requests and delayed labels. Actions run in {@code (time, sequence)} order; each one mutates
 * the world, emits events at its time (or a few minutes later for multi-step actions) and schedules
 * follow-up actions. Nothing is planned per day in advance: every user has at most one pending
 * session, every open merge request a few pending steps, every recent piece of content at most one
 * pending label, so memory does not depend on the number of simulated days.
 *
 * <p>The behaviour is described in {@code docs/generator.md}; the constants below are its knobs.
 */
final class Simulation {

    /** Receives each event as it is generated; returns the event id it assigned. */
    interface Emitter {
        String emit(EventType type, long time, String subject, long partitionUser, EventData data);
    }

    static final long SECOND = 1000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final String ZERO_SHA = "0".repeat(40);
    static final String DEFAULT_BRANCH = "main";

    /** Normal users who exist before the stream starts (no {@code user.created}); the rest sign up during it. */
    static final double PREEXISTING_USER_SHARE = 0.5;
    static final double PREEXISTING_PROJECT_SHARE = 0.7;
    /** Bootstrap: pre-existing projects are announced in the first hour, their memberships in the next three. */
    static final long BOOTSTRAP_PROJECTS_END = HOUR;
    static final long BOOTSTRAP_END = 4 * HOUR;

    /** Spammers whose account predates the stream (bought, hijacked or long-dormant accounts): no {@code user.created}. */
    static final double AGED_SPAMMER_SHARE = 0.3;
    /** Spammers the automatic check never catches: only rare moderator verdicts or reports label them. */
    static final double EVASIVE_SPAMMER_SHARE = 0.2;
    /** Share of a member's content posted in a public project they are not a member of. */
    static final double NON_MEMBER_CONTENT = 0.2;

    static final double NORMAL_ALLOW_VERDICT = 0.015;
    /**
     * Share of long-standing normal users who get one wrongly-spam verdict during the run (newcomers:
     * {@link #NEWCOMER_FALSE_POSITIVE_FACTOR} times more: young accounts posting links look suspicious).
     * Per user, not per item: training labels are per user, so one false positive marks a day of that
     * user's content.
     */
    static final double NORMAL_USERS_WITH_FALSE_POSITIVE = 0.012;
    static final double NEWCOMER_FALSE_POSITIVE_FACTOR = 2.5;
    /** Share of false positives overturned by a moderator (a later ALLOW on the same item). */
    static final double FALSE_POSITIVE_OVERTURNED = 0.5;
    static final double NORMAL_DISMISSED_REPORT = 0.002;
    static final double RANDOM_REVIEWER = 0.12;
    static final double REVIEWER_DECLINES = 0.03;
    static final double MERGE_REQUEST_ABANDONED = 0.07;
    static final int GITLAB_PUSH_COMMIT_LIMIT = 20;

    private static final int[] TIME_ZONE_OFFSETS_MINUTES = {-8 * 60, -5 * 60, 0, 60, 120, 330, 480, 540};
    private static final String[] EMOJI = {"thumbsup", "thumbsup", "thumbsup", "heart", "tada", "rocket", "eyes", "thumbsdown", "100"};
    private static final String[] LABELS = {"bug", "feature", "documentation", "performance", "security", "ux", "backend", "frontend"};

    /** Ordered by time, then by scheduling order: ties resolve the same way in every run. */
    private record Action(long time, long sequence, Runnable body) implements Comparable<Action> {
        @Override
        public int compareTo(Action other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final GeneratorConfig config;
    private final Rng rng;
    private final TextFactory text;
    private final TruthSink truth;
    private final Emitter out;
    private final long start;
    private final long end;
    private final PriorityQueue<Action> actions = new PriorityQueue<>();
    private long actionSequence;
    private long now;

    private final SimUser[] users;
    private final SimProject[] projects;
    private final WeightedPicker projectPicker;
    private final WeightedPicker publicProjectPicker;
    private final double[] projectPopularity;
    /** Signed-up, non-spamming developers: project owners and reviewers come from here. */
    private final List<SimUser> activeDevelopers = new ArrayList<>();
    private final List<SimUser> activeNormalUsers = new ArrayList<>();

    private long issueIds;
    private long mergeRequestIds;
    private long noteIds;
    private long awardIds;
    private long abuseReportIds;
    private long branchCounter;
    private long shaCounter;
    private final long shaSalt;
    private int openMergeRequests;
    private int liveBranches;
    private int membershipCount;

    Simulation(GeneratorConfig config, TruthSink truth, Emitter out) {
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
        createProjects();
        createUsers();
    }

    // ====================================================================== driving

    /** Runs the next action; false when the simulated period is over. */
    boolean step() {
        Action action = actions.poll();
        if (action == null) {
            return false;
        }
        now = action.time();
        action.body().run();
        return true;
    }

    /** Time of the next action, or {@code Long.MAX_VALUE} when there is none: no later event can be earlier. */
    long nextActionTime() {
        Action next = actions.peek();
        return next == null ? Long.MAX_VALUE : next.time();
    }

    long now() {
        return now;
    }

    long end() {
        return end;
    }

    GeneratorState state(int bufferedEvents) {
        int trackedIssues = 0;
        int expertise = 0;
        for (SimProject project : projects) {
            trackedIssues += project.openIssues.size();
            expertise += project.expertiseEntries();
        }
        int history = 0;
        for (SimUser user : users) {
            history += user.reviewedBy.size();
        }
        return new GeneratorState(actions.size(), bufferedEvents, openMergeRequests, liveBranches, trackedIssues,
                membershipCount, expertise, history);
    }

    private void schedule(long time, Runnable body) {
        if (time < end) {
            actions.add(new Action(Math.max(time, now), actionSequence++, body));
        }
    }

    private String emit(EventType type, long time, String subject, long partitionUser, EventData data) {
        return out.emit(type, time, subject, partitionUser, data);
    }

    // ====================================================================== setup

    private void createProjects() {
        int preexisting = Math.max(1, (int) Math.round(projects.length * PREEXISTING_PROJECT_SHARE));
        int[] rank = shuffledIndexes(projects.length);
        for (int i = 0; i < projects.length; i++) {
            long id = 100 + i;
            double visibilityDraw = rng.uniform();
            String visibility = visibilityDraw < 0.6 ? "public" : visibilityDraw < 0.85 ? "internal" : "private";
            projects[i] = new SimProject(i, id, text.projectPath(id), visibility, new ProjectTree(rng), rng.chance(0.3) ? 2 : 1);
            // Zipf-like popularity: a few large projects, a long tail of small ones.
            projectPopularity[i] = 1.0 / StrictMath.pow(rank[i] + 1, 0.9);
        }
        for (int i = 0; i < projects.length; i++) {
            SimProject project = projects[i];
            if (i < preexisting) {
                schedule(start + rng.betweenMillis(0, BOOTSTRAP_PROJECTS_END), () -> createProject(project, true));
            } else {
                schedule(rng.betweenMillis(start + BOOTSTRAP_END, end), () -> createProject(project, false));
            }
        }
    }

    private void createUsers() {
        int spammers = config.spammerCount();
        int aged = (int) Math.round(spammers * AGED_SPAMMER_SHARE);
        int normal = config.users() - spammers;
        int preexisting = Math.max(1, (int) Math.round(normal * PREEXISTING_USER_SHARE)) + aged;
        // Aged spammers hide among the old accounts; the first one is a developer who can own projects.
        boolean[] agedSpammer = new boolean[preexisting];
        int[] agedOrder = shuffledIndexes(preexisting - 1);
        for (int i = 0; i < aged; i++) {
            agedSpammer[1 + agedOrder[i]] = true;
        }
        long nextId = 10;
        for (int i = 0; i < preexisting; i++) {
            if (agedSpammer[i]) {
                SimUser spammer = newSpammer(nextId++);
                users[i] = spammer;
                spammer.signedUp = true;
                long signedUpAt = start - rng.betweenMillis(30 * DAY, 700 * DAY);
                truth.spammer(new SpammerTruth(spammer.id, spammer.spammerStyle, Instant.ofEpochMilli(signedUpAt), spammer.emailDomainClass));
                schedule(rng.betweenMillis(start + BOOTSTRAP_END, end), () -> activateSpammer(spammer));
                continue;
            }
            SimUser user = newNormalUser(nextId++, i == 0, false);
            users[i] = user;
            signUpQuietly(user);
            int joins = initialProjectCount(user);
            schedule(start + rng.betweenMillis(BOOTSTRAP_PROJECTS_END, BOOTSTRAP_END), () -> {
                for (int j = 0; j < joins; j++) {
                    joinProject(user, false);
                }
            });
            scheduleNextSession(user, start + BOOTSTRAP_END);
        }
        // Newcomers and the other spammers sign up during the run; ids grow with sign-up time as in GitLab.
        int newcomers = config.users() - preexisting;
        long[] signUpTimes = new long[newcomers];
        for (int i = 0; i < newcomers; i++) {
            signUpTimes[i] = rng.betweenMillis(start, end);
        }
        Arrays.sort(signUpTimes);
        boolean[] spammer = new boolean[newcomers];
        int[] order = shuffledIndexes(newcomers);
        for (int i = 0; i < spammers - aged; i++) {
            spammer[order[i]] = true;
        }
        for (int i = 0; i < newcomers; i++) {
            SimUser user = spammer[i] ? newSpammer(nextId++) : newNormalUser(nextId++, false, true);
            user.newcomer = true;
            users[preexisting + i] = user;
            schedule(signUpTimes[i], () -> signUp(user));
        }
        // After every other user's draws, so a config without a hot project generates the same events as before.
        for (int i = 0; i < config.hotProjectMembers(); i++) {
            SimUser user = newHotProjectMember(nextId++);
            users[config.users() + i] = user;
        }
    }

    /**
     * An extra developer of the hot project (project index 0, created in the first hour): exists before the
     * start, joins it in the bootstrap hours, then works like any developer at the configured session rate.
     */
    private SimUser newHotProjectMember(long id) {
        int offset = TIME_ZONE_OFFSETS_MINUTES[rng.nextInt(TIME_ZONE_OFFSETS_MINUTES.length)];
        SimUser user = newUser(id, SimUser.Role.DEVELOPER, null, TextFactory.COMPANY, rng.chance(0.45), rng.chance(0.9),
                offset, rng.logNormal(config.hotMemberSessionsPerDay(), 0.5));
        signUpQuietly(user);
        SimProject hot = projects[0];
        int access = rng.chance(0.1) ? Membership.MAINTAINER : Membership.DEVELOPER;
        schedule(start + rng.betweenMillis(BOOTSTRAP_PROJECTS_END, BOOTSTRAP_END), () -> {
            if (user.membershipOf(hot) == null && user.memberships.size() < SimUser.MAX_MEMBERSHIPS) {
                addMember(user, hot, access, now);
            }
        });
        scheduleNextSession(user, start + BOOTSTRAP_END);
        return user;
    }

    private SimUser newNormalUser(long id, boolean forceDeveloper, boolean newcomer) {
        double roleDraw = rng.uniform();
        SimUser.Role role = forceDeveloper || roleDraw < 0.55 ? SimUser.Role.DEVELOPER
                : roleDraw < 0.67 ? SimUser.Role.REPORTER : roleDraw < 0.745 ? SimUser.Role.OCCASIONAL
                : roleDraw < 0.995 ? SimUser.Role.COMMUNITY : SimUser.Role.BOT;
        double domainDraw = rng.uniform();
        // Outside contributors sign up with private addresses, now and then a throwaway one.
        String domainClass = role == SimUser.Role.COMMUNITY
                ? domainDraw < 0.06 ? TextFactory.DISPOSABLE : domainDraw < 0.76 ? TextFactory.WEBMAIL : TextFactory.COMPANY
                : role == SimUser.Role.BOT ? domainDraw < 0.2 ? TextFactory.WEBMAIL : TextFactory.COMPANY
                : domainDraw < 0.02 ? TextFactory.DISPOSABLE : domainDraw < 0.47 ? TextFactory.WEBMAIL : TextFactory.COMPANY;
        double twoFactorShare = switch (domainClass) {
            case TextFactory.COMPANY -> 0.45;
            case TextFactory.WEBMAIL -> 0.25;
            default -> 0.05;
        };
        double sessions = switch (role) {
            case DEVELOPER -> rng.logNormal(4.0, 0.5);
            case REPORTER -> rng.logNormal(1.0, 0.5);
            case COMMUNITY -> rng.logNormal(2.0, 0.6);
            case BOT -> rng.logNormal(3.0, 0.5);
            default -> rng.logNormal(0.2, 0.6);
        };
        int offset = TIME_ZONE_OFFSETS_MINUTES[rng.nextInt(TIME_ZONE_OFFSETS_MINUTES.length)];
        SimUser user = newUser(id, role, null, domainClass, rng.chance(twoFactorShare), rng.chance(0.9), offset, sessions);
        user.newcomer = newcomer;
        if (role == SimUser.Role.BOT) {
            user.botTemplate = rng.nextInt(TextFactory.botTemplateCount());
            user.botRepeatsVerbatim = rng.chance(0.3);
        }
        user.falsePositiveDue = rng.chance(NORMAL_USERS_WITH_FALSE_POSITIVE * (newcomer ? NEWCOMER_FALSE_POSITIVE_FACTOR : 1.0));
        return user;
    }

    private SimUser newSpammer(long id) {
        double styleDraw = rng.uniform();
        SpammerStyle style = styleDraw < 0.5 ? SpammerStyle.BURST : styleDraw < 0.7 ? SpammerStyle.MENTION : SpammerStyle.SLOW_CAREFUL;
        double domainDraw = rng.uniform();
        String domainClass = switch (style) {
            case BURST -> domainDraw < 0.35 ? TextFactory.DISPOSABLE : domainDraw < 0.9 ? TextFactory.WEBMAIL : TextFactory.COMPANY;
            case MENTION -> domainDraw < 0.3 ? TextFactory.DISPOSABLE : domainDraw < 0.9 ? TextFactory.WEBMAIL : TextFactory.COMPANY;
            case SLOW_CAREFUL -> domainDraw < 0.08 ? TextFactory.DISPOSABLE : domainDraw < 0.78 ? TextFactory.WEBMAIL : TextFactory.COMPANY;
        };
        boolean careful = style == SpammerStyle.SLOW_CAREFUL;
        SimUser spammer = newUser(id, SimUser.Role.SPAMMER, style, domainClass, rng.chance(careful ? 0.1 : 0.02),
                rng.chance(careful ? 0.85 : 0.4), 0, careful ? rng.logNormal(3.0, 0.4) : 0);
        spammer.evasive = rng.chance(EVASIVE_SPAMMER_SHARE);
        // Intensity differs by orders of magnitude: log-uniform burst sizes and gaps.
        boolean burst = style == SpammerStyle.BURST;
        spammer.burstSize = (int) Math.round(2 * StrictMath.pow(burst ? 15 : 7.5, rng.uniform()));
        spammer.itemGapMillis = (long) ((burst ? 10 * SECOND : 30 * SECOND) * StrictMath.pow(burst ? 60 : 40, rng.uniform()));
        spammer.maxBursts = rng.between(1, 5);
        return spammer;
    }

    private SimUser newUser(long id, SimUser.Role role, SpammerStyle style, String domainClass, boolean twoFactor,
                            boolean verified, int offsetMinutes, double sessions) {
        String[] person = text.person(id, role == SimUser.Role.SPAMMER);
        String email = person[0] + "@" + text.emailDomain(domainClass);
        return new SimUser(id, role, style, person[0], person[1], email, domainClass, twoFactor, verified, offsetMinutes, sessions);
    }

    private int initialProjectCount(SimUser user) {
        return switch (user.role) {
            case DEVELOPER -> rng.oneToCap(1.2, 5);
            case REPORTER -> rng.oneToCap(0.4, 3);
            case COMMUNITY -> 0;
            // Half the integrations post into public projects without being members.
            case BOT -> rng.chance(0.5) ? rng.oneToCap(0.5, 3) : 0;
            default -> rng.chance(0.6) ? 1 : 0;
        };
    }

    private int[] shuffledIndexes(int n) {
        int[] indexes = new int[n];
        for (int i = 0; i < n; i++) {
            indexes[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int swap = indexes[i];
            indexes[i] = indexes[j];
            indexes[j] = swap;
        }
        return indexes;
    }

    // ====================================================================== users and projects

    private void signUpQuietly(SimUser user) {
        user.signedUp = true;
        activeNormalUsers.add(user);
        if (user.role == SimUser.Role.DEVELOPER) {
            activeDevelopers.add(user);
        }
    }

    private void signUp(SimUser user) {
        emit(EventType.USER_CREATED, now, "users/" + user.id, user.id, new UserData(user.id, user.username, null,
                user.name, user.email, "active", user.twoFactor, user.emailVerified));
        if (!user.isSpammer()) {
            signUpQuietly(user);
            int joins = user.role == SimUser.Role.COMMUNITY || user.role == SimUser.Role.BOT ? initialProjectCount(user)
                    : Math.max(1, initialProjectCount(user));
            for (int j = 0; j < joins; j++) {
                schedule(now + rng.betweenMillis(10 * MINUTE, 2 * DAY), () -> joinProject(user, false));
            }
            // Many sign up for a reason: to report a bug or answer a thread, within minutes or hours.
            if (user.role == SimUser.Role.COMMUNITY || (user.role != SimUser.Role.BOT && rng.chance(0.35))) {
                schedule(now + rng.betweenMillis(3 * MINUTE, 3 * HOUR), () -> firstContribution(user));
            }
            scheduleNextSession(user, now + rng.betweenMillis(30 * MINUTE, DAY));
            return;
        }
        user.signedUp = true;
        truth.spammer(new SpammerTruth(user.id, user.spammerStyle, Instant.ofEpochMilli(now), user.emailDomainClass));
        schedule(now + activationDelay(), () -> activateSpammer(user));
    }

    /** How long a new spam account waits before acting: usually hours, sometimes days or weeks. */
    private long activationDelay() {
        double draw = rng.uniform();
        return draw < 0.5 ? rng.betweenMillis(5 * MINUTE, 6 * HOUR)
                : draw < 0.8 ? rng.betweenMillis(6 * HOUR, 2 * DAY) : rng.betweenMillis(2 * DAY, 21 * DAY);
    }

    /** A newcomer's first content: a bug report or a comment in a public project, member or not. */
    private void firstContribution(SimUser user) {
        SimProject project = projectForContent(user);
        if (project == null) {
            return;
        }
        if (project.openIssues.isEmpty() || rng.chance(0.5)) {
            postIssue(user, project, text.issueTitle(), text.communityIssueDescription(project), now);
        } else {
            postIssueNote(user, project, randomOpenIssue(project), text.communityComment(project), now);
        }
    }

    /**
     * A spammer starts: campaign spammers may first join a public project (to spam from inside) or
     * warm up with a few ordinary comments, then burst; careful ones join projects and post slowly.
     */
    private void activateSpammer(SimUser spammer) {
        if (spammer.blocked) {
            return;
        }
        switch (spammer.spammerStyle) {
            case BURST, MENTION -> {
                String[] campaign = spammer.spammerStyle == SpammerStyle.BURST ? text.burstCampaign() : text.mentionCampaign();
                spammer.campaignTitle = campaign[0];
                spammer.campaignBodies = Arrays.copyOfRange(campaign, 1, campaign.length);
                // A campaign targets a few popular projects, not the whole instance.
                int targets = rng.between(1, 4);
                spammer.spamTargets = new ArrayList<>(targets);
                for (int t = 0; t < targets; t++) {
                    int index = publicProjectPicker.sample(rng);
                    spammer.spamTargets.add(projects[index >= 0 ? index : Math.max(0, projectPicker.sample(rng))]);
                }
                long firstBurst = now + rng.betweenMillis(MINUTE, HOUR);
                if (rng.chance(0.4)) {
                    joinProject(spammer, true);
                    firstBurst += rng.betweenMillis(10 * MINUTE, DAY);
                }
                if (rng.chance(0.6)) {
                    long warmUp = rng.betweenMillis(2 * HOUR, DAY);
                    int comments = rng.between(2, 6);
                    for (int c = 0; c < comments; c++) {
                        schedule(now + rng.betweenMillis(0, warmUp), () -> warmUpComment(spammer));
                    }
                    firstBurst += warmUp;
                }
                schedule(firstBurst, () -> startBurst(spammer));
            }
            case SLOW_CAREFUL -> {
                int joins = rng.between(1, 2);
                for (int j = 0; j < joins; j++) {
                    schedule(now + rng.betweenMillis(HOUR, 2 * DAY), () -> joinProject(spammer, true));
                }
                scheduleNextSession(spammer, now + rng.betweenMillis(2 * HOUR, 2 * DAY));
            }
        }
    }

    /** An ordinary-looking comment before the spam starts. */
    private void warmUpComment(SimUser spammer) {
        SimProject project = projectForContent(spammer);
        if (spammer.blocked || project == null || project.openIssues.isEmpty()) {
            return;
        }
        postIssueNote(spammer, project, randomOpenIssue(project), text.issueComment(project, List.of()), now);
    }

    private void createProject(SimProject project, boolean bootstrap) {
        SimUser owner = rng.pick(activeDevelopers);
        project.created = true;
        project.mainHead = sha();
        projectPicker.set(project.index, projectPopularity[project.index]);
        if (project.isPublic()) {
            publicProjectPicker.set(project.index, projectPopularity[project.index]);
        }
        emit(EventType.PROJECT_CREATED, now, "projects/" + project.id, owner.id,
                new ProjectData(project.id, null, project.pathWithNamespace, null, project.visibility, owner.id));
        addMember(owner, project, Membership.OWNER, now + SECOND);
        if (!bootstrap) {
            int invites = rng.between(0, 3);
            for (int i = 0; i < invites; i++) {
                SimUser invitee = rng.pick(activeDevelopers);
                schedule(now + rng.betweenMillis(10 * MINUTE, 6 * HOUR), () -> {
                    if (invitee.membershipOf(project) == null && invitee.memberships.size() < SimUser.MAX_MEMBERSHIPS) {
                        addMember(invitee, project, Membership.DEVELOPER, now);
                    }
                });
            }
        }
    }

    /** Joins a popular project the user is not in yet; public ones only for spammers. */
    private void joinProject(SimUser user, boolean publicOnly) {
        if (user.blocked || user.memberships.size() >= SimUser.MAX_MEMBERSHIPS) {
            return;
        }
        WeightedPicker picker = publicOnly ? publicProjectPicker : projectPicker;
        for (int attempt = 0; attempt < 6; attempt++) {
            int index = picker.sample(rng);
            if (index < 0) {
                return;
            }
            SimProject project = projects[index];
            if (user.membershipOf(project) == null) {
                int access = switch (user.role) {
                    case DEVELOPER -> rng.chance(0.15) ? Membership.MAINTAINER : Membership.DEVELOPER;
                    case REPORTER -> Membership.REPORTER;
                    case OCCASIONAL, COMMUNITY, SPAMMER -> rng.chance(0.5) ? Membership.GUEST : Membership.REPORTER;
                    case BOT -> Membership.REPORTER;
                };
                addMember(user, project, access, now);
                return;
            }
        }
    }

    private void addMember(SimUser user, SimProject project, int access, long time) {
        int modules = project.tree.moduleCount();
        int[] home = rng.chance(0.5) ? new int[] {rng.nextInt(modules)} : new int[] {rng.nextInt(modules), rng.nextInt(modules)};
        Membership membership = new Membership(user, project, access, home);
        user.memberships.add(membership);
        project.members.add(membership);
        membershipCount++;
        emit(EventType.MEMBER_ADDED, time, memberSubject(project, user), user.id,
                new MemberData(user.id, MemberData.PROJECT, project.id, null, access, null));
    }

    /** A maintainer changes someone's access level or removes someone not involved in open work. */
    private void administerMembers(SimUser admin) {
        Membership own = pickMembership(admin, Membership.MAINTAINER);
        if (own == null) {
            commentOnIssue(admin);
            return;
        }
        SimProject project = own.project;
        Membership target = rng.pick(project.members);
        if (target.user == admin || target.accessLevel == Membership.OWNER) {
            return;
        }
        if (rng.chance(0.6)) {
            target.accessLevel = target.accessLevel >= Membership.MAINTAINER ? Membership.DEVELOPER
                    : Math.min(Membership.MAINTAINER, target.accessLevel + 10);
            emit(EventType.MEMBER_UPDATED, now, memberSubject(project, target.user), target.user.id,
                    new MemberData(target.user.id, MemberData.PROJECT, project.id, null, target.accessLevel, null));
            return;
        }
        if (isInvolvedInOpenWork(target.user, project)) {
            return;
        }
        project.members.remove(target);
        target.user.memberships.remove(target);
        membershipCount--;
        emit(EventType.MEMBER_REMOVED, now, memberSubject(project, target.user), target.user.id,
                new MemberData(target.user.id, MemberData.PROJECT, project.id, null, target.accessLevel, null));
    }

    private boolean isInvolvedInOpenWork(SimUser user, SimProject project) {
        if (user.workingBranch != null && user.workingBranch.project == project) {
            return true;
        }
        for (SimMergeRequest mergeRequest : project.openMergeRequests) {
            if (mergeRequest.involves(user)) {
                return true;
            }
        }
        return false;
    }

    // ====================================================================== sessions

    /** Next session by thinning a Poisson process with the user's working-hours intensity. */
    private void scheduleNextSession(SimUser user, long from) {
        double peakPerDay = user.sessionsPerDay / 0.45;
        if (peakPerDay <= 0) {
            return;
        }
        long t = from;
        for (int attempt = 0; attempt < 10_000; attempt++) {
            t += (long) (rng.exponential(DAY / peakPerDay)) + 1;
            if (t >= end) {
                return;
            }
            if (rng.uniform() < intensity(user, t)) {
                schedule(t, () -> session(user));
                return;
            }
        }
    }

    /** Relative activity: office hours in the user's time zone, quieter evenings, nights and weekends. */
    static double intensity(SimUser user, long time) {
        long local = time + user.timeZoneOffsetMinutes * MINUTE;
        long epochDay = Math.floorDiv(local, DAY);
        int hour = (int) (Math.floorMod(local, DAY) / HOUR);
        int dayOfWeek = (int) Math.floorMod(epochDay + 3, 7); // 0 = Monday; 1970-01-01 was a Thursday
        double hourFactor;
        if ((hour >= 9 && hour < 12) || (hour >= 13 && hour < 18)) {
            hourFactor = 1.0;
        } else if (hour == 12) {
            hourFactor = 0.6;
        } else if ((hour >= 7 && hour < 9) || (hour >= 18 && hour < 22)) {
            hourFactor = 0.45;
        } else {
            hourFactor = 0.06;
        }
        return dayOfWeek >= 5 ? hourFactor * 0.25 : hourFactor;
    }

    private void session(SimUser user) {
        if (user.blocked) {
            return;
        }
        if (user.isSpammer()) {
            carefulSpammerSession(user);
        } else if (user.role == SimUser.Role.COMMUNITY) {
            communitySession(user);
        } else if (user.role == SimUser.Role.BOT) {
            botSession(user);
        } else if (user.memberships.isEmpty()) {
            joinProject(user, false);
        } else {
            double draw = rng.uniform();
            switch (user.role) {
                case DEVELOPER -> {
                    if (draw < 0.32) {
                        workOnBranch(user);
                    } else if (draw < 0.42) {
                        pushToDefaultBranch(user);
                    } else if (draw < 0.57) {
                        commentOnIssue(user);
                    } else if (draw < 0.64) {
                        openIssue(user);
                    } else if (draw < 0.76) {
                        commentOnMergeRequest(user);
                    } else if (draw < 0.84) {
                        awardEmoji(user);
                    } else if (draw < 0.88) {
                        closeIssue(user);
                    } else if (draw < 0.90) {
                        joinProject(user, false);
                    } else if (draw < 0.91) {
                        administerMembers(user);
                    } else if (draw < 0.95) {
                        triage(user);
                    } else {
                        commentOnIssue(user);
                    }
                }
                case REPORTER -> {
                    if (draw < 0.35) {
                        openIssue(user);
                    } else if (draw < 0.75) {
                        commentOnIssue(user);
                    } else if (draw < 0.9) {
                        awardEmoji(user);
                    } else if (draw < 0.98) {
                        commentOnMergeRequest(user);
                    } else {
                        joinProject(user, false);
                    }
                }
                default -> {
                    if (draw < 0.5) {
                        commentOnIssue(user);
                    } else if (draw < 0.8) {
                        awardEmoji(user);
                    } else if (draw < 0.95) {
                        openIssue(user);
                    } else {
                        joinProject(user, false);
                    }
                }
            }
        }
        scheduleNextSession(user, now);
    }

    private Membership pickMembership(SimUser user, int minimumAccess) {
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

    /**
     * A maintainer goes through open issues of one project and pastes the same canned answer on
     * several of them, seconds to minutes apart: repeated text in a burst, from a trusted member.
     */
    private void triage(SimUser user) {
        Membership membership = pickMembership(user, Membership.DEVELOPER);
        if (membership == null || membership.project.openIssues.isEmpty()) {
            commentOnIssue(user);
            return;
        }
        SimProject project = membership.project;
        String answer = text.triageAnswer();
        int answers = rng.between(3, 10);
        long time = now;
        for (int i = 0; i < answers; i++) {
            postIssueNote(user, project, randomOpenIssue(project), answer, time);
            time += rng.betweenMillis(20 * SECOND, 3 * MINUTE);
        }
    }

    /**
     * An integration reports a batch: 2–12 templated notes with external links on open issues and
     * merge requests, seconds apart, now and then an issue of its own.
     */
    private void botSession(SimUser bot) {
        SimProject project = projectForContent(bot);
        if (project == null) {
            return;
        }
        int notes = rng.between(2, 12);
        long time = now;
        for (int i = 0; i < notes; i++) {
            String body = text.botNote(bot.botTemplate, bot.botRepeatsVerbatim);
            if (!project.openMergeRequests.isEmpty() && rng.chance(0.4)) {
                postMergeRequestNote(bot, rng.pick(project.openMergeRequests), body, null, time);
            } else if (!project.openIssues.isEmpty() && rng.chance(0.9)) {
                postIssueNote(bot, project, randomOpenIssue(project), body, time);
            } else {
                postIssue(bot, project, "Automated report " + rng.between(1000, 9999), body, time);
            }
            time += rng.betweenMillis(5 * SECOND, 90 * SECOND);
        }
    }

    /** Someone from outside: bug reports, "+1"s and workarounds in public projects, emoji, now and then joins one. */
    private void communitySession(SimUser user) {
        SimProject project = projectForContent(user);
        if (project == null) {
            return;
        }
        double draw = rng.uniform();
        if (draw < 0.25 || (draw < 0.75 && project.openIssues.isEmpty())) {
            postIssue(user, project, text.issueTitle(), text.communityIssueDescription(project), now);
        } else if (draw < 0.35) {
            // "+1" on several related issues in a row: a repeated short text in a burst.
            String reply = text.shortReply();
            int issues = rng.between(2, 6);
            long time = now;
            for (int i = 0; i < issues; i++) {
                postIssueNote(user, project, randomOpenIssue(project), reply, time);
                time += rng.betweenMillis(20 * SECOND, 3 * MINUTE);
            }
        } else if (draw < 0.75) {
            SimIssue issue = randomOpenIssue(project);
            postIssueNote(user, project, issue, text.communityComment(project), now);
            if (rng.chance(0.3)) {
                // Back in the same thread after an answer.
                postIssueNote(user, project, issue, text.communityComment(project), now + rng.betweenMillis(5 * MINUTE, 40 * MINUTE));
            }
        } else if (draw < 0.85 && !project.openMergeRequests.isEmpty()) {
            postMergeRequestNote(user, rng.pick(project.openMergeRequests), text.communityComment(project), null, now);
        } else if (draw < 0.97) {
            awardEmoji(user);
        } else {
            joinProject(user, true);
        }
    }

    /** Mostly one of the user's projects; sometimes a public project they are not a member of. */
    private SimProject projectForContent(SimUser user) {
        if (!user.memberships.isEmpty() && !rng.chance(NON_MEMBER_CONTENT)) {
            return rng.pick(user.memberships).project;
        }
        int index = publicProjectPicker.sample(rng);
        if (index >= 0) {
            return projects[index];
        }
        return user.memberships.isEmpty() ? null : rng.pick(user.memberships).project;
    }

    // ====================================================================== issues, notes, emoji

    private void openIssue(SimUser user) {
        SimProject project = projectForContent(user);
        if (project == null) {
            return;
        }
        List<String> mentions = rng.chance(0.25) ? mentionableMembers(project, user, rng.oneToCap(0.8, 5)) : List.of();
        postIssue(user, project, text.issueTitle(), text.issueDescription(project, mentions), now);
    }

    private SimIssue postIssue(SimUser user, SimProject project, String title, String description, long time) {
        long id = ++issueIds;
        long iid = project.nextIssueIid++;
        List<String> labels = rng.chance(0.7) ? List.of(rng.pick(LABELS)) : List.of();
        List<Long> assignees = rng.chance(0.3) && !project.members.isEmpty() ? List.of(rng.pick(project.members).user.id) : List.of();
        String subject = "projects/" + project.id + "/issues/" + iid;
        String eventId = emit(EventType.ISSUE_OPENED, time, subject, user.id, new IssueData(project.id, null, id, iid,
                user.id, user.id, title, description, "opened", rng.chance(0.03), "Issue", assignees, labels));
        SimIssue issue = new SimIssue(id, iid, user.id, title);
        project.trackIssue(issue);
        project.rememberAwardable("Issue", id);
        afterContent(user, time, eventId, "Issue", id, subject);
        return issue;
    }

    private void commentOnIssue(SimUser user) {
        SimProject project = projectForContent(user);
        if (project == null) {
            return;
        }
        if (project.openIssues.isEmpty()) {
            openIssue(user);
            return;
        }
        SimIssue issue = randomOpenIssue(project);
        // Sometimes pinging people, now and then several at once ("@a @b @c any update?").
        List<String> mentions = rng.chance(0.15) ? mentionableMembers(project, user, rng.oneToCap(0.6, 6)) : List.of();
        postIssueNote(user, project, issue, text.issueComment(project, mentions), now);
    }

    private void postIssueNote(SimUser user, SimProject project, SimIssue issue, String body, long time) {
        long id = ++noteIds;
        String subject = "projects/" + project.id + "/notes/" + id;
        String eventId = emit(EventType.NOTE_CREATED, time, subject, user.id, new NoteData(project.id, id, user.id,
                NoteData.ISSUE, issue.id(), issue.iid(), null, body, false, false, null));
        project.rememberAwardable("Note", id);
        afterContent(user, time, eventId, "Note", id, subject);
    }

    private SimIssue randomOpenIssue(SimProject project) {
        // ArrayDeque has no index access; walking a bounded deque (40) is cheap.
        int target = rng.nextInt(project.openIssues.size());
        for (SimIssue issue : project.openIssues) {
            if (target-- == 0) {
                return issue;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private void closeIssue(SimUser user) {
        Membership membership = pickMembership(user, Membership.DEVELOPER);
        if (membership == null || membership.project.openIssues.isEmpty()) {
            commentOnIssue(user);
            return;
        }
        SimProject project = membership.project;
        SimIssue issue = randomOpenIssue(project);
        project.openIssues.remove(issue);
        emit(EventType.ISSUE_CLOSED, now, "projects/" + project.id + "/issues/" + issue.iid(), user.id,
                new IssueData(project.id, null, issue.id(), issue.iid(), issue.authorId(), user.id, issue.title(), null,
                        "closed", false, "Issue", List.of(), List.of()));
    }

    private void commentOnMergeRequest(SimUser user) {
        Membership membership = rng.pick(user.memberships);
        SimProject project = membership.project;
        if (project.openMergeRequests.isEmpty()) {
            commentOnIssue(user);
            return;
        }
        SimMergeRequest mergeRequest = rng.pick(project.openMergeRequests);
        DiffPosition position = null;
        String body;
        if (rng.chance(0.25) && !mergeRequest.branch.paths.isEmpty()) {
            String path = randomPath(mergeRequest.branch);
            position = diffPosition(mergeRequest.branch, path);
            body = text.reviewComment(project, path);
        } else if (rng.chance(0.1)) {
            body = text.reviewPing(mentionableMembers(project, user, rng.between(2, 5)));
        } else {
            body = text.mergeRequestComment(project, rng.chance(0.3) ? mergeRequest.author.username : null);
        }
        postMergeRequestNote(user, mergeRequest, body, position, now);
    }

    private void postMergeRequestNote(SimUser user, SimMergeRequest mergeRequest, String body, DiffPosition position, long time) {
        SimProject project = mergeRequest.project;
        long id = ++noteIds;
        String subject = "projects/" + project.id + "/notes/" + id;
        String eventId = emit(EventType.NOTE_CREATED, time, subject, user.id, new NoteData(project.id, id, user.id,
                NoteData.MERGE_REQUEST, mergeRequest.id, mergeRequest.iid, null, body, false, false, position));
        project.rememberAwardable("Note", id);
        afterContent(user, time, eventId, "Note", id, subject);
    }

    private void awardEmoji(SimUser user) {
        SimProject project = projectForContent(user);
        if (project == null || project.awardableCount() == 0) {
            return;
        }
        int slot = rng.nextInt(project.awardableCount());
        long id = ++awardIds;
        emit(EventType.EMOJI_AWARDED, now, "projects/" + project.id + "/award_emoji/" + id, user.id,
                new EmojiData(project.id, user.id, id, rng.pick(EMOJI), project.recentAwardableTypes[slot], project.recentAwardableIds[slot]));
    }

    /** Up to {@code count} distinct other members' usernames. */
    private List<String> mentionableMembers(SimProject project, SimUser except, int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = mentionableMember(project, except);
            if (name != null && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private String mentionableMember(SimProject project, SimUser except) {
        if (project.members.isEmpty()) {
            return null;
        }
        SimUser member = rng.pick(project.members).user;
        return member == except ? null : member.username;
    }

    // ====================================================================== pushes and branches

    private void workOnBranch(SimUser user) {
        Branch branch = user.workingBranch;
        if (branch != null && branch.mergeRequest == null && user.membershipOf(branch.project) != null) {
            push(user, branch, false);
        } else {
            if (branch != null && branch.mergeRequest == null) {
                liveBranches--; // abandoned after leaving the project
            }
            Membership membership = pickMembership(user, Membership.DEVELOPER);
            if (membership == null) {
                user.workingBranch = null;
                commentOnIssue(user);
                return;
            }
            int focus = membership.homeModules[rng.nextInt(membership.homeModules.length)];
            String area = membership.project.tree.module(focus);
            branch = new Branch(membership.project, user, (++branchCounter) + "-" + area.substring(area.indexOf('/') + 1) + "-" + (rng.chance(0.5) ? "fix" : "feature"), focus);
            branch.pushesBeforeMergeRequest = rng.oneToCap(0.8, 4);
            branch.baseSha = membership.project.mainHead;
            user.workingBranch = branch;
            liveBranches++;
            push(user, branch, true);
        }
        if (branch.pushes >= branch.pushesBeforeMergeRequest) {
            Branch ready = branch;
            schedule(now + rng.betweenMillis(2 * MINUTE, 30 * MINUTE), () -> openMergeRequest(ready));
        }
    }

    /** A push of one or more commits to a feature branch; paths concentrate on the branch's focus module. */
    private void push(SimUser user, Branch branch, boolean created) {
        SimProject project = branch.project;
        Membership membership = user.membershipOf(project);
        int commits = rng.chance(0.03) ? rng.between(GITLAB_PUSH_COMMIT_LIMIT + 1, 45) : rng.oneToCap(1.0, 12);
        List<CommitData> listed = new ArrayList<>(Math.min(commits, GITLAB_PUSH_COMMIT_LIMIT));
        String before = created ? ZERO_SHA : branch.headSha;
        String head = branch.headSha;
        for (int c = 0; c < commits; c++) {
            List<String> added = new ArrayList<>(2);
            List<String> modified = new ArrayList<>(3);
            List<String> removed = new ArrayList<>(1);
            int files = rng.oneToCap(0.8, 6);
            for (int f = 0; f < files; f++) {
                int module = rng.chance(0.85) ? branch.focusModule
                        : membership != null && rng.chance(0.5) ? membership.homeModules[0] : rng.nextInt(project.tree.moduleCount());
                touchPath(project, user, module, added, modified, removed, branch);
            }
            head = sha();
            // GitLab lists only the newest 20 commits of a push (oldest first); total_commits_count has them all.
            if (c >= commits - GITLAB_PUSH_COMMIT_LIMIT) {
                listed.add(new CommitData(head, now - (commits - c) * rng.betweenMillis(MINUTE, 15 * MINUTE), added, modified, removed));
            }
        }
        branch.headSha = head;
        branch.pushes++;
        emit(EventType.PUSH, now, "projects/" + project.id + "/repository", user.id, new PushData(project.id, user.id,
                "refs/heads/" + branch.name, branch.name, before, head, created, false, commits, listed));
        SimMergeRequest mergeRequest = branch.mergeRequest;
        if (mergeRequest != null && mergeRequest.open) {
            emitMergeRequest(EventType.MERGE_REQUEST_UPDATED, mergeRequest, user, now + 2 * SECOND, null);
        }
    }

    private void touchPath(SimProject project, SimUser user, int module, List<String> added, List<String> modified,
                           List<String> removed, Branch branch) {
        double draw = rng.uniform();
        String path;
        List<String> target;
        if (draw < 0.72) {
            path = project.tree.existingFile(module, rng);
            target = modified;
        } else if (draw < 0.95) {
            path = project.tree.addFile(module, rng);
            target = added;
        } else {
            path = project.tree.removeFile(module, rng);
            target = removed;
            if (path == null) {
                path = project.tree.existingFile(module, rng);
                target = modified;
            }
        }
        if (added.contains(path) || modified.contains(path) || removed.contains(path)) {
            return;
        }
        target.add(path);
        project.experts[module].add(user.id, 1.0, now);
        if (branch != null) {
            branch.touch(path, module);
        }
    }

    private void pushToDefaultBranch(SimUser user) {
        Membership membership = pickMembership(user, Membership.DEVELOPER);
        if (membership == null) {
            commentOnIssue(user);
            return;
        }
        SimProject project = membership.project;
        int commits = rng.oneToCap(0.4, 3);
        List<CommitData> listed = new ArrayList<>(commits);
        String before = project.mainHead;
        for (int c = 0; c < commits; c++) {
            List<String> added = new ArrayList<>(1);
            List<String> modified = new ArrayList<>(2);
            List<String> removed = new ArrayList<>(1);
            int files = rng.oneToCap(0.5, 4);
            for (int f = 0; f < files; f++) {
                touchPath(project, user, membership.homeModules[rng.nextInt(membership.homeModules.length)], added, modified, removed, null);
            }
            project.mainHead = sha();
            listed.add(new CommitData(project.mainHead, now - (commits - c) * rng.betweenMillis(MINUTE, 10 * MINUTE), added, modified, removed));
        }
        emit(EventType.PUSH, now, "projects/" + project.id + "/repository", user.id, new PushData(project.id, user.id,
                "refs/heads/" + DEFAULT_BRANCH, DEFAULT_BRANCH, before, project.mainHead, false, false, commits, listed));
    }

    private void deleteBranch(Branch branch) {
        SimProject project = branch.project;
        emit(EventType.PUSH, now, "projects/" + project.id + "/repository", branch.author.id, new PushData(project.id,
                branch.author.id, "refs/heads/" + branch.name, branch.name, branch.headSha, ZERO_SHA, false, true, 0, List.of()));
    }

    // ====================================================================== merge requests

    private void openMergeRequest(Branch branch) {
        SimUser author = branch.author;
        if (branch.mergeRequest != null || author.blocked || author.membershipOf(branch.project) == null) {
            return;
        }
        SimProject project = branch.project;
        SimIssue closes = !project.openIssues.isEmpty() && rng.chance(0.3) ? randomOpenIssue(project) : null;
        String title = text.mergeRequestTitle(project, branch.focusModule);
        SimMergeRequest mergeRequest = new SimMergeRequest(++mergeRequestIds, project.nextMergeRequestIid++, project, author,
                branch, title, text.mergeRequestDescription(project, closes), title.startsWith("Draft:"));
        branch.mergeRequest = mergeRequest;
        if (author.workingBranch == branch) {
            author.workingBranch = null;
        }
        project.openMergeRequests.add(mergeRequest);
        openMergeRequests++;
        String eventId = emitMergeRequest(EventType.MERGE_REQUEST_OPENED, mergeRequest, author, now, null);
        project.rememberAwardable("MergeRequest", mergeRequest.id);
        afterContent(author, now, eventId, "MergeRequest", mergeRequest.id, mergeRequestSubject(mergeRequest));
        schedule(now + rng.betweenMillis(MINUTE, 20 * MINUTE), () -> assignReviewers(mergeRequest));
        if (rng.chance(MERGE_REQUEST_ABANDONED)) {
            mergeRequest.abandoned = true;
            schedule(now + rng.betweenMillis(HOUR, 3 * DAY), () -> closeMergeRequest(mergeRequest));
        }
    }

    private String emitMergeRequest(EventType type, SimMergeRequest mergeRequest, SimUser actor, long time,
                                    List<Long> previousReviewers) {
        String state = switch (type) {
            case MERGE_REQUEST_MERGED -> "merged";
            case MERGE_REQUEST_CLOSED -> "closed";
            default -> "opened";
        };
        SimProject project = mergeRequest.project;
        return emit(type, time, mergeRequestSubject(mergeRequest), actor.id, new MergeRequestData(project.id,
                mergeRequest.id, mergeRequest.iid, mergeRequest.author.id, actor.id, mergeRequest.title,
                mergeRequest.description, state, project.id, mergeRequest.branch.name, DEFAULT_BRANCH, mergeRequest.draft,
                mergeRequest.reviewerIds(), previousReviewers, List.of(mergeRequest.author.id), null));
    }

    private void assignReviewers(SimMergeRequest mergeRequest) {
        if (!mergeRequest.open) {
            return;
        }
        List<SimUser> candidates = reviewerCandidates(mergeRequest);
        if (candidates.isEmpty()) {
            // Nobody can review: the author merges alone, as small projects do.
            schedule(now + rng.betweenMillis(HOUR, DAY), () -> merge(mergeRequest, mergeRequest.author));
            return;
        }
        int wanted = mergeRequest.project.requiredApprovals == 2 || rng.chance(0.35) ? 2 : 1;
        List<ReviewerPick> picks = chooseReviewers(mergeRequest, candidates, Math.min(wanted, candidates.size()));
        List<Long> previous = mergeRequest.reviewerIds();
        for (ReviewerPick pick : picks) {
            SimUser reviewer = userById(pick.userId());
            mergeRequest.reviewers.add(reviewer);
            mergeRequest.rounds.add(0);
            reviewer.openReviews++;
            schedule(now + reviewDelay(reviewer), () -> review(mergeRequest, reviewer));
        }
        announceReviewers(mergeRequest, previous, picks);
    }

    private void announceReviewers(SimMergeRequest mergeRequest, List<Long> previous, List<ReviewerPick> picks) {
        String eventId = emitMergeRequest(EventType.MERGE_REQUEST_REVIEWERS_CHANGED, mergeRequest, mergeRequest.author, now, previous);
        truth.reviewerAssignment(new ReviewerAssignmentTruth(eventId, Instant.ofEpochMilli(now), mergeRequest.project.id,
                mergeRequest.id, mergeRequest.iid, mergeRequest.author.id, previous, mergeRequest.reviewerIds(), picks));
    }

    /** Members who can review: developer access or more, not the author, not blocked, not a current reviewer. */
    private List<SimUser> reviewerCandidates(SimMergeRequest mergeRequest) {
        List<SimUser> candidates = new ArrayList<>();
        for (Membership membership : mergeRequest.project.members) {
            SimUser user = membership.user;
            if (membership.accessLevel >= Membership.DEVELOPER && user != mergeRequest.author && !user.blocked
                    && !user.isSpammer() && !mergeRequest.reviewers.contains(user)) {
                candidates.add(user);
            }
        }
        return candidates;
    }

    /**
     * Scores each candidate by expertise in the MR's modules, history with the author and free
     * capacity (each normalised to [0, 1] and weighted 2.5 / 1.2 / 0.6), adds Gumbel noise and takes
     * the best; with probability {@link #RANDOM_REVIEWER} a slot goes to a random candidate instead.
     */
    private List<ReviewerPick> chooseReviewers(SimMergeRequest mergeRequest, List<SimUser> candidates, int count) {
        SimProject project = mergeRequest.project;
        boolean[] modules = new boolean[project.tree.moduleCount()];
        for (int module : mergeRequest.branch.paths.values()) {
            modules[module] = true;
        }
        modules[mergeRequest.branch.focusModule] = true;
        // Only the few remembered experts have a score; everyone else has zero.
        Map<Long, Double> expertiseByUser = new HashMap<>();
        for (int m = 0; m < modules.length; m++) {
            if (modules[m]) {
                project.experts[m].addTo(expertiseByUser, now);
            }
        }
        Map<Long, Double> historyByUser = new HashMap<>();
        mergeRequest.author.reviewedBy.addTo(historyByUser, now);
        int n = candidates.size();
        double[] expertise = new double[n];
        double[] history = new double[n];
        double maxExpertise = 0;
        double maxHistory = 0;
        for (int i = 0; i < n; i++) {
            SimUser candidate = candidates.get(i);
            expertise[i] = expertiseByUser.getOrDefault(candidate.id, 0.0);
            history[i] = historyByUser.getOrDefault(candidate.id, 0.0);
            maxExpertise = Math.max(maxExpertise, expertise[i]);
            maxHistory = Math.max(maxHistory, history[i]);
        }
        boolean[] taken = new boolean[n];
        List<ReviewerPick> picks = new ArrayList<>(count);
        for (int slot = 0; slot < count; slot++) {
            if (rng.chance(RANDOM_REVIEWER)) {
                int chosen = randomUntaken(taken);
                taken[chosen] = true;
                SimUser user = candidates.get(chosen);
                picks.add(new ReviewerPick(user.id, PickReason.RANDOM, expertise[chosen], history[chosen], user.openReviews, Double.NaN));
                continue;
            }
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            double bestE = 0;
            double bestH = 0;
            double bestL = 0;
            for (int i = 0; i < n; i++) {
                if (taken[i]) {
                    continue;
                }
                double e = maxExpertise > 0 ? 2.5 * expertise[i] / maxExpertise : 0;
                double h = maxHistory > 0 ? 1.2 * history[i] / maxHistory : 0;
                double l = 0.6 / (1 + candidates.get(i).openReviews);
                double score = e + h + l + 0.4 * rng.gumbel();
                if (score > bestScore) {
                    bestScore = score;
                    best = i;
                    bestE = e;
                    bestH = h;
                    bestL = l;
                }
            }
            taken[best] = true;
            PickReason reason = bestE >= bestH && bestE >= bestL ? PickReason.EXPERTISE : bestH >= bestL ? PickReason.HISTORY : PickReason.LOAD;
            SimUser user = candidates.get(best);
            picks.add(new ReviewerPick(user.id, reason, expertise[best], history[best], user.openReviews, bestScore));
        }
        return picks;
    }

    private int randomUntaken(boolean[] taken) {
        int free = 0;
        for (boolean t : taken) {
            if (!t) {
                free++;
            }
        }
        int target = rng.nextInt(free);
        for (int i = 0; i < taken.length; i++) {
            if (!taken[i] && target-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** Busy reviewers answer later. */
    private long reviewDelay(SimUser reviewer) {
        double hours = rng.logNormal(3.0, 0.9) * (1 + 0.35 * reviewer.openReviews);
        return 5 * MINUTE + (long) (Math.min(hours, 96.0) * HOUR);
    }

    private void review(SimMergeRequest mergeRequest, SimUser reviewer) {
        int index = mergeRequest.reviewers.indexOf(reviewer);
        if (!mergeRequest.open || index < 0 || mergeRequest.approvedBy.contains(reviewer)) {
            return;
        }
        int round = mergeRequest.rounds.get(index);
        if (round == 0 && rng.chance(REVIEWER_DECLINES) && reassign(mergeRequest, reviewer, index)) {
            return;
        }
        int comments = round == 0 ? weighted(new double[] {0.3, 0.25, 0.2, 0.15, 0.1})
                : round == 1 ? (rng.chance(0.55) ? 0 : rng.between(1, 2)) : 0;
        SimProject project = mergeRequest.project;
        long time = now;
        Branch branch = mergeRequest.branch;
        for (int c = 0; c < comments; c++) {
            time += rng.betweenMillis(20 * SECOND, 4 * MINUTE);
            if (branch.paths.isEmpty()) {
                postMergeRequestNote(reviewer, mergeRequest, text.mergeRequestComment(project, null), null, time);
            } else {
                String path = randomPath(branch);
                postMergeRequestNote(reviewer, mergeRequest, text.reviewComment(project, path), diffPosition(branch, path), time);
            }
        }
        if (rng.chance(0.15)) {
            time += rng.betweenMillis(20 * SECOND, 2 * MINUTE);
            postMergeRequestNote(reviewer, mergeRequest, text.mergeRequestComment(project, null), null, time);
        }
        creditReview(mergeRequest, reviewer, 0.5);
        mergeRequest.rounds.set(index, round + 1);
        if (comments > 0) {
            schedule(time + (long) (rng.logNormal(2.0, 0.8) * HOUR), () -> authorResponds(mergeRequest, reviewer));
        } else {
            schedule(time + rng.betweenMillis(MINUTE, 10 * MINUTE), () -> approve(mergeRequest, reviewer));
        }
    }

    /** Reviewing counts as experience with the modules and with the author. */
    private void creditReview(SimMergeRequest mergeRequest, SimUser reviewer, double amount) {
        boolean[] seen = new boolean[mergeRequest.project.tree.moduleCount()];
        for (int module : mergeRequest.branch.paths.values()) {
            if (!seen[module]) {
                seen[module] = true;
                mergeRequest.project.experts[module].add(reviewer.id, 0.3 * amount, now);
            }
        }
        mergeRequest.author.reviewedBy.add(reviewer.id, amount, now);
    }

    private boolean reassign(SimMergeRequest mergeRequest, SimUser leaving, int index) {
        List<SimUser> candidates = reviewerCandidates(mergeRequest);
        if (candidates.isEmpty()) {
            return false;
        }
        List<ReviewerPick> picks = chooseReviewers(mergeRequest, candidates, 1);
        SimUser replacement = userById(picks.get(0).userId());
        List<Long> previous = mergeRequest.reviewerIds();
        mergeRequest.reviewers.set(index, replacement);
        mergeRequest.rounds.set(index, 0);
        leaving.openReviews--;
        replacement.openReviews++;
        announceReviewers(mergeRequest, previous, picks);
        schedule(now + reviewDelay(replacement), () -> review(mergeRequest, replacement));
        return true;
    }

    private void authorResponds(SimMergeRequest mergeRequest, SimUser reviewer) {
        if (!mergeRequest.open) {
            return;
        }
        SimUser author = mergeRequest.author;
        int replies = rng.between(1, 2);
        long time = now;
        for (int r = 0; r < replies; r++) {
            postMergeRequestNote(author, mergeRequest, text.reply(mergeRequest.branch.headSha.substring(0, 8)), null, time);
            time += rng.betweenMillis(20 * SECOND, 3 * MINUTE);
        }
        if (author.membershipOf(mergeRequest.project) != null) {
            long pushTime = time;
            schedule(pushTime, () -> {
                if (mergeRequest.open) {
                    push(author, mergeRequest.branch, false);
                }
            });
        }
        schedule(time + reviewDelay(reviewer) / 2, () -> review(mergeRequest, reviewer));
    }

    private void approve(SimMergeRequest mergeRequest, SimUser reviewer) {
        // An abandoned MR is reviewed but never approved: it waits for its author to close it.
        if (!mergeRequest.open || mergeRequest.abandoned || !mergeRequest.reviewers.contains(reviewer)
                || mergeRequest.approvedBy.contains(reviewer)) {
            return;
        }
        if (rng.chance(0.3)) {
            postMergeRequestNote(reviewer, mergeRequest, text.approvalComment(), null, now);
        }
        mergeRequest.approvedBy.add(reviewer);
        reviewer.openReviews--;
        creditReview(mergeRequest, reviewer, 1.0);
        emitMergeRequest(EventType.MERGE_REQUEST_APPROVAL, mergeRequest, reviewer, now + SECOND, null);
        int required = Math.min(mergeRequest.project.requiredApprovals, mergeRequest.reviewers.size());
        if (!mergeRequest.fullyApproved && mergeRequest.approvedBy.size() >= required) {
            mergeRequest.fullyApproved = true;
            emitMergeRequest(EventType.MERGE_REQUEST_APPROVED, mergeRequest, reviewer, now + 2 * SECOND, null);
            SimUser merger = rng.chance(0.7) ? mergeRequest.author : reviewer;
            schedule(now + rng.betweenMillis(2 * MINUTE, 4 * HOUR), () -> merge(mergeRequest, merger));
        }
    }

    private void merge(SimMergeRequest mergeRequest, SimUser merger) {
        if (!mergeRequest.open) {
            return;
        }
        finish(mergeRequest);
        mergeRequest.project.mainHead = sha();
        emitMergeRequest(EventType.MERGE_REQUEST_MERGED, mergeRequest, merger, now, null);
        if (rng.chance(0.5)) {
            schedule(now + rng.betweenMillis(MINUTE, 10 * MINUTE), () -> deleteBranch(mergeRequest.branch));
        }
    }

    private void closeMergeRequest(SimMergeRequest mergeRequest) {
        if (!mergeRequest.open) {
            return;
        }
        finish(mergeRequest);
        emitMergeRequest(EventType.MERGE_REQUEST_CLOSED, mergeRequest, mergeRequest.author, now, null);
    }

    private void finish(SimMergeRequest mergeRequest) {
        mergeRequest.open = false;
        mergeRequest.project.openMergeRequests.remove(mergeRequest);
        openMergeRequests--;
        liveBranches--;
        for (SimUser reviewer : mergeRequest.reviewers) {
            if (!mergeRequest.approvedBy.contains(reviewer)) {
                reviewer.openReviews--;
            }
        }
    }

    private String randomPath(Branch branch) {
        int target = rng.nextInt(branch.paths.size());
        for (String path : branch.paths.keySet()) {
            if (target-- == 0) {
                return path;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private DiffPosition diffPosition(Branch branch, String path) {
        int line = rng.between(1, 400);
        return new DiffPosition(path, path, rng.chance(0.4) ? null : line, line + rng.between(0, 3),
                branch.baseSha, branch.headSha, branch.baseSha);
    }

    private int weighted(double[] weights) {
        double draw = rng.uniform();
        for (int i = 0; i < weights.length; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    // ====================================================================== spammers

    private void startBurst(SimUser spammer) {
        if (spammer.blocked) {
            return;
        }
        spammer.spamItemsLeftInBurst = Math.max(1, (int) Math.round(spammer.burstSize * (0.5 + rng.uniform())));
        spamItem(spammer);
    }

    private void spamItem(SimUser spammer) {
        if (spammer.blocked) {
            return;
        }
        // Inside a project it joined when it has one (60%), else one of its few target projects.
        SimProject project = !spammer.memberships.isEmpty() && rng.chance(0.6) ? rng.pick(spammer.memberships).project
                : rng.pick(spammer.spamTargets);
        if (project.created) {
            String body = rng.pick(spammer.campaignBodies);
            if (spammer.spammerStyle == SpammerStyle.MENTION) {
                int mentions = rng.between(2, 10);
                List<String> names = new ArrayList<>(mentions);
                for (int m = 0; m < mentions; m++) {
                    names.add(project.members.isEmpty() || rng.chance(0.3) ? rng.pick(activeNormalUsers).username
                            : rng.pick(project.members).user.username);
                }
                body = text.mentionSpam(body, names);
            } else if (rng.chance(0.35)) {
                body = body + " " + rng.between(1, 999);
            }
            double draw = rng.uniform();
            if (draw < 0.6 && !project.openIssues.isEmpty()) {
                postIssueNote(spammer, project, randomOpenIssue(project), body, now);
            } else if (draw < 0.93 || project.openMergeRequests.isEmpty()) {
                postIssue(spammer, project, spammer.campaignTitle, body, now);
            } else {
                postMergeRequestNote(spammer, rng.pick(project.openMergeRequests), body, null, now);
            }
        }
        spammer.spamItemsLeftInBurst--;
        if (spammer.spamItemsLeftInBurst > 0) {
            schedule(now + (long) (spammer.itemGapMillis * (0.5 + rng.uniform())), () -> spamItem(spammer));
        } else if (++spammer.burstsDone < spammer.maxBursts) {
            schedule(now + rng.betweenMillis(HOUR, DAY), () -> startBurst(spammer));
        }
    }

    private void carefulSpammerSession(SimUser spammer) {
        SimProject project = projectForContent(spammer);
        if (project != null) {
            double draw = rng.uniform();
            if (draw < 0.7 && !project.openIssues.isEmpty()) {
                postIssueNote(spammer, project, randomOpenIssue(project), text.carefulComment(project), now);
            } else if (draw < 0.85 || project.awardableCount() == 0) {
                postIssue(spammer, project, text.carefulIssueTitle(), text.carefulIssueDescription(project), now);
            } else {
                awardEmoji(spammer);
            }
        }
    }

    // ====================================================================== labels

    /**
     * Schedules the delayed labels a new piece of content may get: verdicts (minutes to days later,
     * not on every item), abuse reports, and for a few normal users a wrong verdict, sometimes overturned.
     */
    private void afterContent(SimUser author, long time, String eventId, String targetType, long targetId, String subject) {
        if (time >= end) {
            return;
        }
        if (!author.isSpammer()) {
            if (rng.chance(NORMAL_ALLOW_VERDICT)) {
                scheduleVerdict(author, time + rng.betweenMillis(MINUTE, 5 * MINUTE), eventId, targetType, targetId, subject, Verdict.ALLOW, "spamcheck");
            } else if (author.falsePositiveDue && rng.chance(0.15)) {
                author.falsePositiveDue = false;
                boolean moderator = rng.chance(0.3);
                long verdictTime = time + (moderator ? moderatorDelay() : spamcheckDelay());
                scheduleVerdict(author, verdictTime, eventId, targetType, targetId, subject, Verdict.DISALLOW, moderator ? "moderator" : "spamcheck");
                if (rng.chance(FALSE_POSITIVE_OVERTURNED)) {
                    scheduleVerdict(author, verdictTime + rng.betweenMillis(HOUR, 2 * DAY), eventId, targetType, targetId, subject, Verdict.ALLOW, "moderator");
                }
            } else if (rng.chance(NORMAL_DISMISSED_REPORT)) {
                scheduleAbuseReport(author, time + rng.betweenMillis(DAY, 3 * DAY), AbuseReportData.Resolution.DISMISSED);
            }
            return;
        }
        double spamcheck;
        double moderator;
        double allow;
        double report;
        switch (author.spammerStyle) {
            case BURST -> { spamcheck = 0.5; moderator = 0.15; allow = 0.08; report = 0.35; }
            case MENTION -> { spamcheck = 0.4; moderator = 0.2; allow = 0.1; report = 0.45; }
            default -> { spamcheck = 0.1; moderator = 0.12; allow = 0.3; report = 0.2; }
        }
        if (author.evasive) {
            spamcheck = 0;
            moderator *= 0.3;
            report *= 0.3;
        }
        double draw = rng.uniform();
        if (draw < spamcheck + moderator) {
            boolean byModerator = draw >= spamcheck;
            scheduleVerdict(author, time + (byModerator ? moderatorDelay() : spamcheckDelay()), eventId, targetType, targetId, subject,
                    rng.chance(0.65) ? Verdict.DISALLOW : Verdict.BLOCK, byModerator ? "moderator" : "spamcheck");
        } else if (draw < spamcheck + moderator + allow) {
            scheduleVerdict(author, time + rng.betweenMillis(MINUTE, 5 * MINUTE), eventId, targetType, targetId, subject, Verdict.ALLOW, "spamcheck");
        }
        if (!author.reported) {
            author.reported = true;
            if (rng.chance(report)) {
                double resolution = rng.uniform();
                scheduleAbuseReport(author, time + rng.betweenMillis(2 * HOUR, 5 * DAY), resolution < 0.4 ? AbuseReportData.Resolution.BANNED
                        : resolution < 0.85 ? AbuseReportData.Resolution.BLOCKED : AbuseReportData.Resolution.DISMISSED);
            }
        }
    }

    /** The automatic check: usually minutes, queued for up to a few hours. */
    private long spamcheckDelay() {
        return 30 * SECOND + (long) (Math.min(rng.logNormal(4.0, 1.0), 360.0) * MINUTE);
    }

    /** A moderator's review: median 10 h, from minutes to a week. */
    private long moderatorDelay() {
        return 10 * MINUTE + (long) (Math.min(rng.logNormal(10.0, 1.0), 168.0) * HOUR);
    }

    private void scheduleVerdict(SimUser author, long time, String eventId, String targetType, long targetId, String subject,
                                 Verdict verdict, String source) {
        schedule(time, () -> {
            emit(EventType.SPAM_VERDICT, now, subject, author.id,
                    new SpamVerdictData(author.id, targetType, targetId, eventId, verdict, source));
            if (verdict.isSpam() && ++author.spamVerdicts >= (author.spammerStyle == SpammerStyle.SLOW_CAREFUL ? 2 : 3)) {
                scheduleBlock(author, now + rng.betweenMillis(MINUTE, 30 * MINUTE));
            }
        });
    }

    private void scheduleAbuseReport(SimUser reported, long time, AbuseReportData.Resolution resolution) {
        schedule(time, () -> {
            SimUser reporter = rng.pick(activeNormalUsers);
            long id = ++abuseReportIds;
            emit(EventType.ABUSE_REPORT_RESOLVED, now, "abuse_reports/" + id, reported.id,
                    new AbuseReportData(id, reported.id, reporter == reported ? null : reporter.id, resolution));
            if (resolution.confirmsAbuse()) {
                scheduleBlock(reported, now + rng.betweenMillis(0, 10 * MINUTE));
            }
        });
    }

    private void scheduleBlock(SimUser user, long time) {
        if (user.blockScheduled) {
            return;
        }
        user.blockScheduled = true;
        schedule(time, () -> {
            user.blocked = true;
            emit(EventType.USER_BLOCKED, now, "users/" + user.id, user.id,
                    new UserData(user.id, user.username, null, user.name, user.email, "blocked", null, null));
        });
    }

    // ====================================================================== helpers

    private SimUser userById(long id) {
        return users[(int) (id - 10)];
    }

    /** Deterministic 40-hex-digit commit ids (splitmix64 of a counter, salted by the seed). */
    private String sha() {
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

    private static String memberSubject(SimProject project, SimUser user) {
        return "projects/" + project.id + "/members/" + user.id;
    }

    private static String mergeRequestSubject(SimMergeRequest mergeRequest) {
        return "projects/" + mergeRequest.project.id + "/merge_requests/" + mergeRequest.iid;
    }
}
