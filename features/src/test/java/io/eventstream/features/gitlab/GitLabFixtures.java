package io.eventstream.features.gitlab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Locates the public GitLab payload fixtures ({@code shared/fixtures/gitlab-webhooks}), which live outside
 * the repository and are read in place, never copied: the system property {@code eventstream.fixtures}
 * (that folder itself), else the first {@code shared/fixtures/gitlab-webhooks} found walking up from the
 * working directory.
 */
public final class GitLabFixtures {
    public static final String PROPERTY = "eventstream.fixtures";
    private static final Path RELATIVE = Paths.get("shared", "fixtures", "gitlab-webhooks");

    private GitLabFixtures() {}

    public static Optional<Path> directory() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path path = Paths.get(configured);
            return Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
