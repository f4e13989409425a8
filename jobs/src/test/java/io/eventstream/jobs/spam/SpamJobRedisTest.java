package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.online.OnlineTableReader;
import io.eventstream.connectors.online.OnlineTableSpec;
import io.eventstream.connectors.online.RedisServer;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.SpamJobRun;
import io.eventstream.jobs.testing.SpamTestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production online backend: {@code eventstream run spam --online redis://...} against a real
 * {@code redis-server} ends with exactly the online rows of the SQLite run, both read through
 * {@link OnlineTableReader}.
 */
@ExtendWith(FlinkTestCluster.class)
class SpamJobRedisTest {

    @Test
    void redisOnlineTableEqualsTheSqliteOne(@TempDir Path out) throws Exception {
        OnlineTableSpec spec = OnlineTableSpec.of(
                SpamTestData.FEATURE_SET.onlineSchema(),
                Duration.ofMillis(SpamTestData.CONFIG.onlineTtlMillis()),
                SpamTestData.FEATURE_SET.fingerprint(),
                "user_id");
        Map<List<Object>, Map<String, Object>> fromSqlite =
                SpamTestData.cliRun().scanOnline(spec);
        try (RedisServer redis = RedisServer.start()) {
            SpamJobRun run = JobUnderTest.commandLine(SpamTestData.JOB, SpamTestData.eventsFile(), out, redis.uri(), 2);
            assertThat(fromSqlite).hasSameSizeAs(SpamTestData.expected().online());
            assertThat(run.scanOnline(spec)).isEqualTo(fromSqlite);
        }
    }
}
