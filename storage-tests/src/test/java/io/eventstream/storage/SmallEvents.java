package io.eventstream.storage;

import io.eventstream.generator.GeneratorConfig;
import io.eventstream.jobs.testing.GeneratedEvents;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.ReviewerJobRun;
import io.eventstream.jobs.testing.ReviewerTestData;
import io.eventstream.jobs.testing.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.io.IOException;
import java.nio.file.Files;

/**
 * The small generated streams of this module and the local-disk command-line run of each job over
 * them, computed once per test JVM. Small on purpose: on S3 and HDFS every part file, rename and
 * {@code _SUCCESS} mark costs round trips, and a few dozen hour partitions prove as much about
 * commits, completeness marks and duplicates as a year of them (the jobs' own tests in {@code jobs/}
 * cover the features on the large streams).
 *
 * <ul>
 *   <li>spam: 400 users (5% spammers) in 8 projects over 2 days: 4,497 events, 2,727 feature
 *       and 48 label rows in 48 hour partitions;
 *   <li>reviewers: 200 users in 20 projects over 3 days: 5,377 events, 6,116 candidate and 902
 *       label rows.
 * </ul>
 * The job configurations are those of {@link SpamTestData} and {@link ReviewerTestData}
 * (500 ms checkpoints, so the injected failure finds a completed checkpoint early). A few
 * thousand events, because the stream must outlast the job's first checkpoint (see
 * {@link #failAfter}).
 */
final class SmallEvents {
    static final GeneratedEvents SPAM =
            new GeneratedEvents(GeneratorConfig.of(20_240_101L, 400, 8, 2), "storage-spam-events");
    static final GeneratedEvents REVIEWERS =
            new GeneratedEvents(GeneratorConfig.of(2024_0601L, 200, 20, 3), "storage-reviewer-events");

    private static SpamJobRun spamLocal;
    private static ReviewerJobRun reviewersLocal;

    private SmallEvents() {}

    /** {@code eventstream run spam} at parallelism 2 over {@link #SPAM}, to the local disk. */
    static synchronized SpamJobRun spamLocalRun() throws IOException {
        if (spamLocal == null) {
            spamLocal = JobUnderTest.commandLine(
                    SpamTestData.JOB, SPAM.file(), Files.createTempDirectory("storage-spam-local"), null, 2);
        }
        return spamLocal;
    }

    /** {@code eventstream run reviewers} at parallelism 2 over {@link #REVIEWERS}, to the local disk. */
    static synchronized ReviewerJobRun reviewersLocalRun() throws IOException {
        if (reviewersLocal == null) {
            reviewersLocal = JobUnderTest.commandLine(
                    ReviewerTestData.JOB,
                    REVIEWERS.file(),
                    Files.createTempDirectory("storage-reviewer-local"),
                    null,
                    2);
        }
        return reviewersLocal;
    }

    /**
     * Where {@code FailOnce} fails: early, because past this count it holds each record for a
     * millisecond until a checkpoint completes, and the rest of the stream must outlast the first
     * checkpoint of the job (a few seconds on a busy machine).
     */
    static long failAfter() {
        return 200;
    }
}
