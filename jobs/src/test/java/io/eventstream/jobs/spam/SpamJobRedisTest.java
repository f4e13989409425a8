package io.eventstream.jobs.spam;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.online.OnlineTableReader;
import io.eventstream.connectors.online.OnlineTableSpec;
import io.eventstream.connectors.online.RedisServer;
import io.eventstream.jobs.cli.EventstreamCli;
import io.eventstream.jobs.testing.FlinkTestCluster;
import io.eventstream.jobs.testing.SpamTestData;
import java.nio.file.Files;
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
        OnlineTableSpec spec = OnlineTableSpec.of(SpamTestData.FEATURE_SET.onlineSchema(),
                Duration.ofMillis(SpamTestData.CONFIG.onlineTtlMillis()), SpamTestData.FEATURE_SET.fingerprint(), "user_id");
        String sqlite = SpamTestData.cliRun().onlineUri();
        try (RedisServer redis = RedisServer.start()) {
            Path config = Files.writeString(out.resolve("spam.yaml"), SpamTestData.CONFIG_YAML);
            int exit = EventstreamCli.commandLine().execute("run", "spam", "--config", config.toString(),
                    "--input", SpamTestData.eventsFile().toString(), "--out", out.resolve("datasets").toString(),
                    "--online", redis.uri(), "--parallelism", "2");
            assertThat(exit).isZero();

            Map<List<Object>, Map<String, Object>> fromRedis;
            Map<List<Object>, Map<String, Object>> fromSqlite;
            try (OnlineTableReader reader = OnlineTableReader.open(redis.uri(), spec)) {
                fromRedis = reader.scan();
            }
            try (OnlineTableReader reader = OnlineTableReader.open(sqlite, spec)) {
                fromSqlite = reader.scan();
            }
            assertThat(fromSqlite).hasSameSizeAs(SpamTestData.expected().online());
            assertThat(fromRedis).isEqualTo(fromSqlite);
        }
    }
}
