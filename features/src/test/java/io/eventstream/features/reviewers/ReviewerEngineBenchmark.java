package io.eventstream.features.reviewers;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.events.OrderedInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A tiny benchmark of the per-event work on one hot project, no Flink: 2,500 members in 50 teams,
 * 50,000 merge requests over a year (branch pushes before and after opening, reviewers from the
 * author's team, notes, approvals, merges, branch deletions), inputs built in code and applied in
 * time order with a daily {@link ReviewerFeatureEngine#expire} like the job's timers. Prints
 * events per CPU-second and the serialized state size of the project at the end of each month;
 * asserts nothing.
 *
 * <p>Run: {@code java -cp features/target/classes:features/target/test-classes:<deps> \
 * io.eventstream.features.reviewers.ReviewerEngineBenchmark [mergeRequests] [members]}
 */
public final class ReviewerEngineBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long DAY = 86_400_000L;
    private static final long T0 = 1_735_689_600_000L; // 2025-01-01
    private static final long PROJECT = 1;

    private ReviewerEngineBenchmark() {}

    public static void main(String[] args) throws IOException {
        int mergeRequests = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int members = args.length > 1 ? Integer.parseInt(args[1]) : 2_500;
        ReviewerFeatureSet featureSet = new ReviewerFeatureSet(ReviewerJobConfig.defaults());
        ReviewerFeatureEngine engine = new ReviewerFeatureEngine(featureSet);
        List<ReviewerInput> inputs = hotProject(mergeRequests, members, new SplittableRandom(42));
        System.out.printf(
                "hot project: %d members, %d merge requests over 365 days, %d inputs; JVM %s, %d cores%n",
                members,
                mergeRequests,
                inputs.size(),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());

        ReviewerProjectState state = engine.newState();
        long candidates = 0;
        long labels = 0;
        long online = 0;
        long nextExpiry = T0 + DAY;
        int month = 0;
        long applyCpu = 0;
        long expireCpu = 0;
        long wall = System.nanoTime();
        for (ReviewerInput input : inputs) {
            while (input.timeMillis > nextExpiry) {
                long cpu = THREADS.getCurrentThreadCpuTime();
                engine.expire(state, nextExpiry);
                expireCpu += THREADS.getCurrentThreadCpuTime() - cpu;
                if ((nextExpiry - T0) / DAY % 30 == 0) {
                    month++;
                    long serializeCpu = THREADS.getCurrentThreadCpuTime();
                    byte[] bytes = serialize(state);
                    serializeCpu = THREADS.getCurrentThreadCpuTime() - serializeCpu;
                    System.out.printf(
                            "  day %3d: state %,d bytes (serialize %.1f ms CPU); %s%n",
                            (nextExpiry - T0) / DAY, bytes.length, serializeCpu / 1e6, state.sizeSummary());
                }
                nextExpiry += DAY;
            }
            long cpu = THREADS.getCurrentThreadCpuTime();
            ReviewerOutput output = engine.apply(state, input);
            applyCpu += THREADS.getCurrentThreadCpuTime() - cpu;
            candidates += output.candidateRows().size();
            labels += output.labelRows().size();
            online += output.onlineUserRows().size() + output.onlinePathRows().size();
        }
        double wallSeconds = (System.nanoTime() - wall) / 1e9;
        System.out.printf(
                "apply: %,d inputs in %.1f s CPU: %,.0f events/CPU-second; with the 365 daily expiries "
                        + "(%.1f s CPU) %,.0f events/CPU-second; %.1f s wall incl. size reports; %,d candidate rows, "
                        + "%,d labels, %,d online rows%n",
                inputs.size(),
                applyCpu / 1e9,
                inputs.size() / (applyCpu / 1e9),
                expireCpu / 1e9,
                inputs.size() / ((applyCpu + expireCpu) / 1e9),
                wallSeconds,
                candidates,
                labels,
                online);
        byte[] bytes = serialize(state);
        long cpu = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < 5; i++) {
            ReviewerProjectState.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        }
        System.out.printf(
                "final state %,d bytes; deserialize %.1f ms CPU; %s (months reported: %d)%n",
                bytes.length, (THREADS.getCurrentThreadCpuTime() - cpu) / 5e6, state.sizeSummary(), month);
    }

    private static byte[] serialize(ReviewerProjectState state) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        state.write(new DataOutputStream(out));
        return out.toByteArray();
    }

    /** The hot project's inputs in apply order. */
    static List<ReviewerInput> hotProject(int mergeRequests, int members, SplittableRandom random) {
        List<ReviewerInput> inputs = new ArrayList<>();
        int teams = Math.max(1, members / 50);
        for (int u = 1; u <= members; u++) {
            ReviewerInput member = input("m" + u, T0 + u, ReviewerInput.MEMBER_ADDED, u);
            member.accessLevel = 30;
            inputs.add(member);
        }
        for (int iid = 1; iid <= mergeRequests; iid++) {
            int team = random.nextInt(teams);
            long author = 1 + team * 50L + random.nextInt(50) % members;
            long opened = T0 + DAY + (long) (random.nextDouble() * 364 * DAY);
            String branch = "mr-" + iid;
            List<String> area = new ArrayList<>();
            int files = 1 + random.nextInt(6);
            for (int f = 0; f < files; f++) {
                // 50 teams x 8 modules x 4 packages x 25 files = 40,000 files; a team mostly touches its own area.
                int owner = random.nextInt(10) == 0 ? random.nextInt(teams) : team;
                area.add("svc" + owner + "/module" + random.nextInt(8) + "/pkg" + random.nextInt(4) + "/File"
                        + random.nextInt(25) + ".java");
            }
            inputs.add(push("c" + iid, opened - 3_600_000L, author, branch, true, area, random));
            long[] reviewers = {1 + team * 50L + random.nextInt(50), 1 + random.nextInt(members)};
            java.util.Arrays.sort(reviewers);
            ReviewerInput open = mr("o" + iid, opened, ReviewerInput.MR_OPENED, iid, author, author, branch, reviewers);
            inputs.add(open);
            long t = opened;
            for (int p = random.nextInt(3); p > 0; p--) {
                t += random.nextInt(6 * 3_600_000);
                inputs.add(push("p" + iid + "-" + p, t, author, branch, false, area, random));
            }
            for (int n = random.nextInt(4); n > 0; n--) {
                t += random.nextInt(3 * 3_600_000);
                ReviewerInput note = input("n" + iid + "-" + n, t, ReviewerInput.MR_NOTE, reviewers[random.nextInt(2)]);
                note.mrIid = iid;
                inputs.add(note);
            }
            t += random.nextInt(24 * 3_600_000);
            inputs.add(mr("a" + iid, t, ReviewerInput.MR_APPROVED, iid, author, reviewers[0], branch, reviewers));
            t += random.nextInt(24 * 3_600_000);
            inputs.add(mr("g" + iid, t, ReviewerInput.MR_MERGED, iid, author, author, branch, reviewers));
            ReviewerInput delete = input("d" + iid, t + 1, ReviewerInput.PUSH, author);
            delete.branch = branch;
            delete.branchDeleted = true;
            delete.commitPathCounts = new int[0];
            delete.commitPaths = new String[0];
            inputs.add(delete);
        }
        inputs.sort(OrderedInput::compareOrder);
        return inputs;
    }

    private static ReviewerInput push(
            String id,
            long time,
            long user,
            String branch,
            boolean created,
            List<String> area,
            SplittableRandom random) {
        ReviewerInput push = input(id, time, ReviewerInput.PUSH, user);
        push.branch = branch;
        push.branchCreated = created;
        int commits = 1 + random.nextInt(3);
        push.totalCommits = commits;
        push.commitPathCounts = new int[commits];
        List<String> paths = new ArrayList<>();
        for (int c = 0; c < commits; c++) {
            TreeSet<String> touched = new TreeSet<>();
            for (int k = 1 + random.nextInt(area.size()); k > 0; k--) {
                touched.add(area.get(random.nextInt(area.size())));
            }
            push.commitPathCounts[c] = touched.size();
            paths.addAll(touched);
        }
        push.commitPaths = paths.toArray(String[]::new);
        return push;
    }

    private static ReviewerInput mr(
            String id, long time, int kind, long iid, long author, long actor, String branch, long[] reviewers) {
        ReviewerInput mr = input(id, time, kind, actor);
        mr.mrIid = iid;
        mr.mrId = 1_000_000 + iid;
        mr.mrAuthorId = author;
        mr.sourceBranch = branch;
        mr.sourceInProject = true;
        mr.reviewerIds = reviewers.clone();
        return mr;
    }

    private static ReviewerInput input(String id, long time, int kind, long user) {
        ReviewerInput input = new ReviewerInput();
        input.eventId = id;
        input.timeMillis = time;
        input.projectId = PROJECT;
        input.kind = kind;
        input.userId = user;
        return input;
    }
}
