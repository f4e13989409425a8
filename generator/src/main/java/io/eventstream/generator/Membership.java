package io.eventstream.generator;

/** A user's membership of a project, with the modules they mostly work on there. */
final class Membership {
    static final int GUEST = 10;
    static final int REPORTER = 20;
    static final int DEVELOPER = 30;
    static final int MAINTAINER = 40;
    static final int OWNER = 50;

    final SimUser user;
    final SimProject project;
    int accessLevel;
    final int[] homeModules;

    Membership(SimUser user, SimProject project, int accessLevel, int[] homeModules) {
        this.user = user;
        this.project = project;
        this.accessLevel = accessLevel;
        this.homeModules = homeModules;
    }
}
