package io.eventstream.generator;

import io.eventstream.features.events.EventData;
import io.eventstream.features.events.EventType;

/**
 * The world the generator simulates: a discrete-event simulation over users, projects, branches,
 * merge requests and delayed labels. Actions run in {@code (time, sequence)} order; each one mutates
 * the world, emits events at its time (or a few minutes later for multi-step actions) and schedules
 * follow-up actions. Nothing is planned per day in advance: every user has at most one pending
 * session, every open merge request a few pending steps, every recent piece of content at most one
 * pending label, so memory does not depend on the number of simulated days.
 *
 * <p>This class wires the behaviours and runs the loop. The state they share is one {@link World}; each
 * behaviour is a class of its own: {@link Population} (projects, users, sign-ups), {@link Memberships},
 * {@link Sessions} (when users act and what each role does), {@link Content} (issues, comments, emoji),
 * {@link Pushes}, {@link MergeRequests} (and reviews, chosen by {@link ReviewerChoice}), {@link Spammers} (campaigns) and {@link Moderation}
 * (verdicts, reports, blocks). The behaviour is described in {@code docs/generator.md}; the constants of
 * those classes are its knobs.
 */
final class Simulation {

    /** Receives each event as it is generated; returns the event id it assigned. */
    interface Emitter {
        String emit(EventType type, long time, String subject, long partitionUser, EventData data);
    }

    private final World world;

    Simulation(GeneratorConfig config, TruthSink truth, Emitter out) {
        this.world = new World(config, truth, out);
        Moderation moderation = new Moderation(world);
        Content content = new Content(world, moderation);
        Pushes pushes = new Pushes(world, content);
        MergeRequests mergeRequests = new MergeRequests(world, content, pushes, moderation);
        Memberships memberships = new Memberships(world, content);
        Sessions sessions = new Sessions(world, content, memberships, pushes, mergeRequests);
        Spammers spammers = new Spammers(world, content, memberships, sessions);
        Population population = new Population(world, content, memberships, sessions, spammers);
        // The projects' draws come before the users', as they always have: the order defines the output.
        population.createProjects();
        population.createUsers();
    }

    // ====================================================================== driving

    /** Runs the next action; false when the simulated period is over. */
    boolean step() {
        return world.runNextAction();
    }

    /** Time of the next action, or {@code Long.MAX_VALUE} when there is none: no later event can be earlier. */
    long nextActionTime() {
        return world.nextActionTime();
    }

    long now() {
        return world.now();
    }

    GeneratorState state(int bufferedEvents) {
        int trackedIssues = 0;
        int expertise = 0;
        for (SimProject project : world.projects) {
            trackedIssues += project.openIssues.size();
            expertise += project.expertiseEntries();
        }
        int history = 0;
        for (SimUser user : world.users) {
            history += user.reviewedBy.size();
        }
        return new GeneratorState(
                world.pendingActions(),
                bufferedEvents,
                world.openMergeRequests,
                world.liveBranches,
                trackedIssues,
                world.membershipCount,
                expertise,
                history);
    }
}
