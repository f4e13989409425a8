package io.eventstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.config.ReviewerJobConfig;
import io.eventstream.features.config.SpamJobConfig;
import org.junit.jupiter.api.Test;

/** Where the run commands write: command-line options over the config file. */
class JobOutputOptionsTest {

    private static final SpamJobConfig CONFIG =
            SpamJobConfig.parse("hashing:\n  key: output-options-test-key-0123\ncheckpoint:\n  interval: 1s\n");

    @Test
    void commandLineOutputsOverrideTheConfig() {
        SpamJobConfig redis = SpamJobConfig.parse(CONFIG.yaml() + "dataset:\n  root: /data/ds\n"
                + "online:\n  backend: redis\n  redis_url: redis://10.0.0.5:6380\n");
        ReviewerJobConfig sqlite = ReviewerJobConfig.parse("online:\n  sqlite_path: /var/features/reviewers.db\n");
        JobOutputOptions none = new JobOutputOptions();
        assertThat(none.datasetRoot(redis)).isEqualTo("/data/ds");
        assertThat(new JobOutputOptions()
                        .datasetRoot(SpamJobConfig.parse(CONFIG.yaml() + "dataset:\n  root: s3://training/datasets\n")))
                .isEqualTo("s3://training/datasets");
        assertThat(none.onlineStore(redis)).isEqualTo("redis://10.0.0.5:6380");
        assertThat(none.onlineStore(sqlite)).isEqualTo("sqlite:/var/features/reviewers.db");

        JobOutputOptions out = new JobOutputOptions();
        out.out = "/tmp/run1";
        assertThat(out.datasetRoot(redis)).isEqualTo("/tmp/run1");
        assertThat(out.onlineStore(redis))
                .as("redis stays where the config says")
                .isEqualTo("redis://10.0.0.5:6380");
        assertThat(out.onlineStore(sqlite)).isEqualTo("sqlite:/tmp/run1/online/reviewers.db");

        out.online = "sqlite:/elsewhere.db";
        assertThat(out.onlineStore(redis)).isEqualTo("sqlite:/elsewhere.db");
    }
}
