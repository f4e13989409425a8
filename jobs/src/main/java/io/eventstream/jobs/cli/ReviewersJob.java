package io.eventstream.jobs.cli;

/**
 * Entry point of the reviewer-recommendation features job for {@code flink run -c
 * io.eventstream.jobs.cli.ReviewersJob eventstream-jobs.jar --config reviewers.yaml ...}.
 * Takes the same options as {@code ./eventstream run reviewers}.
 */
public final class ReviewersJob {
    private ReviewersJob() {}

    public static void main(String[] args) {
        FlinkRunEntryPoint.execute(new ReviewersRunCommand(), "reviewer job", args);
    }
}
