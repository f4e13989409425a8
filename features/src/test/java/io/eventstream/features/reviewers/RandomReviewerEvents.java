package io.eventstream.features.reviewers;

import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CommitData;
import io.eventstream.features.events.EventData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.IssueData;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.events.NoteData;
import io.eventstream.features.events.PushData;
import io.eventstream.features.events.UserData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random but plausible project activity as canonical CloudEvents: memberships, branches created,
 * pushed to (sometimes more than 20 commits, sometimes without a known pusher) and deleted, merge
 * requests opened (sometimes from forks, without author, with a changed_paths list), reviewers
 * changed, approvals (GitLab's approval and approved both), unapprovals, notes (including system
 * notes and notes on unknown MRs), merges, closes, reopens; equal timestamps, tile-edge timestamps
 * and long gaps. Fixed seed; reusable from other modules through the features test-jar.
 */
public final class RandomReviewerEvents {
    public static final long T0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    private static final String[] TOP = {"src", "docs", "lib", "test"};
    private static final String[] MID = {"core", "web", "api"};
    private static final String[] LOW = {"x", "y"};

    private final SplittableRandom random;
    private final int users;
    private final int projects;
    private final long[] timeSteps;
    private final Map<Long, ProjectSim> sims = new HashMap<>();
    private int ids;

    private static final class MrSim {
        long iid;
        Long author;
        String branch;
        boolean fork;
        List<Long> reviewers = new ArrayList<>();
        boolean open = true;
    }

    private static final class ProjectSim {
        final List<String> branches = new ArrayList<>(List.of("main"));
        final List<MrSim> mrs = new ArrayList<>();
        int branchCounter;
    }

    /**
     * @param users      user ids 1..users, shared by all projects
     * @param projects   project ids 100..99+projects
     * @param timeSteps  a step is drawn from these (uniform in [0, step]); 0 gives equal timestamps
     */
    public RandomReviewerEvents(long seed, int users, int projects, long... timeSteps) {
        this.random = new SplittableRandom(seed);
        this.users = users;
        this.projects = projects;
        this.timeSteps = timeSteps;
    }

    /** {@code n} events in creation order (ascending time); shuffle them to test order independence. */
    public List<CloudEvent> events(int n) {
        List<CloudEvent> events = new ArrayList<>(n);
        long time = T0;
        for (int i = 0; i < n; i++) {
            long step = timeSteps[random.nextInt(timeSteps.length)];
            time += step == 0 ? 0 : random.nextLong(step + 1);
            if (random.nextInt(10) == 0) {
                long boundary = 86_400_000L;
                time = Math.floorDiv(time, boundary) * boundary + boundary; // exactly on a tile edge
            }
            long project = 100 + random.nextInt(projects);
            events.add(event(time, project, sims.computeIfAbsent(project, p -> new ProjectSim())));
        }
        return events;
    }

    private long user() {
        return 1 + random.nextInt(users);
    }

    private String path() {
        return switch (random.nextInt(10)) {
            case 0 -> "README.md";
            case 1 ->
                TOP[random.nextInt(TOP.length)] + "/" + MID[random.nextInt(MID.length)] + "/" + LOW[random.nextInt(2)]
                        + "/deep/F" + random.nextInt(3) + ".java";
            case 2 -> TOP[random.nextInt(TOP.length)] + "/F" + random.nextInt(4) + ".md";
            default ->
                TOP[random.nextInt(TOP.length)] + "/" + MID[random.nextInt(MID.length)] + "/F" + random.nextInt(6)
                        + ".java";
        };
    }

