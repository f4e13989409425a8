package io.eventstream.connectors.online;

import static io.eventstream.connectors.online.OnlineTestTables.PATH_SPEC;
import static io.eventstream.connectors.online.OnlineTestTables.USER_SCHEMA;
import static io.eventstream.connectors.online.OnlineTestTables.USER_SPEC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class RedisOnlineStoreTest {

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void emptyDatabase() {
        try (Jedis jedis = redis.client()) {
            jedis.flushAll();
        }
    }

    @Test
    void shuffledReplaysWithDuplicatesEndInTheNewestRowPerKey() {
        Random random = new Random(11);
        List<Object[]> rows = OnlineTestTables.userRows(random, 300, 6);
        Map<List<Object>, Map<String, Object>> expected = OnlineTestTables.newestPerKey(USER_SPEC, rows);
        for (int replay = 0; replay < 3; replay++) {
            emptyDatabase();
            // A pipeline smaller than most batches, so batches span several round trips.
            try (RedisOnlineStore store = new RedisOnlineStore(redis.uri(), USER_SPEC, 37)) {
                OnlineTestTables.upsertInRandomBatches(store, OnlineTestTables.replay(rows, random), random, 200);
                assertThat(store.scan()).isEqualTo(expected);
                List<Object[]> again = new ArrayList<>(rows);
                again.sort((a, b) -> Long.compare((Long) a[1], (Long) b[1]));
                store.upsert(again);
                assertThat(store.scan()).isEqualTo(expected);
            }
        }
    }

    @Test
    void compositeKeysAreEscapedAndKeptApart() {
        Random random = new Random(5);
        List<Object[]> rows = OnlineTestTables.pathRows(random, 5);
        Map<List<Object>, Map<String, Object>> expected = OnlineTestTables.newestPerKey(PATH_SPEC, rows);
        try (RedisOnlineStore store = new RedisOnlineStore(redis.uri(), PATH_SPEC, 10)) {
            OnlineTestTables.upsertInRandomBatches(store, OnlineTestTables.replay(rows, random), random, 30);
            assertThat(store.scan()).isEqualTo(expected);
            assertThat(store.get(List.of(8L, 43, "a\\:b"))).contains(expected.get(List.of(8L, 43, "a\\:b")));
        }
        try (Jedis jedis = redis.client()) {
            assertThat(jedis.keys("reviewer_paths:7:42:*"))
                    .containsExactlyInAnyOrder(
                            "reviewer_paths:7:42:src",
                            "reviewer_paths:7:42:src/main",
                            "reviewer_paths:7:42:doc\\:s",
                            "reviewer_paths:7:42:a\\\\b",
                            "reviewer_paths:7:42:a\\:b",
                            "reviewer_paths:7:42:a\\\\\\:b",
                            "reviewer_paths:7:42:ünï/cødé");
        }
        assertThat(RedisOnlineStore.redisKey(PATH_SPEC, List.of(7L, 42, "a\\:b")))
                .isEqualTo("reviewer_paths:7:42:a\\\\\\:b");
    }

    @Test
    void prefixScansReadTheIndexSetWrittenWithEachRow() {
        OnlineTableSpec indexed = PATH_SPEC.withPrefixIndex(1);
        Random random = new Random(8);
        List<Object[]> rows = OnlineTestTables.pathRows(random, 4);
        Map<List<Object>, Map<String, Object>> expected = OnlineTestTables.newestPerKey(PATH_SPEC, rows);
        try (RedisOnlineStore store = new RedisOnlineStore(redis.uri(), indexed, 10)) {
            OnlineTestTables.upsertInRandomBatches(store, OnlineTestTables.replay(rows, random), random, 30);
            for (long project : new long[] {7, 8, 9}) {
                assertThat(store.scanPrefix(List.of(project)))
                        .as("project %s", project)
                        .isEqualTo(OnlineTestTables.withKeyPrefix(expected, List.of(project)));
            }
            assertThat(store.scan()).as("the index sets are not entities").isEqualTo(expected);
            assertThatThrownBy(() -> store.scanPrefix(List.of(7L, 42)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("an index on its first 1 key column(s)")
                    .hasMessageContaining("would scan the whole keyspace");
        }
        try (Jedis jedis = redis.client()) {
            // The documented layout: members are the escaped remaining key parts, joined by ':'.
            assertThat(RedisOnlineStore.indexKey(indexed, List.of(7L))).isEqualTo("reviewer_paths#prefix:7");
            assertThat(jedis.smembers("reviewer_paths#prefix:7"))
                    .containsExactlyInAnyOrder(
                            "42:src",
                            "42:src/main",
                            "42:doc\\:s",
                            "42:a\\\\b",
                            "42:a\\:b",
                            "42:a\\\\\\:b",
                            "42:ünï/cødé",
                            "43:src",
                            "43:src/main",
                            "43:doc\\:s",
                            "43:a\\\\b",
                            "43:a\\:b",
                            "43:a\\\\\\:b",
                            "43:ünï/cødé");
            long ttl = PATH_SPEC.ttl().toMillis();
            assertThat(jedis.pttl("reviewer_paths#prefix:7")).isBetween(ttl - 60_000, ttl);
        }
        // A table without the index cannot be read by prefix in Redis.
        try (RedisOnlineStore plain = new RedisOnlineStore(redis.uri(), PATH_SPEC, 10)) {
            assertThatThrownBy(() -> plain.scanPrefix(List.of(7L)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no key-prefix index");
        }
    }

    @Test
    void expiredMembersAreLeftOutAndPrunedWhileLiveOnesStay() throws InterruptedException {
        OnlineTableSpec shortLived = OnlineTableSpec.of(
                        OnlineTestTables.PATH_SCHEMA,
                        Duration.ofMillis(400),
                        "v1",
                        "project_id",
                        "user_id",
                        "path_prefix")
                .withPrefixIndex(2);
        OnlineTableSpec longLived = OnlineTableSpec.of(
                        OnlineTestTables.PATH_SCHEMA, Duration.ofDays(1), "v1", "project_id", "user_id", "path_prefix")
                .withPrefixIndex(2);
        Object[] leaving = {7L, 42, "src", 1000L, 1L, null};
        Object[] staying = {7L, 42, "doc", 1000L, 2L, 5};
        try (RedisOnlineStore shortStore = new RedisOnlineStore(redis.uri(), shortLived, 10);
                RedisOnlineStore longStore = new RedisOnlineStore(redis.uri(), longLived, 10);
                Jedis jedis = redis.client()) {
            shortStore.upsert(List.<Object[]>of(leaving));
            longStore.upsert(List.<Object[]>of(staying));
            assertThat(shortStore.scanPrefix(List.of(7L, 42)))
                    .containsOnlyKeys(List.of(7L, 42, "src"), List.of(7L, 42, "doc"));
            long deadline = System.currentTimeMillis() + 10_000;
            while (jedis.exists("reviewer_paths:7:42:src") && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(jedis.smembers("reviewer_paths#prefix:7:42")).containsExactlyInAnyOrder("src", "doc");
            assertThat(longStore.scanPrefix(List.of(7L, 42)))
                    .isEqualTo(Map.of(List.of(7L, 42, "doc"), OnlineTestTables.asReadRow(longLived, staying)));
            assertThat(jedis.smembers("reviewer_paths#prefix:7:42")).containsExactly("doc");

            // The prune keeps a member whose hash came back between the read and the prune.
            shortStore.upsert(List.<Object[]>of(leaving));
            assertThat((Long) jedis.eval(
                            RedisOnlineStore.PRUNE_INDEX_SCRIPT,
                            List.of("reviewer_paths#prefix:7:42", "reviewer_paths:7:42:src"),
                            List.of("src")))
                    .isZero();
            assertThat(jedis.smembers("reviewer_paths#prefix:7:42")).containsExactlyInAnyOrder("src", "doc");
        }
    }

    @Test
    void hashLayoutIsTheDocumentedOne() {
        Object[] full = {42L, 1_700_000_123_456L, 3, 86_400L, 0.1, true, "webmail", 1_700_000_000_000L};
        Object[] sparse = {42L, 1_700_000_200_000L, 0, null, 1.0E10, false, null, null};
        try (OnlineStore store = OnlineStores.open(redis.uri(), USER_SPEC)) {
            store.upsert(List.<Object[]>of(full));
            Map<String, String> hash;
            long pttl;
            try (Jedis jedis = redis.client()) {
                hash = jedis.hgetAll("user_features:42");
                pttl = jedis.pttl("user_features:42");
            }
            assertThat(hash)
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "user_id",
                            "42",
                            "event_time",
                            "1700000123456",
                            "notes_1h",
                            "3",
                            "account_age_seconds",
                            "86400",
                            "uppercase_ratio",
                            "0.1",
                            "has_2fa",
                            "1",
                            "email_domain_class",
                            "webmail",
                            "last_content_time",
                            "1700000000000",
                            "feature_set_version",
                            "v3",
                            "row_digest",
                            RowDigest.of(USER_SPEC, full)));
            assertThat(hash.get("row_digest")).matches("[0-9]{19}");
            assertThat(pttl)
                    .isBetween(
                            Duration.ofDays(7).toMillis() - 60_000,
                            Duration.ofDays(7).toMillis());

            // A newer row with nulls replaces the hash: null columns become absent fields.
            store.upsert(List.<Object[]>of(sparse));
            try (Jedis jedis = redis.client()) {
                hash = jedis.hgetAll("user_features:42");
            }
            assertThat(hash)
                    .containsOnlyKeys(
                            "user_id",
                            "event_time",
                            "notes_1h",
                            "uppercase_ratio",
                            "has_2fa",
                            "feature_set_version",
                            "row_digest");
            assertThat(hash).containsEntry("uppercase_ratio", "1.0E10").containsEntry("has_2fa", "0");
            assertThat(store.get(List.of(42L))).contains(OnlineTestTables.asReadRow(USER_SPEC, sparse));

            // The older row arriving late is refused by the script.
            store.upsert(List.<Object[]>of(full));
            assertThat(store.get(List.of(42L))).contains(OnlineTestTables.asReadRow(USER_SPEC, sparse));
        }
    }

    @Test
    void keysExpireAfterTheTtl() throws InterruptedException {
        OnlineTableSpec spec = OnlineTableSpec.of(USER_SCHEMA, Duration.ofMillis(300), "v3", "user_id");
        Object[] row = {1L, 1000L, 1, null, null, null, null, null};
        try (OnlineStore store = OnlineStores.open(redis.uri(), spec)) {
            store.upsert(List.<Object[]>of(row));
            try (Jedis jedis = redis.client()) {
                assertThat(jedis.pttl("user_features:1")).isBetween(1L, 300L);
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (store.get(List.of(1L)).isPresent() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(store.get(List.of(1L))).isEmpty();
            // Gone means absent: an older row may now be written again.
            Object[] older = {1L, 500L, 2, null, null, null, null, null};
            store.upsert(List.<Object[]>of(older));
            assertThat(store.get(List.of(1L))).contains(OnlineTestTables.asReadRow(spec, older));
        }
    }

    @Test
    void aFlushedScriptCacheIsReloaded() {
        try (OnlineStore store = OnlineStores.open(redis.uri(), USER_SPEC)) {
            store.upsert(List.<Object[]>of(new Object[] {1L, 1000L, 1, null, null, null, null, null}));
            try (Jedis jedis = redis.client()) {
                jedis.scriptFlush();
            }
            Object[] newer = {1L, 2000L, 2, null, null, null, null, null};
            store.upsert(List.<Object[]>of(newer));
            assertThat(store.get(List.of(1L))).contains(OnlineTestTables.asReadRow(USER_SPEC, newer));
        }
    }

    @Test
    void passwordFromTheUriOrTheEnvironmentAndNeverInMessages() {
        String password = "s3cret-online-pw";
        try (RedisServer secured = RedisServer.start(password)) {
            Object[] row = {1L, 1000L, 1, null, null, null, null, null};
            try (OnlineStore store = OnlineStores.open(secured.uriWithPassword(), USER_SPEC)) {
                store.upsert(List.<Object[]>of(row));
            }
            RedisEndpoint fromEnvironment =
                    RedisEndpoint.parse(secured.uri(), Map.of(RedisEndpoint.PASSWORD_ENV, password));
            try (RedisOnlineStore store = new RedisOnlineStore(fromEnvironment, USER_SPEC, 10)) {
                assertThat(store.get(List.of(1L))).contains(OnlineTestTables.asReadRow(USER_SPEC, row));
            }
            RedisEndpoint none = RedisEndpoint.parse(secured.uri(), Map.of());
            assertThatThrownBy(() -> new RedisOnlineStore(none, USER_SPEC, 10))
                    .isInstanceOf(OnlineStoreException.class)
                    .hasMessageContaining("NOAUTH");
            String wrongUri = "redis://:wrong-pw-123@127.0.0.1:" + secured.port() + "/0";
            assertThatThrownBy(() -> OnlineStores.open(wrongUri, USER_SPEC))
                    .isInstanceOf(OnlineStoreException.class)
                    .hasMessageContaining("WRONGPASS")
                    .hasMessageNotContaining("wrong-pw-123")
                    .hasMessageContaining("(with password)");
        }
    }

    @Test
    void tlsConnectionsVerifyTheCertificateAndTheHostName() {
        try (RedisServer secured = RedisServer.startTls()) {
            Object[] row = {1L, 1000L, 1, null, 0.5, true, "other", null};
            RedisEndpoint endpoint = RedisEndpoint.parse(secured.uri(), Map.of());
            assertThat(endpoint.tls()).isTrue();
            try (RedisOnlineStore store = new RedisOnlineStore(endpoint, USER_SPEC, 10, secured.sslSocketFactory())) {
                store.upsert(List.<Object[]>of(row));
                assertThat(store.get(List.of(1L))).contains(OnlineTestTables.asReadRow(USER_SPEC, row));
            }
            // The certificate names 127.0.0.1 only: the same server reached as "localhost" is refused.
            RedisEndpoint otherName = RedisEndpoint.parse("rediss://localhost:" + secured.port() + "/0", Map.of());
            assertThatThrownBy(() -> new RedisOnlineStore(otherName, USER_SPEC, 10, secured.sslSocketFactory()))
                    .isInstanceOf(OnlineStoreException.class);
            // Plain text against the TLS port does not get through either.
            String plain = "redis://127.0.0.1:" + secured.port() + "/0";
            assertThatThrownBy(() -> OnlineStores.open(plain, USER_SPEC)).isInstanceOf(OnlineStoreException.class);
        }
    }
}
