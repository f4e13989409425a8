package io.eventstream.generator;

import static io.eventstream.generator.World.MINUTE;

import io.eventstream.features.events.CommitData;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.PushData;
import java.util.ArrayList;
import java.util.List;

/**
 * Pushes: feature branches (created, pushed to, deleted after a merge) and direct pushes to the default
 * branch, with commits whose paths concentrate on a module of the project's tree. Every path touched counts
 * as expertise of its author in that module, which the reviewer choice in {@link MergeRequests} reads.
 */
final class Pushes {

    static final String ZERO_SHA = "0".repeat(40);
    static final String DEFAULT_BRANCH = "main";
    /** GitLab lists at most this many commits in a push event. */
    static final int GITLAB_PUSH_COMMIT_LIMIT = 20;

    private final World world;
    private final Rng rng;
    private final Content content;
    private long branchCounter;

    Pushes(World world, Content content) {
        this.world = world;
        this.rng = world.rng;
        this.content = content;
    }

    /**
     * A developer pushes to their feature branch, or starts a new one in a project they can push to (else
     * comments on an issue instead). Returns the branch when it has had the pushes it needs before its
     * merge request is opened, else null.
     */
    Branch workOnBranch(SimUser user) {
        Branch branch = user.workingBranch;
        if (branch != null && branch.mergeRequest == null && user.membershipOf(branch.project) != null) {
            push(user, branch, false);
        } else {
            if (branch != null && branch.mergeRequest == null) {
                world.liveBranches--; // abandoned after leaving the project
            }
            Membership membership = world.pickMembership(user, Membership.DEVELOPER);
            if (membership == null) {
                user.workingBranch = null;
                content.commentOnIssue(user);
                return null;
            }
            int focus = membership.homeModules[rng.nextInt(membership.homeModules.length)];
            String area = membership.project.tree.module(focus);
            branch = new Branch(
                    membership.project,
                    user,
                    (++branchCounter) + "-" + area.substring(area.indexOf('/') + 1) + "-"
                            + (rng.chance(0.5) ? "fix" : "feature"),
                    focus);
            branch.pushesBeforeMergeRequest = rng.oneToCap(0.8, 4);
            branch.baseSha = membership.project.mainHead;
            user.workingBranch = branch;
            world.liveBranches++;
            push(user, branch, true);
        }
        return branch.pushes >= branch.pushesBeforeMergeRequest ? branch : null;
    }

    /** A push of one or more commits to a feature branch; paths concentrate on the branch's focus module. */
    void push(SimUser user, Branch branch, boolean created) {
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
                int module = rng.chance(0.85)
                        ? branch.focusModule
                        : membership != null && rng.chance(0.5)
                                ? membership.homeModules[0]
                                : rng.nextInt(project.tree.moduleCount());
                touchPath(project, user, module, added, modified, removed, branch);
            }
            head = world.sha();
            // GitLab lists only the newest 20 commits of a push (oldest first); total_commits_count has them all.
            if (c >= commits - GITLAB_PUSH_COMMIT_LIMIT) {
                listed.add(new CommitData(
                        head,
                        world.now() - (commits - c) * rng.betweenMillis(MINUTE, 15 * MINUTE),
                        added,
                        modified,
                        removed));
            }
        }
        branch.headSha = head;
        branch.pushes++;
        world.emit(
                EventType.PUSH,
                world.now(),
                "projects/" + project.id + "/repository",
                user.id,
                new PushData(
                        project.id,
                        user.id,
                        "refs/heads/" + branch.name,
                        branch.name,
                        before,
                        head,
                        created,
                        false,
                        commits,
                        listed));
    }

    private void touchPath(
            SimProject project,
            SimUser user,
            int module,
            List<String> added,
            List<String> modified,
            List<String> removed,
            Branch branch) {
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
        project.experts[module].add(user.id, 1.0, world.now());
        if (branch != null) {
            branch.touch(path, module);
        }
    }

    void pushToDefaultBranch(SimUser user) {
        Membership membership = world.pickMembership(user, Membership.DEVELOPER);
        if (membership == null) {
            content.commentOnIssue(user);
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
                touchPath(
                        project,
                        user,
                        membership.homeModules[rng.nextInt(membership.homeModules.length)],
                        added,
                        modified,
                        removed,
                        null);
            }
            project.mainHead = world.sha();
            listed.add(new CommitData(
                    project.mainHead,
                    world.now() - (commits - c) * rng.betweenMillis(MINUTE, 10 * MINUTE),
                    added,
                    modified,
                    removed));
        }
        world.emit(
                EventType.PUSH,
                world.now(),
                "projects/" + project.id + "/repository",
                user.id,
                new PushData(
                        project.id,
                        user.id,
                        "refs/heads/" + DEFAULT_BRANCH,
                        DEFAULT_BRANCH,
                        before,
                        project.mainHead,
                        false,
                        false,
                        commits,
                        listed));
    }

    void deleteBranch(Branch branch) {
        SimProject project = branch.project;
        world.emit(
                EventType.PUSH,
                world.now(),
                "projects/" + project.id + "/repository",
                branch.author.id,
                new PushData(
                        project.id,
                        branch.author.id,
                        "refs/heads/" + branch.name,
                        branch.name,
                        branch.headSha,
                        ZERO_SHA,
                        false,
                        true,
                        0,
                        List.of()));
    }
}
