package io.eventstream.jobs.testing;

import io.eventstream.connectors.parquet.DatasetSink;
import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.reviewers.NaiveReviewerReference;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.features.reviewers.ReviewerInputs;
import io.eventstream.generator.GeneratorConfig;
import io.eventstream.jobs.reviewers.ReviewerOutputs;
import io.eventstream.jobs.reviewers.ReviewerTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The generated year the reviewer job tests share, its JSON-lines file, the naive reference's
 * expected output and the command-line run: each computed once per test JVM, because every
 * end-to-end reviewer test reads the same events (the naive reference alone costs about 20 s of
 * CPU).
 *
 * <p>About 36,700 events (28,000 of them reviewer inputs: MR events, MR notes, pushes, project
 * memberships): 16 users in 2 projects over 365 days, so the 365-day windows fill up and MRs are
 * forgotten after their grace period during the run. The job configuration is the default one but
 * for a 500 ms checkpoint interval, so restart tests find completed checkpoints early.
 */
public final class ReviewerTestData {

    public static final GeneratorConfig GENERATOR = GeneratorConfig.of(2024_0601L, 16, 2, 365);
    private static final GeneratedEvents EVENTS = new GeneratedEvents(GENERATOR, "reviewer-test-events");

    /** The job configuration of the end-to-end tests. */
    public static final String CONFIG_YAML = """
            checkpoint:
              interval: 500ms
            """;

    public static final ReviewerJobConfig CONFIG = ReviewerJobConfig.parse(CONFIG_YAML);
    public static final ReviewerFeatureSet FEATURE_SET = new ReviewerFeatureSet(CONFIG);

    private static final String BUCKETS_YAML = CONFIG_YAML + "state:\n  user_buckets: 3\n";

    /** The reviewer job as the tests run it: production workflow and outputs over {@link #CONFIG}. */
    public static final JobUnderTest.Job<ReviewerJobRun> JOB = job(CONFIG_YAML);

    /**
     * {@link #JOB} with {@code state.user_buckets: 3}: a project's path, prefix and pair counts and its
     * candidate rows in a second keyed function, per user bucket. The same rows.
     */
    public static final JobUnderTest.Job<ReviewerJobRun> BUCKETS_JOB = job(BUCKETS_YAML);

    /** The config of {@link #BUCKETS_JOB}. */
    public static final ReviewerJobConfig BUCKETS_CONFIG = ReviewerJobConfig.parse(BUCKETS_YAML);

    /** {@link #JOB} over another config. */
    public static JobUnderTest.Job<ReviewerJobRun> job(String configYaml) {
        ReviewerFeatureSet featureSet = new ReviewerFeatureSet(ReviewerJobConfig.parse(configYaml));
        return new JobUnderTest.Job<>(
                "reviewers",
                configYaml,
                featureSet.config().checkpointIntervalMillis(),
                "online/reviewer_features.sqlite",
                List.of(
                        ReviewerFeatureSet.CANDIDATES_DATASET,
                        ReviewerFeatureSet.LABELS_DATASET,
                        ReviewerOutputs.LATE_EVENTS,
                        ReviewerOutputs.DEAD_LETTERS),
                (env, source, out, online) -> DatasetSink.localDirs(
                        ReviewerTopology.defineWorkflow(env, source, featureSet, new ReviewerOutputs(out, online))),
                ReviewerJobRun::new);
    }

    private static NaiveReviewerReference.Result expected;
    private static ReviewerJobRun cliRun;
    private static MixedInput mixed;

    private ReviewerTestData() {}

    /** The generated events in emission order. */
    public static List<CloudEvent> events() {
        return EVENTS.events();
    }

    /** The events as a JSON-lines file (structured mode, one event per line, emission order). */
    public static Path eventsFile() {
        return EVENTS.file();
    }

    /**
     * The generated events with duplicates, conflicting copies, future-dated, malformed and very late
     * events mixed in ({@link MixedInput}); written once per JVM.
     */
    public static synchronized MixedInput mixedInput() {
        if (mixed == null) {
            mixed = MixedInput.write(
                    events(),
                    e -> ReviewerInputs.from(e) != null,
                    e -> ReviewerInputs.from(e) != null,
                    "reviewer-mixed-events");
        }
        return mixed;
    }

    /** What the job must write for {@link #events()}, by the naive reference. */
    public static synchronized NaiveReviewerReference.Result expected() {
        if (expected == null) {
            expected = new NaiveReviewerReference(FEATURE_SET).compute(events());
        }
        return expected;
    }

    /**
     * The job run through its command line ({@code eventstream run reviewers}, parallelism 2) over
     * {@link #eventsFile()}; run once per JVM, on the shared MiniCluster. Tests compare other runs
     * with it.
     */
    public static synchronized ReviewerJobRun cliRun() throws IOException {
        if (cliRun == null) {
            cliRun =
                    JobUnderTest.commandLine(JOB, eventsFile(), Files.createTempDirectory("reviewer-cli-run"), null, 2);
        }
        return cliRun;
    }
}
