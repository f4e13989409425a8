package io.eventstream.jobs.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.online.OnlineTableReader;
import io.eventstream.connectors.online.OnlineTableSpec;
import io.eventstream.connectors.online.RedisServer;
import io.eventstream.features.datasets.DatasetSchema;
import io.eventstream.features.reviewers.ReviewerFeatureSet;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.ReviewerJobRun;
import io.eventstream.jobs.testing.ReviewerTestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production online backend: {@code eventstream run reviewers --online redis://...} against a
 * real {@code redis-server} ends with exactly the rows of both reviewer online tables of the SQLite
 * run, every value and {@code feature_set_version}, both read through {@link OnlineTableReader}.
 */
@ExtendWith(FlinkTestCluster.class)
class ReviewerJobRedisTest {
    private static final ReviewerFeatureSet FEATURE_SET = ReviewerTestData.FEATURE_SET;

    @Test
    void bothRedisOnlineTablesEqualTheSqliteOnes(@TempDir Path out) throws Exception {
        ReviewerJobRun sqlite = ReviewerTestData.cliRun();
        try (RedisServer redis = RedisServer.start()) {
            ReviewerJobRun run =
                    JobUnderTest.commandLine(ReviewerTestData.JOB, ReviewerTestData.eventsFile(), out, redis.uri(), 2);
            for (OnlineTableSpec table : List.of(
                    spec(FEATURE_SET.onlineUserSchema(), ReviewerFeatureSet.ONLINE_USER_KEY),
                    spec(FEATURE_SET.onlinePathSchema(), ReviewerFeatureSet.ONLINE_PATH_KEY))) {
                Map<List<Object>, Map<String, Object>> fromSqlite = sqlite.scanOnline(table);
                assertThat(fromSqlite).as(table.schema().name() + " in SQLite").hasSizeGreaterThan(25);
                assertThat(run.scanOnline(table))
                        .as(table.schema().name() + " in Redis")
                        .isEqualTo(fromSqlite);
            }
        }
    }

    private static OnlineTableSpec spec(DatasetSchema schema, List<String> key) {
        return new OnlineTableSpec(
                schema, key, Duration.ofMillis(ReviewerTestData.CONFIG.onlineTtlMillis()), FEATURE_SET.fingerprint());
    }
}
