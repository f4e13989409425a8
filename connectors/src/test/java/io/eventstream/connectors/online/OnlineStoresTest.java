package io.eventstream.connectors.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OnlineStoresTest {

    @Test
    void redisUrisParseIntoEndpoints() {
        assertThat(RedisEndpoint.parse("redis://cache.internal:6380/2", Map.of()))
                .isEqualTo(new RedisEndpoint("cache.internal", 6380, 2, null, null, false));
        assertThat(RedisEndpoint.parse("rediss://cache.internal", Map.of()))
                .isEqualTo(new RedisEndpoint("cache.internal", 6379, 0, null, null, true));
        assertThat(RedisEndpoint.parse("redis://:p%40ss@127.0.0.1:7000/", Map.of()))
                .isEqualTo(new RedisEndpoint("127.0.0.1", 7000, 0, null, "p@ss", false));
        assertThat(RedisEndpoint.parse("redis://feature-writer:pw@h:1/3", Map.of()))
                .isEqualTo(new RedisEndpoint("h", 1, 3, "feature-writer", "pw", false));
    }

    @Test
    void thePasswordComesFromTheEnvironmentWhenTheUriHasNone() {
        Map<String, String> environment = Map.of(RedisEndpoint.PASSWORD_ENV, "from-env");
        assertThat(RedisEndpoint.parse("redis://h:1/0", environment).password()).isEqualTo("from-env");
        assertThat(RedisEndpoint.parse("redis://:from-uri@h:1/0", environment).password())
                .isEqualTo("from-uri");
        assertThat(RedisEndpoint.parse("redis://h:1/0", environment).toString())
                .isEqualTo("redis://h:1/0 (with password)")
                .doesNotContain("from-env");
    }

    @Test
    void badUrisFailWithAMessageSayingWhatIsAccepted() {
        assertThatThrownBy(() -> OnlineStores.validate(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected sqlite:PATH, redis://");
        assertThatThrownBy(() -> OnlineStores.validate("postgres://:pw@db:5432/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported online store URI postgres://***@db:5432/x; expected sqlite:PATH, "
                        + "redis://[:password@]host:port[/db] or rediss://[:password@]host:port[/db]");
        assertThatThrownBy(() -> OnlineStores.validate("sqlite:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no file");
        assertThatThrownBy(() -> OnlineStores.validate("redis://:pw@h:1/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Redis URI path must be a database number, as in redis://host:6379/0: redis://***@h:1/x");
        assertThatThrownBy(() -> OnlineStores.validate("redis://h:1/0?timeout=5"))
                .hasMessageContaining("takes no query");
        assertThatThrownBy(() -> OnlineStores.validate("redis:///0")).hasMessageContaining("needs host[:port]");
        assertThatThrownBy(() -> OnlineStores.validate("redis://h:port/0")).hasMessageContaining("numeric port");
        assertThatThrownBy(() -> OnlineStores.validate("redis://h:1/0 x")).hasMessageContaining("malformed Redis URI");
    }

    @Test
    void validUrisNameTheirScheme() {
        assertThat(OnlineStores.validate("sqlite:out/online.db")).isEqualTo("sqlite");
        assertThat(OnlineStores.validate("redis://:pw@h:6379/0")).isEqualTo("redis");
        assertThat(OnlineStores.validate("rediss://h:6380")).isEqualTo("rediss");
        assertThat(OnlineStores.redact("rediss://user:pw@h:6380/1")).isEqualTo("rediss://***@h:6380/1");
        assertThat(OnlineStores.redact("redis://h:6380/1")).isEqualTo("redis://h:6380/1");
    }
}
