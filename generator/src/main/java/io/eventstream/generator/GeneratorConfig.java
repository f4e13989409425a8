package io.eventstream.generator;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the {@link SyntheticEventGenerator} simulates. Same config, same events, byte for byte.
 *
 * @param seed            seeds every random choice
 * @param users           total users, spammers included; about half of the normal users and 30% of the
 *                        spammers exist before {@code start} (no {@code user.created}), the others sign
 *                        up during the run
 * @param projects        total projects; 70% exist at {@code start}, the others are created during the run
 * @param days            simulated days; every event time is in {@code [start, start + days)}
 * @param start           first instant simulated
 * @param spamFraction    share of users who are spammers ({@code round(users * spamFraction)} of them)
 * @param maxJitter       events are emitted {@code time + U[0, maxJitter]}: the out-of-orderness bound.
 *                        Keep it below the job's watermark bound (30 s by default)
 * @param lateFraction    share of events emitted {@code lateDelay} to {@code 2 * lateDelay} after their time,
 *                        to exercise late-data handling
 * @param lateDelay       how late a late event is at least
 * @param source          CloudEvents {@code source}: the GitLab instance URI; its host is the "internal" link host
 * @param hotProjectMembers        0, or that many extra developers (ids after every other user's) who exist
 *                                 before {@code start} and join the first project (id 100) in the bootstrap
 *                                 hours: a hot project key for benchmarks. They behave like other developers
 * @param hotMemberSessionsPerDay  average sessions per day of each of those developers (their activity, and
 *                                 so the hot project's merge requests, scale with it)
 */
public record GeneratorConfig(
        long seed,
        int users,
        int projects,
        int days,
        Instant start,
        double spamFraction,
        Duration maxJitter,
        double lateFraction,
        Duration lateDelay,
        String source,
        int hotProjectMembers,
        double hotMemberSessionsPerDay) {

    public static final Instant DEFAULT_START = Instant.parse("2024-01-01T00:00:00Z");
    public static final double DEFAULT_SPAM_FRACTION = 0.05;
    public static final Duration DEFAULT_MAX_JITTER = Duration.ofSeconds(20);
    public static final Duration DEFAULT_LATE_DELAY = Duration.ofHours(1);
    public static final String DEFAULT_SOURCE = "https://gitlab.example.com";

    /** Configuration errors are programming or command-line errors: they fail fast, naming the field. */
    public GeneratorConfig {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(maxJitter, "maxJitter");
        Objects.requireNonNull(lateDelay, "lateDelay");
        Objects.requireNonNull(source, "source");
        require(users >= 1, "users must be at least 1, got " + users);
        require(projects >= 1, "projects must be at least 1, got " + projects);
        require(days >= 1, "days must be at least 1, got " + days);
        require(spamFraction >= 0 && spamFraction < 1, "spamFraction must be in [0, 1), got " + spamFraction);
        require(users - Math.round(users * spamFraction) >= 1, "spamFraction leaves no normal user");
        require(!maxJitter.isNegative(), "maxJitter must not be negative");
        require(lateFraction >= 0 && lateFraction <= 1, "lateFraction must be in [0, 1], got " + lateFraction);
        require(!lateDelay.isNegative(), "lateDelay must not be negative");
        require(hotProjectMembers >= 0, "hotProjectMembers must not be negative, got " + hotProjectMembers);
        require(
                hotMemberSessionsPerDay > 0 && hotMemberSessionsPerDay <= 100,
                "hotMemberSessionsPerDay must be in (0, 100], got " + hotMemberSessionsPerDay);
        require(
                !source.isBlank() && URI.create(source).isAbsolute(),
                "source must be an absolute URI, got '" + source + "'");
    }

    /** Sessions per day of a hot project's extra developers unless set otherwise. */
    public static final double DEFAULT_HOT_MEMBER_SESSIONS_PER_DAY = 1.0;

    /** A config without a hot project (the shape before hot projects existed). */
    public GeneratorConfig(
            long seed,
            int users,
            int projects,
            int days,
            Instant start,
            double spamFraction,
            Duration maxJitter,
            double lateFraction,
            Duration lateDelay,
            String source) {
        this(
                seed,
                users,
                projects,
                days,
                start,
                spamFraction,
                maxJitter,
                lateFraction,
                lateDelay,
                source,
                0,
                DEFAULT_HOT_MEMBER_SESSIONS_PER_DAY);
    }

    /** A config with the defaults above for everything but the sizes. */
    public static GeneratorConfig of(long seed, int users, int projects, int days) {
        return new GeneratorConfig(
                seed,
                users,
                projects,
                days,
                DEFAULT_START,
                DEFAULT_SPAM_FRACTION,
                DEFAULT_MAX_JITTER,
                0.0,
                DEFAULT_LATE_DELAY,
                DEFAULT_SOURCE);
    }

    public GeneratorConfig withSeed(long newSeed) {
        return new GeneratorConfig(
                newSeed,
                users,
                projects,
                days,
                start,
                spamFraction,
                maxJitter,
                lateFraction,
                lateDelay,
                source,
                hotProjectMembers,
                hotMemberSessionsPerDay);
    }

    public GeneratorConfig withDays(int newDays) {
        return new GeneratorConfig(
                seed,
                users,
                projects,
                newDays,
                start,
                spamFraction,
                maxJitter,
                lateFraction,
                lateDelay,
                source,
                hotProjectMembers,
                hotMemberSessionsPerDay);
    }

    public GeneratorConfig withStart(Instant newStart) {
        return new GeneratorConfig(
                seed,
                users,
                projects,
                days,
                newStart,
                spamFraction,
                maxJitter,
                lateFraction,
                lateDelay,
                source,
                hotProjectMembers,
                hotMemberSessionsPerDay);
    }

    public GeneratorConfig withSpamFraction(double fraction) {
        return new GeneratorConfig(
                seed,
                users,
                projects,
                days,
                start,
                fraction,
                maxJitter,
                lateFraction,
                lateDelay,
                source,
                hotProjectMembers,
                hotMemberSessionsPerDay);
    }

    public GeneratorConfig withMaxJitter(Duration jitter) {
        return new GeneratorConfig(
                seed,
                users,
                projects,
                days,
                start,
                spamFraction,
                jitter,
                lateFraction,
                lateDelay,
                source,
                hotProjectMembers,
                hotMemberSessionsPerDay);
    }

    public GeneratorConfig withLateFraction(double fraction) {
        return new GeneratorConfig(
                seed,
                users,
                projects,
                days,
                start,
                spamFraction,
                maxJitter,
                fraction,
                lateDelay,
                source,
                hotProjectMembers,
                hotMemberSessionsPerDay);
    }

    public GeneratorConfig withLateDelay(Duration delay) {
        return new GeneratorConfig(
                seed,
                users,
                projects,
                days,
                start,
                spamFraction,
                maxJitter,
                lateFraction,
                delay,
                source,
                hotProjectMembers,
                hotMemberSessionsPerDay);
    }

    public GeneratorConfig withSource(String newSource) {
        return new GeneratorConfig(
                seed,
                users,
                projects,
                days,
                start,
                spamFraction,
                maxJitter,
                lateFraction,
                lateDelay,
                newSource,
                hotProjectMembers,
                hotMemberSessionsPerDay);
    }

    /**
     * A hot project: {@code members} extra developers, each with {@code sessionsPerDay} sessions a day on
     * average, join project 100 at the start (see {@link #hotProjectMembers()}).
     */
    public GeneratorConfig withHotProject(int members, double sessionsPerDay) {
        return new GeneratorConfig(
                seed,
                users,
                projects,
                days,
                start,
                spamFraction,
                maxJitter,
                lateFraction,
                lateDelay,
                source,
                members,
                sessionsPerDay);
    }

    /** Number of spammers among {@link #users()}. */
    public int spammerCount() {
        return (int) Math.round(users * spamFraction);
    }

    /** First instant after the simulated period. */
    public Instant end() {
        return start.plus(Duration.ofDays(days));
    }

    /** Host of {@link #source()}: links to it are internal, all others external. */
    public String instanceHost() {
        String host = URI.create(source).getHost();
        return host == null ? source : host;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
