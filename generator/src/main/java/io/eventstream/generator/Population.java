package io.eventstream.generator;

import static io.eventstream.generator.World.DAY;
import static io.eventstream.generator.World.HOUR;
import static io.eventstream.generator.World.MINUTE;
import static io.eventstream.generator.World.SECOND;

import io.eventstream.features.events.EventType;
import io.eventstream.features.events.UserData;
import java.time.Instant;
import java.util.Arrays;

/**
 * Who exists and when: the projects (popularity, visibility, which exist at the start), the users
 * (role, e-mail domain, time zone, activity; spammers with their style and intensity), who exists before
 * the start and who signs up during the run, what a newcomer does first, and the hot project's extra
 * developers. Spammers' sign-ups go to the truth.
 */
final class Population {

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

    private static final int[] TIME_ZONE_OFFSETS_MINUTES = {-8 * 60, -5 * 60, 0, 60, 120, 330, 480, 540};

    private final World world;
    private final Rng rng;
    private final TextFactory text;
    private final Content content;
    private final Memberships memberships;
    private final Sessions sessions;
    private final Spammers spammers;

    Population(World world, Content content, Memberships memberships, Sessions sessions, Spammers spammers) {
        this.world = world;
        this.rng = world.rng;
        this.text = world.text;
        this.content = content;
        this.memberships = memberships;
        this.sessions = sessions;
        this.spammers = spammers;
    }

    /** Every project: the pre-existing ones announced in the first hour, the others created during the run. */
    void createProjects() {
        int preexisting = Math.max(1, (int) Math.round(world.projects.length * PREEXISTING_PROJECT_SHARE));
        int[] rank = shuffledIndexes(world.projects.length);
        for (int i = 0; i < world.projects.length; i++) {
            long id = 100 + i;
            double visibilityDraw = rng.uniform();
            String visibility = visibilityDraw < 0.6 ? "public" : visibilityDraw < 0.85 ? "internal" : "private";
            world.projects[i] = new SimProject(
                    i, id, text.projectPath(id), visibility, new ProjectTree(rng), rng.chance(0.3) ? 2 : 1);
            // Zipf-like popularity: a few large projects, a long tail of small ones.
            world.projectPopularity[i] = 1.0 / StrictMath.pow(rank[i] + 1, 0.9);
        }
        for (int i = 0; i < world.projects.length; i++) {
            SimProject project = world.projects[i];
            if (i < preexisting) {
                world.schedule(
                        world.start + rng.betweenMillis(0, BOOTSTRAP_PROJECTS_END),
                        () -> memberships.createProject(project, true));
            } else {
                world.schedule(
                        rng.betweenMillis(world.start + BOOTSTRAP_END, world.end),
                        () -> memberships.createProject(project, false));
            }
        }
    }

