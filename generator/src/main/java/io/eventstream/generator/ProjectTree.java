package io.eventstream.generator;

import java.util.ArrayList;
import java.util.List;

/**
 * A project's repository as the generator sees it: a few modules (directories two levels deep, e.g.
 * {@code src/billing}), each holding files up to two directories further down (path depth up to 4
 * directories). Modules are the unit of expertise: developers have home modules and mostly touch
 * files there. The number of files per module is capped, so a long run does not grow the tree.
 */
final class ProjectTree {
    static final int MAX_FILES_PER_MODULE = 60;

    private static final String[] TOP_DIRS = {"src", "lib", "app", "pkg", "internal", "cmd", "web", "services", "tools"
    };
    private static final String[] MODULE_NAMES = {
        "auth", "billing", "api", "models", "storage", "search", "notifications", "ci", "runner", "frontend",
        "graphql", "workers", "cache", "metrics", "import", "export", "webhooks", "users", "projects", "admin",
        "security", "packages", "registry", "pages", "wiki", "analytics", "mailers", "jobs", "ui", "core"
    };
    private static final String[] SUBDIRS = {
        "handlers",
        "services",
        "models",
        "helpers",
        "client",
        "internal",
        "v1",
        "v2",
        "config",
        "utils",
        "serializers",
        "validators",
        "components",
        "store",
        "migrations",
        "policies",
        "finders",
        "events"
    };
    private static final String[] FILE_NAMES = {
        "handler", "service", "client", "model", "controller", "utils", "parser", "config", "router", "worker",
        "cache", "session", "schema", "queue", "metrics", "index", "helpers", "policy", "finder", "presenter",
        "serializer", "validator", "builder", "factory", "adapter", "registry", "scheduler", "loader", "writer"
    };
    /** Language of the project: file extension and a line of code for review comments. */
    static final String[][] LANGUAGES = {
        {"rb", "ruby", "return if user.blocked?"},
        {"go", "go", "if err != nil {\n\treturn nil, err\n}"},
        {"py", "python", "if not items:\n    return []"},
        {"ts", "typescript", "const result = items.filter((item) => item.enabled);"},
        {"java", "java", "if (value == null) {\n    return Optional.empty();\n}"},
    };

    private final String[] modules;
    private final List<List<String>> files;
    private final int language;
    private int fileCounter;

    ProjectTree(Rng rng) {
        this.language = rng.nextInt(LANGUAGES.length);
        int moduleCount = rng.between(3, 12);
        this.modules = new String[moduleCount];
        this.files = new ArrayList<>(moduleCount);
        int topCount = rng.between(1, 3);
        String[] tops = new String[topCount];
        for (int i = 0; i < topCount; i++) {
            tops[i] = TOP_DIRS[(rng.nextInt(TOP_DIRS.length) + i) % TOP_DIRS.length];
        }
        int nameOffset = rng.nextInt(MODULE_NAMES.length);
        for (int m = 0; m < moduleCount; m++) {
            // Module names are distinct within a project (offset walk), tops may repeat.
            modules[m] = tops[m % topCount] + "/" + MODULE_NAMES[(nameOffset + m) % MODULE_NAMES.length];
            List<String> moduleFiles = new ArrayList<>();
            int initial = rng.between(4, 15);
            for (int f = 0; f < initial; f++) {
                moduleFiles.add(newPath(m, rng));
            }
            files.add(moduleFiles);
        }
    }

    int moduleCount() {
        return modules.length;
    }

    String module(int index) {
        return modules[index];
    }

    String languageName() {
        return LANGUAGES[language][1];
    }

    String codeLine() {
        return LANGUAGES[language][2];
    }

    /** An existing file of the module, or a new one if the module is empty. */
    String existingFile(int module, Rng rng) {
        List<String> moduleFiles = files.get(module);
        if (moduleFiles.isEmpty()) {
            return addFile(module, rng);
        }
        return rng.pick(moduleFiles);
    }

    /** Adds a file to the module; at the cap the new path is still returned but not remembered. */
    String addFile(int module, Rng rng) {
        String path = newPath(module, rng);
        List<String> moduleFiles = files.get(module);
        if (moduleFiles.size() < MAX_FILES_PER_MODULE) {
            moduleFiles.add(path);
        }
        return path;
    }

    /** Removes a file from the module and returns its path; null when the module is too small to shrink. */
    String removeFile(int module, Rng rng) {
        List<String> moduleFiles = files.get(module);
        if (moduleFiles.size() <= 3) {
            return null;
        }
        int index = rng.nextInt(moduleFiles.size());
        String path = moduleFiles.get(index);
        moduleFiles.set(index, moduleFiles.get(moduleFiles.size() - 1));
        moduleFiles.remove(moduleFiles.size() - 1);
        return path;
    }

    int fileCount() {
        int count = 0;
        for (List<String> moduleFiles : files) {
            count += moduleFiles.size();
        }
        return count;
    }

    private String newPath(int module, Rng rng) {
        StringBuilder path = new StringBuilder(64).append(modules[module]).append('/');
        if (rng.chance(0.45)) {
            path.append(rng.pick(SUBDIRS)).append('/');
            if (rng.chance(0.35)) {
                path.append(rng.pick(SUBDIRS)).append('/');
            }
        }
        // The counter keeps paths unique within the project.
        path.append(rng.pick(FILE_NAMES))
                .append('_')
                .append(++fileCounter)
                .append('.')
                .append(LANGUAGES[language][0]);
        return path.toString();
    }
}
