package io.eventstream.connectors.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a Redis password may come from, in order: the URL, EVENTSTREAM_REDIS_PASSWORD, EVENTSTREAM_REDIS_PASSWORD_FILE. */
class RedisEndpointCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void thePasswordFileIsTheLastSourceAndItsTrailingNewlineIsNotPartOfIt() throws IOException {
        Path file = Files.writeString(dir.resolve("redis-password"), "from-file-s3cret\n");
        Map<String, String> fileOnly = Map.of(RedisEndpoint.PASSWORD_FILE_ENV, file.toString());
        RedisEndpoint endpoint = RedisEndpoint.parse("redis://jobs@127.0.0.1:6380/2", fileOnly);
        assertThat(endpoint.user()).isEqualTo("jobs");
        assertThat(endpoint.password()).isEqualTo("from-file-s3cret");
        assertThat(endpoint.toString()).isEqualTo("redis://jobs@127.0.0.1:6380/2 (with password)");

        Map<String, String> both =
                Map.of(RedisEndpoint.PASSWORD_ENV, "from-env", RedisEndpoint.PASSWORD_FILE_ENV, file.toString());
        assertThat(RedisEndpoint.parse("redis://127.0.0.1:6380/0", both).password())
                .isEqualTo("from-env");
        assertThat(RedisEndpoint.parse("redis://:from-url@127.0.0.1:6380/0", both)
                        .password())
                .isEqualTo("from-url");
        assertThat(RedisEndpoint.parse("redis://127.0.0.1:6380/0", Map.of()).password())
                .isNull();
    }

    @Test
    void anUnreadablePasswordFileIsNamedButNothingOfItsContent() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> RedisEndpoint.parse(
                        "redis://127.0.0.1:6380/0", Map.of(RedisEndpoint.PASSWORD_FILE_ENV, missing.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read the Redis password file " + missing
                        + " named by EVENTSTREAM_REDIS_PASSWORD_FILE (NoSuchFileException)");
    }

    @Test
    void printedStoreUrisHideCredentials() {
        assertThat(OnlineStores.redact("redis://jobs:s3cret@127.0.0.1:6380/0"))
                .isEqualTo("redis://***@127.0.0.1:6380/0");
        assertThat(OnlineStores.redact("rediss://:s3cret@cache:6380/0")).isEqualTo("rediss://***@cache:6380/0");
        assertThat(OnlineStores.redact("redis://127.0.0.1:6380/0")).isEqualTo("redis://127.0.0.1:6380/0");
    }
}
