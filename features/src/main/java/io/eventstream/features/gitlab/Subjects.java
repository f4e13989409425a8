package io.eventstream.features.gitlab;

/** The CloudEvents {@code subject} of every object the adapters emit (listed in docs/gitlab-adapters.md). */
final class Subjects {
    private Subjects() {}

    static String project(long projectId) {
        return "projects/" + projectId;
    }

    /** An object inside a project, e.g. {@code projects/42/merge_requests/7}. */
    static String inProject(long projectId, String collection, Object key) {
        return "projects/" + projectId + "/" + collection + "/" + key;
    }

    static String group(long groupId) {
        return "groups/" + groupId;
    }

    /** An object inside a group, e.g. {@code groups/7/members/5}. */
    static String inGroup(long groupId, String collection, Object key) {
        return "groups/" + groupId + "/" + collection + "/" + key;
    }

    static String user(long userId) {
        return "users/" + userId;
    }

    /** An object known only by its global id, e.g. {@code keys/4}. */
    static String global(String collection, Object key) {
        return collection + "/" + key;
    }
}
