package io.eventstream.generator;

import static io.eventstream.generator.World.DAY;
import static io.eventstream.generator.World.HOUR;
import static io.eventstream.generator.World.MINUTE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What spammers do once their account is active: campaign spammers (burst and mention styles) pick a few
 * popular target projects, may join one or warm up with ordinary comments, then post their campaign in
 * bursts; careful spammers join projects and act in sessions ({@link Sessions}). Blocked spammers stop.
 */
final class Spammers {

    private final World world;
    private final Rng rng;
    private final TextFactory text;
    private final Content content;
    private final Memberships memberships;
    private final Sessions sessions;

    Spammers(World world, Content content, Memberships memberships, Sessions sessions) {
        this.world = world;
        this.rng = world.rng;
        this.text = world.text;
        this.content = content;
        this.memberships = memberships;
        this.sessions = sessions;
    }

    /** How long a new spam account waits before acting: usually hours, sometimes days or weeks. */
    long activationDelay() {
        double draw = rng.uniform();
        return draw < 0.5
                ? rng.betweenMillis(5 * MINUTE, 6 * HOUR)
                : draw < 0.8 ? rng.betweenMillis(6 * HOUR, 2 * DAY) : rng.betweenMillis(2 * DAY, 21 * DAY);
    }

    /**
     * A spammer starts: campaign spammers may first join a public project (to spam from inside) or
     * warm up with a few ordinary comments, then burst; careful ones join projects and post slowly.
     */
    void activate(SimUser spammer) {
        if (spammer.blocked) {
            return;
        }
        switch (spammer.spammerStyle) {
            case BURST, MENTION -> {
                String[] campaign =
                        spammer.spammerStyle == SpammerStyle.BURST ? text.burstCampaign() : text.mentionCampaign();
                spammer.campaignTitle = campaign[0];
                spammer.campaignBodies = Arrays.copyOfRange(campaign, 1, campaign.length);
                // A campaign targets a few popular projects, not the whole instance.
                int targets = rng.between(1, 4);
                spammer.spamTargets = new ArrayList<>(targets);
                for (int t = 0; t < targets; t++) {
                    int index = world.publicProjectPicker.sample(rng);
                    spammer.spamTargets.add(
                            world.projects[index >= 0 ? index : Math.max(0, world.projectPicker.sample(rng))]);
                }
                long firstBurst = world.now() + rng.betweenMillis(MINUTE, HOUR);
                if (rng.chance(0.4)) {
                    memberships.joinProject(spammer, true);
                    firstBurst += rng.betweenMillis(10 * MINUTE, DAY);
                }
                if (rng.chance(0.6)) {
                    long warmUp = rng.betweenMillis(2 * HOUR, DAY);
                    int comments = rng.between(2, 6);
                    for (int c = 0; c < comments; c++) {
                        world.schedule(world.now() + rng.betweenMillis(0, warmUp), () -> warmUpComment(spammer));
                    }
                    firstBurst += warmUp;
                }
                world.schedule(firstBurst, () -> startBurst(spammer));
            }
            case SLOW_CAREFUL -> {
                int joins = rng.between(1, 2);
                for (int j = 0; j < joins; j++) {
                    world.schedule(
                            world.now() + rng.betweenMillis(HOUR, 2 * DAY),
                            () -> memberships.joinProject(spammer, true));
                }
                sessions.scheduleNextSession(spammer, world.now() + rng.betweenMillis(2 * HOUR, 2 * DAY));
            }
        }
    }

    /** An ordinary-looking comment before the spam starts. */
    private void warmUpComment(SimUser spammer) {
        SimProject project = world.projectForContent(spammer);
        if (spammer.blocked || project == null || project.openIssues.isEmpty()) {
            return;
        }
        content.postIssueNote(
                spammer, project, world.randomOpenIssue(project), text.issueComment(project, List.of()), world.now());
    }

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
        SimProject project = !spammer.memberships.isEmpty() && rng.chance(0.6)
                ? rng.pick(spammer.memberships).project
                : rng.pick(spammer.spamTargets);
        if (project.created) {
            String body = rng.pick(spammer.campaignBodies);
            if (spammer.spammerStyle == SpammerStyle.MENTION) {
                int mentions = rng.between(2, 10);
                List<String> names = new ArrayList<>(mentions);
                for (int m = 0; m < mentions; m++) {
                    names.add(
                            project.members.isEmpty() || rng.chance(0.3)
                                    ? rng.pick(world.activeNormalUsers).username
                                    : rng.pick(project.members).user.username);
                }
                body = text.mentionSpam(body, names);
            } else if (rng.chance(0.35)) {
                body = body + " " + rng.between(1, 999);
            }
            double draw = rng.uniform();
            if (draw < 0.6 && !project.openIssues.isEmpty()) {
                content.postIssueNote(spammer, project, world.randomOpenIssue(project), body, world.now());
            } else if (draw < 0.93 || project.openMergeRequests.isEmpty()) {
                content.postIssue(spammer, project, spammer.campaignTitle, body, world.now());
            } else {
                content.postMergeRequestNote(spammer, rng.pick(project.openMergeRequests), body, null, world.now());
            }
        }
        spammer.spamItemsLeftInBurst--;
        if (spammer.spamItemsLeftInBurst > 0) {
            world.schedule(
                    world.now() + (long) (spammer.itemGapMillis * (0.5 + rng.uniform())), () -> spamItem(spammer));
        } else if (++spammer.burstsDone < spammer.maxBursts) {
            world.schedule(world.now() + rng.betweenMillis(HOUR, DAY), () -> startBurst(spammer));
        }
    }
}
