package io.eventstream.jobs.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code eventstream run reviewers}: the reviewer-recommendation features job. */
@Command(
        name = "reviewers",
        mixinStandardHelpOptions = true,
        description = "Runs the reviewer-recommendation features job: CloudEvents to the reviewer_candidates and "
                + "reviewer_labels datasets and the reviewer_project_user_features / "
                + "reviewer_project_user_path_features online tables. Locally it runs on an embedded Flink "
                + "MiniCluster; under `flink run` it is submitted to the cluster.")
public final class ReviewersRunCommand extends FeatureRunCommand {

    @Override
    FeatureJob load(Path file) {
        return FeatureJob.Reviewers.load(file);
    }
}