    /**
     * Every user: the pre-existing ones (aged spammers among them) join projects in the bootstrap hours,
     * newcomers sign up during the run, then the hot project's extra developers.
     */
    void createUsers() {
        int spammerCount = world.config.spammerCount();
        int aged = (int) Math.round(spammerCount * AGED_SPAMMER_SHARE);
        int normal = world.config.users() - spammerCount;
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
                world.users[i] = spammer;
                spammer.signedUp = true;
                long signedUpAt = world.start - rng.betweenMillis(30 * DAY, 700 * DAY);
                world.truth.spammer(new SpammerTruth(
                        spammer.id, spammer.spammerStyle, Instant.ofEpochMilli(signedUpAt), spammer.emailDomainClass));
                world.schedule(
                        rng.betweenMillis(world.start + BOOTSTRAP_END, world.end), () -> spammers.activate(spammer));
                continue;
            }
            SimUser user = newNormalUser(nextId++, i == 0, false);
            world.users[i] = user;
            signUpQuietly(user);
            int joins = initialProjectCount(user);
            world.schedule(world.start + rng.betweenMillis(BOOTSTRAP_PROJECTS_END, BOOTSTRAP_END), () -> {
                for (int j = 0; j < joins; j++) {
                    memberships.joinProject(user, false);
                }
            });
            sessions.scheduleNextSession(user, world.start + BOOTSTRAP_END);
        }
        // Newcomers and the other spammers sign up during the run; ids grow with sign-up time as in GitLab.
        int newcomers = world.config.users() - preexisting;
        long[] signUpTimes = new long[newcomers];
        for (int i = 0; i < newcomers; i++) {
            signUpTimes[i] = rng.betweenMillis(world.start, world.end);
        }
        Arrays.sort(signUpTimes);
        boolean[] spammer = new boolean[newcomers];
        int[] order = shuffledIndexes(newcomers);
        for (int i = 0; i < spammerCount - aged; i++) {
            spammer[order[i]] = true;
        }
        for (int i = 0; i < newcomers; i++) {
            SimUser user = spammer[i] ? newSpammer(nextId++) : newNormalUser(nextId++, false, true);
            user.newcomer = true;
            world.users[preexisting + i] = user;
            world.schedule(signUpTimes[i], () -> signUp(user));
        }
        // After every other user's draws, so a config without a hot project generates the same events as before.
        for (int i = 0; i < world.config.hotProjectMembers(); i++) {
            SimUser user = newHotProjectMember(nextId++);
            world.users[world.config.users() + i] = user;
        }
    }

    /**
     * An extra developer of the hot project (project index 0, created in the first hour): exists before the
     * start, joins it in the bootstrap hours, then works like any developer at the configured session rate.
     */
    private SimUser newHotProjectMember(long id) {
        int offset = TIME_ZONE_OFFSETS_MINUTES[rng.nextInt(TIME_ZONE_OFFSETS_MINUTES.length)];
        SimUser user = newUser(
                id,
                SimUser.Role.DEVELOPER,
                null,
                TextFactory.COMPANY,
                rng.chance(0.45),
                rng.chance(0.9),
                offset,
                rng.logNormal(world.config.hotMemberSessionsPerDay(), 0.5));
        signUpQuietly(user);
        SimProject hot = world.projects[0];
        int access = rng.chance(0.1) ? Membership.MAINTAINER : Membership.DEVELOPER;
        world.schedule(world.start + rng.betweenMillis(BOOTSTRAP_PROJECTS_END, BOOTSTRAP_END), () -> {
            if (user.membershipOf(hot) == null && user.memberships.size() < SimUser.MAX_MEMBERSHIPS) {
                memberships.addMember(user, hot, access, world.now());
            }
        });
        sessions.scheduleNextSession(user, world.start + BOOTSTRAP_END);
        return user;
    }

    private SimUser newNormalUser(long id, boolean forceDeveloper, boolean newcomer) {
        double roleDraw = rng.uniform();
        SimUser.Role role = forceDeveloper || roleDraw < 0.55
                ? SimUser.Role.DEVELOPER
                : roleDraw < 0.67
                        ? SimUser.Role.REPORTER
                        : roleDraw < 0.745
                                ? SimUser.Role.OCCASIONAL
                                : roleDraw < 0.995 ? SimUser.Role.COMMUNITY : SimUser.Role.BOT;
        double domainDraw = rng.uniform();
        // Outside contributors sign up with private addresses, now and then a throwaway one.
        String domainClass = role == SimUser.Role.COMMUNITY
                ? domainDraw < 0.06
                        ? TextFactory.DISPOSABLE
                        : domainDraw < 0.76 ? TextFactory.WEBMAIL : TextFactory.COMPANY
                : role == SimUser.Role.BOT
                        ? domainDraw < 0.2 ? TextFactory.WEBMAIL : TextFactory.COMPANY
                        : domainDraw < 0.02
                                ? TextFactory.DISPOSABLE
                                : domainDraw < 0.47 ? TextFactory.WEBMAIL : TextFactory.COMPANY;
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
        SimUser user =
                newUser(id, role, null, domainClass, rng.chance(twoFactorShare), rng.chance(0.9), offset, sessions);
        user.newcomer = newcomer;
        if (role == SimUser.Role.BOT) {
            user.botTemplate = rng.nextInt(TextFactory.botTemplateCount());
            user.botRepeatsVerbatim = rng.chance(0.3);
        }
        user.falsePositiveDue = rng.chance(Moderation.NORMAL_USERS_WITH_FALSE_POSITIVE
                * (newcomer ? Moderation.NEWCOMER_FALSE_POSITIVE_FACTOR : 1.0));
        return user;
    }

    private SimUser newSpammer(long id) {
        double styleDraw = rng.uniform();
        SpammerStyle style = styleDraw < 0.5
                ? SpammerStyle.BURST
                : styleDraw < 0.7 ? SpammerStyle.MENTION : SpammerStyle.SLOW_CAREFUL;
        double domainDraw = rng.uniform();
        String domainClass = switch (style) {
            case BURST ->
                domainDraw < 0.35
                        ? TextFactory.DISPOSABLE
                        : domainDraw < 0.9 ? TextFactory.WEBMAIL : TextFactory.COMPANY;
            case MENTION ->
                domainDraw < 0.3
                        ? TextFactory.DISPOSABLE
                        : domainDraw < 0.9 ? TextFactory.WEBMAIL : TextFactory.COMPANY;
            case SLOW_CAREFUL ->
                domainDraw < 0.08
                        ? TextFactory.DISPOSABLE
                        : domainDraw < 0.78 ? TextFactory.WEBMAIL : TextFactory.COMPANY;
        };
        boolean careful = style == SpammerStyle.SLOW_CAREFUL;
        SimUser spammer = newUser(
                id,
                SimUser.Role.SPAMMER,
                style,
                domainClass,
                rng.chance(careful ? 0.1 : 0.02),
                rng.chance(careful ? 0.85 : 0.4),
                0,
                careful ? rng.logNormal(3.0, 0.4) : 0);
        spammer.evasive = rng.chance(EVASIVE_SPAMMER_SHARE);
        // Intensity differs by orders of magnitude: log-uniform burst sizes and gaps.
        boolean burst = style == SpammerStyle.BURST;
        spammer.burstSize = (int) Math.round(2 * StrictMath.pow(burst ? 15 : 7.5, rng.uniform()));
        spammer.itemGapMillis =
                (long) ((burst ? 10 * SECOND : 30 * SECOND) * StrictMath.pow(burst ? 60 : 40, rng.uniform()));
        spammer.maxBursts = rng.between(1, 5);
        return spammer;
    }

    private SimUser newUser(
            long id,
            SimUser.Role role,
            SpammerStyle style,
            String domainClass,
            boolean twoFactor,
            boolean verified,
            int offsetMinutes,
            double sessions) {
        String[] person = text.person(id, role == SimUser.Role.SPAMMER);
        String email = person[0] + "@" + text.emailDomain(domainClass);
        return new SimUser(
                id,
                role,
                style,
                person[0],
                person[1],
                email,
                domainClass,
                twoFactor,
                verified,
                offsetMinutes,
                sessions);
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

    private void signUpQuietly(SimUser user) {
        user.signedUp = true;
        world.activeNormalUsers.add(user);
        if (user.role == SimUser.Role.DEVELOPER) {
            world.activeDevelopers.add(user);
        }
    }

    private void signUp(SimUser user) {
        world.emit(
                EventType.USER_CREATED,
                world.now(),
                "users/" + user.id,
                user.id,
                new UserData(
                        user.id,
                        user.username,
                        null,
                        user.name,
                        user.email,
                        "active",
                        user.twoFactor,
                        user.emailVerified));
        if (!user.isSpammer()) {
            signUpQuietly(user);
            int joins = user.role == SimUser.Role.COMMUNITY || user.role == SimUser.Role.BOT
                    ? initialProjectCount(user)
                    : Math.max(1, initialProjectCount(user));
            for (int j = 0; j < joins; j++) {
                world.schedule(
                        world.now() + rng.betweenMillis(10 * MINUTE, 2 * DAY),
                        () -> memberships.joinProject(user, false));
            }
            // Many sign up for a reason: to report a bug or answer a thread, within minutes or hours.
            if (user.role == SimUser.Role.COMMUNITY || (user.role != SimUser.Role.BOT && rng.chance(0.35))) {
                world.schedule(world.now() + rng.betweenMillis(3 * MINUTE, 3 * HOUR), () -> firstContribution(user));
            }
            sessions.scheduleNextSession(user, world.now() + rng.betweenMillis(30 * MINUTE, DAY));
            return;
        }
        user.signedUp = true;
        world.truth.spammer(
                new SpammerTruth(user.id, user.spammerStyle, Instant.ofEpochMilli(world.now()), user.emailDomainClass));
        world.schedule(world.now() + spammers.activationDelay(), () -> spammers.activate(user));
    }

    /** A newcomer's first content: a bug report or a comment in a public project, member or not. */
    private void firstContribution(SimUser user) {
        SimProject project = world.projectForContent(user);
        if (project == null) {
            return;
        }
        if (project.openIssues.isEmpty() || rng.chance(0.5)) {
            content.postIssue(user, project, text.issueTitle(), text.communityIssueDescription(project), world.now());
        } else {
            content.postIssueNote(
                    user, project, world.randomOpenIssue(project), text.communityComment(project), world.now());
        }
    }
}
