package io.eventstream.generator;

import java.util.LinkedHashMap;
import java.util.Map;

/** A feature branch: the paths its pushes touched (path to module index), its head and its merge request. */
final class Branch {
    /** Enough paths for diff notes and expertise; GitLab itself only lists 20 commits per push. */
    static final int MAX_TRACKED_PATHS = 60;

    final SimProject project;
    final SimUser author;
    final String name;
    final int focusModule;
    final Map<String, Integer> paths = new LinkedHashMap<>();
    String headSha;
    String baseSha;
    int pushes;
    int pushesBeforeMergeRequest;
    SimMergeRequest mergeRequest;

    Branch(SimProject project, SimUser author, String name, int focusModule) {
        this.project = project;
        this.author = author;
        this.name = name;
        this.focusModule = focusModule;
    }

    void touch(String path, int module) {
        if (paths.size() < MAX_TRACKED_PATHS || paths.containsKey(path)) {
            paths.put(path, module);
        }
    }
}
