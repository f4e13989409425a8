package io.eventstream.jobs.archive;

import io.eventstream.connectors.archive.EventArchive;
import io.eventstream.connectors.deadletter.DeadLetters;
import io.eventstream.features.config.ArchiveJobConfig;
import io.eventstream.jobs.testing.JobRun;
import io.eventstream.jobs.testing.JobUnderTest;
import java.util.List;

/** The archive job as the tests run it: production topology and outputs, checkpoints every 500 ms. */
final class ArchiveTestData {

    static final String CONFIG_YAML = """
            archive:
              retention: 30d
            checkpoint:
              interval: 500ms
            """;

    static final ArchiveJobConfig CONFIG = ArchiveJobConfig.parse(CONFIG_YAML);

    /** The archive job; its "dataset root" is the archive root. */
    static final JobUnderTest.Job<ArchiveRun> JOB = new JobUnderTest.Job<>(
            "archive",
            CONFIG_YAML,
            CONFIG.checkpointIntervalMillis(),
            "online/unused",
            List.of(EventArchive.DATASET, DeadLetters.DATASET),
            (env, source, out, online) -> ArchiveTopology.defineWorkflow(env, source, CONFIG, new ArchiveOutputs(out)),
            ArchiveRun::new);

    private ArchiveTestData() {}

    /** A run of the archive job: its two datasets read back with DuckDB. */
    static final class ArchiveRun extends JobRun {
        ArchiveRun(JobRun run) {
            super(run);
        }

        List<Object[]> events() {
            return rows(EventArchive.DATASET, EventArchive.schema());
        }

        List<Object[]> deadLetters() {
            return rows(DeadLetters.DATASET, DeadLetters.schema());
        }
    }
}
