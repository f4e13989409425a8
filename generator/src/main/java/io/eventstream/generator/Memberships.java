package io.eventstream.generator;

import static io.eventstream.generator.World.HOUR;
import static io.eventstream.generator.World.MINUTE;
import static io.eventstream.generator.World.SECOND;

import io.eventstream.features.events.EventType;
import io.eventstream.features.events.MemberData;
import io.eventstream.features.events.ProjectData;

/**
 * Projects and who is in them: a project is created by a developer who owns it (and invites a few others
 * when created during the run), users join popular projects (spammers public ones only), maintainers change
 * access levels or remove members who have no open work in the project.
 */
final class Memberships {

    private final World world;
    private final Rng rng;
    private final Content content;

    Memberships(World world, Content content) {
        this.world = world;
        this.rng = world.rng;
        this.content = content;
    }

    void createProject(SimProject project, boolean bootstrap) {
        SimUser owner = rng.pick(world.activeDevelopers);
        project.created = true;
        project.mainHead = world.sha();
        world.projectPicker.set(project.index, world.projectPopularity[project.index]);
        if (project.isPublic()) {
            world.publicProjectPicker.set(project.index, world.projectPopularity[project.index]);
        }
        world.emit(
                EventType.PROJECT_CREATED,
                world.now(),
                "projects/" + project.id,
                owner.id,
                new ProjectData(project.id, null, project.pathWithNamespace, null, project.visibility, owner.id));
        addMember(owner, project, Membership.OWNER, world.now() + SECOND);
        if (!bootstrap) {
            int invites = rng.between(0, 3);
            for (int i = 0; i < invites; i++) {
                SimUser invitee = rng.pick(world.activeDevelopers);
                world.schedule(world.now() + rng.betweenMillis(10 * MINUTE, 6 * HOUR), () -> {
                    if (invitee.membershipOf(project) == null && invitee.memberships.size() < SimUser.MAX_MEMBERSHIPS) {
                        addMember(invitee, project, Membership.DEVELOPER, world.now());
                    }
                });
            }
        }
    }

    /** Joins a popular project the user is not in yet; public ones only for spammers. */
    void joinProject(SimUser user, boolean publicOnly) {
        if (user.blocked || user.memberships.size() >= SimUser.MAX_MEMBERSHIPS) {
            return;
        }
        WeightedPicker picker = publicOnly ? world.publicProjectPicker : world.projectPicker;
        for (int attempt = 0; attempt < 6; attempt++) {
            int index = picker.sample(rng);
            if (index < 0) {
                return;
            }
            SimProject project = world.projects[index];
            if (user.membershipOf(project) == null) {
                int access = switch (user.role) {
                    case DEVELOPER -> rng.chance(0.15) ? Membership.MAINTAINER : Membership.DEVELOPER;
                    case REPORTER -> Membership.REPORTER;
                    case OCCASIONAL, COMMUNITY, SPAMMER -> rng.chance(0.5) ? Membership.GUEST : Membership.REPORTER;
                    case BOT -> Membership.REPORTER;
                };
                addMember(user, project, access, world.now());
                return;
            }
        }
    }

    void addMember(SimUser user, SimProject project, int access, long time) {
        int modules = project.tree.moduleCount();
        int[] home = rng.chance(0.5)
                ? new int[] {rng.nextInt(modules)}
                : new int[] {rng.nextInt(modules), rng.nextInt(modules)};
        Membership membership = new Membership(user, project, access, home);
        user.memberships.add(membership);
        project.members.add(membership);
        world.membershipCount++;
        world.emit(
                EventType.MEMBER_ADDED,
                time,
                memberSubject(project, user),
                user.id,
                new MemberData(user.id, MemberData.PROJECT, project.id, null, access, null));
    }

    /** A maintainer changes someone's access level or removes someone not involved in open work. */
    void administerMembers(SimUser admin) {
        Membership own = world.pickMembership(admin, Membership.MAINTAINER);
        if (own == null) {
            content.commentOnIssue(admin);
            return;
        }
        SimProject project = own.project;
        Membership target = rng.pick(project.members);
        if (target.user == admin || target.accessLevel == Membership.OWNER) {
            return;
        }
        if (rng.chance(0.6)) {
            target.accessLevel = target.accessLevel >= Membership.MAINTAINER
                    ? Membership.DEVELOPER
                    : Math.min(Membership.MAINTAINER, target.accessLevel + 10);
            world.emit(
                    EventType.MEMBER_UPDATED,
                    world.now(),
                    memberSubject(project, target.user),
                    target.user.id,
                    new MemberData(target.user.id, MemberData.PROJECT, project.id, null, target.accessLevel, null));
            return;
        }
        if (isInvolvedInOpenWork(target.user, project)) {
            return;
        }
        project.members.remove(target);
        target.user.memberships.remove(target);
        world.membershipCount--;
        world.emit(
                EventType.MEMBER_REMOVED,
                world.now(),
                memberSubject(project, target.user),
                target.user.id,
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

    private static String memberSubject(SimProject project, SimUser user) {
        return "projects/" + project.id + "/members/" + user.id;
    }
}
