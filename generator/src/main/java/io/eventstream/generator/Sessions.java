package io.eventstream.generator;

import static io.eventstream.generator.World.DAY;
import static io.eventstream.generator.World.HOUR;
import static io.eventstream.generator.World.MINUTE;
import static io.eventstream.generator.World.SECOND;

/**
 * When users act and what they do when they do: each user has at most one pending session, drawn from a
 * Poisson process thinned by their working hours; a session does what the user's role does (developers
 * work on branches, push, comment, review, triage; reporters open and comment on issues; outside
 * contributors, bots and careful spammers have sessions of their own), then schedules the next one.
 */
final class Sessions {

    private final World world;
    private final Rng rng;
    private final TextFactory text;
    private final Content content;
    private final Memberships memberships;
    private final Pushes pushes;
    private final MergeRequests mergeRequests;

    Sessions(World world, Content content, Memberships memberships, Pushes pushes, MergeRequests mergeRequests) {
        this.world = world;
        this.rng = world.rng;
        this.text = world.text;
        this.content = content;
        this.memberships = memberships;
        this.pushes = pushes;
        this.mergeRequests = mergeRequests;
    }

    /** Next session by thinning a Poisson process with the user's working-hours intensity. */
    void scheduleNextSession(SimUser user, long from) {
        double peakPerDay = user.sessionsPerDay / 0.45;
        if (peakPerDay <= 0) {
            return;
        }
        long t = from;
        for (int attempt = 0; attempt < 10_000; attempt++) {
            t += (long) (rng.exponential(DAY / peakPerDay)) + 1;
            if (t >= world.end) {
                return;
            }
            if (rng.uniform() < intensity(user, t)) {
                world.schedule(t, () -> session(user));
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
            memberships.joinProject(user, false);
        } else {
            double draw = rng.uniform();
            switch (user.role) {
                case DEVELOPER -> {
                    if (draw < 0.32) {
                        Branch ready = pushes.workOnBranch(user);
                        if (ready != null) {
                            mergeRequests.openSoon(ready);
                        }
                    } else if (draw < 0.42) {
                        pushes.pushToDefaultBranch(user);
                    } else if (draw < 0.57) {
                        content.commentOnIssue(user);
                    } else if (draw < 0.64) {
                        content.openIssue(user);
                    } else if (draw < 0.76) {
                        content.commentOnMergeRequest(user);
                    } else if (draw < 0.84) {
                        content.awardEmoji(user);
                    } else if (draw < 0.88) {
                        content.closeIssue(user);
                    } else if (draw < 0.90) {
                        memberships.joinProject(user, false);
                    } else if (draw < 0.91) {
                        memberships.administerMembers(user);
                    } else if (draw < 0.95) {
                        triage(user);
                    } else {
                        content.commentOnIssue(user);
                    }
                }
                case REPORTER -> {
                    if (draw < 0.35) {
                        content.openIssue(user);
                    } else if (draw < 0.75) {
                        content.commentOnIssue(user);
                    } else if (draw < 0.9) {
                        content.awardEmoji(user);
                    } else if (draw < 0.98) {
                        content.commentOnMergeRequest(user);
                    } else {
                        memberships.joinProject(user, false);
                    }
                }
                default -> {
                    if (draw < 0.5) {
                        content.commentOnIssue(user);
                    } else if (draw < 0.8) {
                        content.awardEmoji(user);
                    } else if (draw < 0.95) {
                        content.openIssue(user);
                    } else {
                        memberships.joinProject(user, false);
                    }
                }
            }
        }
        scheduleNextSession(user, world.now());
    }

    /**
     * A maintainer goes through open issues of one project and pastes the same canned answer on
     * several of them, seconds to minutes apart: repeated text in a burst, from a trusted member.
     */
    private void triage(SimUser user) {
        Membership membership = world.pickMembership(user, Membership.DEVELOPER);
        if (membership == null || membership.project.openIssues.isEmpty()) {
            content.commentOnIssue(user);
            return;
        }
        SimProject project = membership.project;
        String answer = text.triageAnswer();
        int answers = rng.between(3, 10);
        long time = world.now();
        for (int i = 0; i < answers; i++) {
            content.postIssueNote(user, project, world.randomOpenIssue(project), answer, time);
            time += rng.betweenMillis(20 * SECOND, 3 * MINUTE);
        }
    }

    /**
     * An integration reports a batch: 2–12 templated notes with external links on open issues and
     * merge requests, seconds apart, now and then an issue of its own.
     */
    private void botSession(SimUser bot) {
        SimProject project = world.projectForContent(bot);
        if (project == null) {
            return;
        }
        int notes = rng.between(2, 12);
        long time = world.now();
        for (int i = 0; i < notes; i++) {
            String body = text.botNote(bot.botTemplate, bot.botRepeatsVerbatim);
            if (!project.openMergeRequests.isEmpty() && rng.chance(0.4)) {
                content.postMergeRequestNote(bot, rng.pick(project.openMergeRequests), body, null, time);
            } else if (!project.openIssues.isEmpty() && rng.chance(0.9)) {
                content.postIssueNote(bot, project, world.randomOpenIssue(project), body, time);
            } else {
                content.postIssue(bot, project, "Automated report " + rng.between(1000, 9999), body, time);
            }
            time += rng.betweenMillis(5 * SECOND, 90 * SECOND);
        }
    }

    /** Someone from outside: bug reports, "+1"s and workarounds in public projects, emoji, now and then joins one. */
    private void communitySession(SimUser user) {
        SimProject project = world.projectForContent(user);
        if (project == null) {
            return;
        }
        double draw = rng.uniform();
        if (draw < 0.25 || (draw < 0.75 && project.openIssues.isEmpty())) {
            content.postIssue(user, project, text.issueTitle(), text.communityIssueDescription(project), world.now());
        } else if (draw < 0.35) {
            // "+1" on several related issues in a row: a repeated short text in a burst.
            String reply = text.shortReply();
            int issues = rng.between(2, 6);
            long time = world.now();
            for (int i = 0; i < issues; i++) {
                content.postIssueNote(user, project, world.randomOpenIssue(project), reply, time);
                time += rng.betweenMillis(20 * SECOND, 3 * MINUTE);
            }
        } else if (draw < 0.75) {
            SimIssue issue = world.randomOpenIssue(project);
            content.postIssueNote(user, project, issue, text.communityComment(project), world.now());
            if (rng.chance(0.3)) {
                // Back in the same thread after an answer.
                content.postIssueNote(
                        user,
                        project,
                        issue,
                        text.communityComment(project),
                        world.now() + rng.betweenMillis(5 * MINUTE, 40 * MINUTE));
            }
        } else if (draw < 0.85 && !project.openMergeRequests.isEmpty()) {
            content.postMergeRequestNote(
                    user, rng.pick(project.openMergeRequests), text.communityComment(project), null, world.now());
        } else if (draw < 0.97) {
            content.awardEmoji(user);
        } else {
            memberships.joinProject(user, true);
        }
    }

    private void carefulSpammerSession(SimUser spammer) {
        SimProject project = world.projectForContent(spammer);
        if (project != null) {
            double draw = rng.uniform();
            if (draw < 0.7 && !project.openIssues.isEmpty()) {
                content.postIssueNote(
                        spammer, project, world.randomOpenIssue(project), text.carefulComment(project), world.now());
            } else if (draw < 0.85 || project.awardableCount() == 0) {
                content.postIssue(
                        spammer, project, text.carefulIssueTitle(), text.carefulIssueDescription(project), world.now());
            } else {
                content.awardEmoji(spammer);
            }
        }
    }
}