    private List<String> paths(int max) {
        List<String> paths = new ArrayList<>();
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            paths.add(path());
        }
        return paths;
    }

    private CloudEvent event(long time, long project, ProjectSim sim) {
        int roll = random.nextInt(100);
        if (roll < 8) {
            EventType type = switch (random.nextInt(4)) {
                case 0 -> EventType.MEMBER_REMOVED;
                case 1 -> EventType.MEMBER_UPDATED;
                default -> EventType.MEMBER_ADDED;
            };
            Integer level = random.nextInt(6) == 0 ? null : 10 * (1 + random.nextInt(5));
            String scope = random.nextInt(12) == 0 ? MemberData.GROUP : MemberData.PROJECT;
            return event(
                    time,
                    type,
                    new MemberData(
                            user(),
                            scope,
                            MemberData.PROJECT.equals(scope) ? project : null,
                            MemberData.GROUP.equals(scope) ? 9L : null,
                            level,
                            null));
        }
        if (roll < 30) {
            return push(time, project, sim);
        }
        if (roll < 40 || sim.mrs.isEmpty()) {
            return open(time, project, sim);
        }
        MrSim mr = random.nextInt(8) == 0 ? unknownMr() : sim.mrs.get(random.nextInt(sim.mrs.size()));
        if (roll < 62) {
            if (random.nextInt(15) == 0) {
                return event(
                        time,
                        EventType.NOTE_CREATED,
                        new NoteData(project, ++ids, user(), NoteData.ISSUE, 5L, 6L, null, "text", false, false, null));
            }
            long author = random.nextInt(4) == 0 && mr.author != null
                    ? mr.author
                    : !mr.reviewers.isEmpty() && random.nextBoolean()
                            ? mr.reviewers.get(random.nextInt(mr.reviewers.size()))
                            : user();
            return event(
                    time,
                    EventType.NOTE_CREATED,
                    new NoteData(
                            random.nextInt(30) == 0 ? null : project,
                            ++ids,
                            author,
                            NoteData.MERGE_REQUEST,
                            1000 + mr.iid,
                            mr.iid,
                            null,
                            "text",
                            random.nextInt(10) == 0,
                            false,
                            null));
        }
        if (roll < 75) {
            EventType type = random.nextBoolean() ? EventType.MERGE_REQUEST_APPROVAL : EventType.MERGE_REQUEST_APPROVED;
            Long approver = !mr.reviewers.isEmpty() && random.nextInt(3) > 0
                    ? mr.reviewers.get(random.nextInt(mr.reviewers.size()))
                    : random.nextInt(6) == 0 ? mr.author : (Long) user();
            return mrEvent(time, project, type, mr, approver, null, null);
        }
        if (roll < 79) {
            EventType type =
                    random.nextBoolean() ? EventType.MERGE_REQUEST_UNAPPROVAL : EventType.MERGE_REQUEST_UNAPPROVED;
            Long approver = !mr.reviewers.isEmpty() ? mr.reviewers.get(random.nextInt(mr.reviewers.size())) : user();
            return mrEvent(time, project, type, mr, approver, null, null);
        }
        if (roll < 88) {
            List<Long> previous = new ArrayList<>(mr.reviewers);
            mr.reviewers = reviewers();
            EventType type =
                    random.nextBoolean() ? EventType.MERGE_REQUEST_UPDATED : EventType.MERGE_REQUEST_REVIEWERS_CHANGED;
            return mrEvent(
                    time,
                    project,
                    type,
                    mr,
                    user(),
                    random.nextBoolean() ? previous : null,
                    random.nextInt(4) == 0 ? paths(4) : null);
        }
        if (roll < 97) {
            mr.open = false;
            return mrEvent(
                    time,
                    project,
                    random.nextInt(3) == 0 ? EventType.MERGE_REQUEST_CLOSED : EventType.MERGE_REQUEST_MERGED,
                    mr,
                    user(),
                    null,
                    null);
        }
        mr.open = true;
        return mrEvent(time, project, EventType.MERGE_REQUEST_REOPENED, mr, user(), null, null);
    }

    private MrSim unknownMr() {
        MrSim mr = new MrSim();
        mr.iid = 900 + random.nextInt(5);
        mr.author = random.nextInt(3) == 0 ? null : user();
        mr.branch = "ghost";
        return mr;
    }

    private List<Long> reviewers() {
        List<Long> reviewers = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            reviewers.add(user());
        }
        return reviewers;
    }

    private CloudEvent open(long time, long project, ProjectSim sim) {
        MrSim mr = new MrSim();
        mr.iid = random.nextInt(12) == 0 && !sim.mrs.isEmpty()
                ? sim.mrs.get(random.nextInt(sim.mrs.size())).iid
                : sim.mrs.size() + 1;
        mr.author = random.nextInt(20) == 0 ? null : user();
        mr.branch = random.nextInt(10) == 0 ? "main" : sim.branches.get(random.nextInt(sim.branches.size()));
        mr.fork = random.nextInt(12) == 0;
        mr.reviewers = reviewers();
        sim.mrs.add(mr);
        if (sim.mrs.size() > 60) {
            sim.mrs.remove(0);
        }
        return mrEvent(
                time,
                project,
                EventType.MERGE_REQUEST_OPENED,
                mr,
                mr.author,
                null,
                random.nextInt(5) == 0 ? paths(5) : null);
    }

    private CloudEvent mrEvent(
            long time,
            long project,
            EventType type,
            MrSim mr,
            Long actor,
            List<Long> previous,
            List<String> changedPaths) {
        return event(
                time,
                type,
                new MergeRequestData(
                        project,
                        1000 + mr.iid,
                        mr.iid,
                        random.nextInt(15) == 0 && type != EventType.MERGE_REQUEST_OPENED ? null : mr.author,
                        actor,
                        "title",
                        null,
                        mr.open ? "opened" : "merged",
                        mr.fork ? (Long) (project + 50) : random.nextInt(3) == 0 ? null : (Long) project,
                        mr.branch,
                        "main",
                        false,
                        new ArrayList<>(mr.reviewers),
                        previous,
                        List.of(),
                        changedPaths));
    }

    private CloudEvent push(long time, long project, ProjectSim sim) {
        int roll = random.nextInt(20);
        String branch;
        boolean created = false;
        boolean deleted = false;
        if (roll < 4 || sim.branches.size() < 2) {
            branch = random.nextInt(4) == 0 && sim.branches.size() > 1
                    ? sim.branches.get(1 + random.nextInt(sim.branches.size() - 1)) // re-created
                    : "feature-" + (++sim.branchCounter);
            created = true;
            if (!sim.branches.contains(branch)) {
                sim.branches.add(branch);
            }
        } else if (roll < 6) {
            branch = sim.branches.get(1 + random.nextInt(sim.branches.size() - 1));
            deleted = true;
        } else {
            branch = sim.branches.get(random.nextInt(sim.branches.size()));
        }
        List<CommitData> commits = new ArrayList<>();
        int total = deleted ? 0 : random.nextInt(12) == 0 ? 21 + random.nextInt(10) : random.nextInt(4);
        for (int c = 0; c < Math.min(total, 20); c++) {
            commits.add(new CommitData(
                    "sha" + (++ids), time, paths(2), paths(3), random.nextInt(4) == 0 ? paths(1) : List.of()));
        }
        if (random.nextInt(25) == 0) {
            commits.add(null); // a malformed commit entry
        }
        Long pusher = random.nextInt(15) == 0 ? null : (Long) user();
        if (random.nextInt(40) == 0) {
            return event(
                    time,
                    EventType.TAG_PUSH,
                    new PushData(project, pusher, "refs/tags/v1", "v1", "0", "1", true, false, 0, List.of()));
        }
        return event(
                time,
                EventType.PUSH,
                new PushData(
                        project, pusher, "refs/heads/" + branch, branch, "0", "1", created, deleted, total, commits));
    }

    private CloudEvent event(long time, EventType type, EventData data) {
        if (random.nextInt(200) == 0) {
            // Irrelevant kinds must be skipped.
            type = EventType.USER_CREATED;
            data = new UserData(user(), "u", null, "U", "u@example.com", "active", null, null);
        } else if (random.nextInt(200) == 0) {
            type = EventType.ISSUE_OPENED;
            data = new IssueData(
                    100L, null, 1, 1, user(), user(), "t", null, "opened", false, "Issue", List.of(), List.of());
        }
        // Random ids, so events with equal times are applied in an order unrelated to creation.
        String id = String.format("%016x", random.nextLong());
        return new CloudEvent(
                id, "https://gitlab.example.com", type, Instant.ofEpochMilli(time), null, null, null, null, data);
    }
}
