package io.eventstream.generator;

import static io.eventstream.generator.World.DAY;
import static io.eventstream.generator.World.HOUR;
import static io.eventstream.generator.World.MINUTE;
import static io.eventstream.generator.World.SECOND;

import io.eventstream.features.events.AbuseReportData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.SpamVerdictData;
import io.eventstream.features.events.SpamVerdictData.Verdict;
import io.eventstream.features.events.UserData;

/**
 * The delayed labels content gets from moderation: spam verdicts (from the automatic check or a
 * moderator, minutes to days later, not on every item), abuse reports, and the blocks they lead to.
 * Spammers are labelled by style (evasive ones rarely); a few normal users get one wrong verdict,
 * sometimes overturned.
 */
final class Moderation {

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

    private final World world;
    private final Rng rng;
    private long abuseReportIds;

    Moderation(World world) {
        this.world = world;
        this.rng = world.rng;
    }

    /**
     * Schedules the delayed labels a new piece of content may get: verdicts (minutes to days later,
     * not on every item), abuse reports, and for a few normal users a wrong verdict, sometimes overturned.
     */
    void afterContent(SimUser author, long time, String eventId, String targetType, long targetId, String subject) {
        if (time >= world.end) {
            return;
        }
        if (!author.isSpammer()) {
            if (rng.chance(NORMAL_ALLOW_VERDICT)) {
                scheduleVerdict(
                        author,
                        time + rng.betweenMillis(MINUTE, 5 * MINUTE),
                        eventId,
                        targetType,
                        targetId,
                        subject,
                        Verdict.ALLOW,
                        "spamcheck");
            } else if (author.falsePositiveDue && rng.chance(0.15)) {
                author.falsePositiveDue = false;
                boolean moderator = rng.chance(0.3);
                long verdictTime = time + (moderator ? moderatorDelay() : spamcheckDelay());
                scheduleVerdict(
                        author,
                        verdictTime,
                        eventId,
                        targetType,
                        targetId,
                        subject,
                        Verdict.DISALLOW,
                        moderator ? "moderator" : "spamcheck");
                if (rng.chance(FALSE_POSITIVE_OVERTURNED)) {
                    scheduleVerdict(
                            author,
                            verdictTime + rng.betweenMillis(HOUR, 2 * DAY),
                            eventId,
                            targetType,
                            targetId,
                            subject,
                            Verdict.ALLOW,
                            "moderator");
                }
            } else if (rng.chance(NORMAL_DISMISSED_REPORT)) {
                scheduleAbuseReport(
                        author, time + rng.betweenMillis(DAY, 3 * DAY), AbuseReportData.Resolution.DISMISSED);
            }
            return;
        }
        double spamcheck;
        double moderator;
        double allow;
        double report;
        switch (author.spammerStyle) {
            case BURST -> {
                spamcheck = 0.5;
                moderator = 0.15;
                allow = 0.08;
                report = 0.35;
            }
            case MENTION -> {
                spamcheck = 0.4;
                moderator = 0.2;
                allow = 0.1;
                report = 0.45;
            }
            default -> {
                spamcheck = 0.1;
                moderator = 0.12;
                allow = 0.3;
                report = 0.2;
            }
        }
        if (author.evasive) {
            spamcheck = 0;
            moderator *= 0.3;
            report *= 0.3;
        }
        double draw = rng.uniform();
        if (draw < spamcheck + moderator) {
            boolean byModerator = draw >= spamcheck;
            scheduleVerdict(
                    author,
                    time + (byModerator ? moderatorDelay() : spamcheckDelay()),
                    eventId,
                    targetType,
                    targetId,
                    subject,
                    rng.chance(0.65) ? Verdict.DISALLOW : Verdict.BLOCK,
                    byModerator ? "moderator" : "spamcheck");
        } else if (draw < spamcheck + moderator + allow) {
            scheduleVerdict(
                    author,
                    time + rng.betweenMillis(MINUTE, 5 * MINUTE),
                    eventId,
                    targetType,
                    targetId,
                    subject,
                    Verdict.ALLOW,
                    "spamcheck");
        }
        if (!author.reported) {
            author.reported = true;
            if (rng.chance(report)) {
                double resolution = rng.uniform();
                scheduleAbuseReport(
                        author,
                        time + rng.betweenMillis(2 * HOUR, 5 * DAY),
                        resolution < 0.4
                                ? AbuseReportData.Resolution.BANNED
                                : resolution < 0.85
                                        ? AbuseReportData.Resolution.BLOCKED
                                        : AbuseReportData.Resolution.DISMISSED);
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

    private void scheduleVerdict(
            SimUser author,
            long time,
            String eventId,
            String targetType,
            long targetId,
            String subject,
            Verdict verdict,
            String source) {
        world.schedule(time, () -> {
            world.emit(
                    EventType.SPAM_VERDICT,
                    world.now(),
                    subject,
                    author.id,
                    new SpamVerdictData(author.id, targetType, targetId, eventId, verdict, source));
            if (verdict.isSpam()
                    && ++author.spamVerdicts >= (author.spammerStyle == SpammerStyle.SLOW_CAREFUL ? 2 : 3)) {
                scheduleBlock(author, world.now() + rng.betweenMillis(MINUTE, 30 * MINUTE));
            }
        });
    }

    private void scheduleAbuseReport(SimUser reported, long time, AbuseReportData.Resolution resolution) {
        world.schedule(time, () -> {
            SimUser reporter = rng.pick(world.activeNormalUsers);
            long id = ++abuseReportIds;
            world.emit(
                    EventType.ABUSE_REPORT_RESOLVED,
                    world.now(),
                    "abuse_reports/" + id,
                    reported.id,
                    new AbuseReportData(id, reported.id, reporter == reported ? null : reporter.id, resolution));
            if (resolution.confirmsAbuse()) {
                scheduleBlock(reported, world.now() + rng.betweenMillis(0, 10 * MINUTE));
            }
        });
    }

    private void scheduleBlock(SimUser user, long time) {
        if (user.blockScheduled) {
            return;
        }
        user.blockScheduled = true;
        world.schedule(time, () -> {
            user.blocked = true;
            world.emit(
                    EventType.USER_BLOCKED,
                    world.now(),
                    "users/" + user.id,
                    user.id,
                    new UserData(user.id, user.username, null, user.name, user.email, "blocked", null, null));
        });
    }
}
