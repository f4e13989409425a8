package io.eventstream.connectors.online;

import io.eventstream.features.datasets.Column;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * An online table in Redis: the production backend.
 *
 * <p>Layout: one hash per entity at key {@code <table>:<key1>[:<key2>...]} (string key parts
 * escape {@code \} as {@code \\} and {@code :} as {@code \:}). Fields: every non-null column under
 * its name, in the text form of {@link ValueCodec#encode} (null columns are absent fields), plus
 * {@value OnlineTableSpec#FEATURE_SET_VERSION} and {@value OnlineTableSpec#ROW_DIGEST}. The key
 * expires (PEXPIRE) TTL after the last accepted write. A table with a prefix index
 * ({@link OnlineTableSpec#prefixIndexColumns()}) also keeps, per value of its leading key columns,
 * a set {@code <table>#prefix:<key1>...} of the remaining key parts, written by the same script
 * call as the hash and expiring with the newest of them; {@link #scanPrefix} reads it.
 *
 * <p>Writes run a Lua script (loaded once, called by EVALSHA) that applies the newest-wins rule
 * of {@link OnlineStore} (tie-break {@link RowDigest}) against the stored hash atomically, then
 * replaces the whole hash and sets its expiry. Calls are pipelined, {@code pipelineSize} per round trip. If Redis lost the script
 * (restart, SCRIPT FLUSH), it is loaded again and the round trip repeated, which is harmless
 * because the script is idempotent. Not thread-safe: one instance per thread.
 */
public final class RedisOnlineStore implements OnlineStore, OnlineTableReader {

    /** Default number of rows per pipelined round trip. */
    public static final int DEFAULT_PIPELINE_SIZE = 500;
    /** How long connecting may take before it fails. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long one reply may take. A pipelined batch takes milliseconds; a frozen or unreachable
     * server is detected after this long, which also bounds how long a cancelled sink can stay
     * stuck in a call (waits between retries are interruptible, socket reads are not).
     */
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RedisOnlineStore.class);

    /*
     * KEYS[1] entity hash, KEYS[2] (tables with a prefix index only) the index set of its leading key
     * values; ARGV[1] event-time field, ARGV[2] event time, ARGV[3] row digest, ARGV[4] ttl millis,
     * ARGV[5] the entity's member in the index set ('' without index), ARGV[6..] field/value pairs of
     * the new row. Returns 1 when written. Times are epoch millis, exact in Lua's doubles; digests are
     * equal-length digit strings. The set's expiry is pushed to now + ttl on every accepted write
     * (never pulled in, should a writer run with a shorter ttl), so it outlives each of its members' hashes.
     */
    static final String UPSERT_SCRIPT = """
            local stored = redis.call('HMGET', KEYS[1], ARGV[1], 'row_digest')
            if stored[1] then
              local storedTime = tonumber(stored[1])
              local newTime = tonumber(ARGV[2])
              if newTime < storedTime or (newTime == storedTime and ARGV[3] <= (stored[2] or '')) then
                return 0
              end
            end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], unpack(ARGV, 6))
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            if KEYS[2] then
              redis.call('SADD', KEYS[2], ARGV[5])
              if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[4]) then
                redis.call('PEXPIRE', KEYS[2], ARGV[4])
              end
            end
            return 1
            """;

    /*
     * KEYS[1] an index set, KEYS[2..] entity hashes that read as empty, ARGV[1..] their members.
     * Removes the members whose hash is still absent, atomically: a writer that re-created a hash
     * in the meantime also re-added its member, and the check then keeps it.
     */
    static final String PRUNE_INDEX_SCRIPT = """
            local removed = 0
            for i = 2, #KEYS do
              if redis.call('EXISTS', KEYS[i]) == 0 then
                removed = removed + redis.call('SREM', KEYS[1], ARGV[i - 1])
              end
            end
            return removed
            """;

    /** Separates the table name from the index's key values; never part of a table name. */
    static final String INDEX_INFIX = "#prefix";

    private static final int SCAN_COUNT = 1000;

    private final OnlineTableSpec spec;
    private final RedisEndpoint endpoint;
    private final int pipelineSize;
    private final List<Column> columns;
    private final int[] keyIndexes;
    private final int eventTimeIndex;
    private final String ttlMillis;
    // KEYS of the upsert script: the entity hash, plus the index set when the table has one.
    private final int keyCount;
    private final Jedis jedis;
    private String scriptSha;

    /**
     * Connects and loads the upsert script.
     *
     * @param uri           {@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://...};
     *                      the password may instead come from {@value RedisEndpoint#PASSWORD_ENV}
     * @param pipelineSize  rows per pipelined round trip (throughput vs. per-call latency)
     */
    public RedisOnlineStore(String uri, OnlineTableSpec spec, int pipelineSize) {
        this(RedisEndpoint.parse(uri, System.getenv()), spec, pipelineSize);
    }

    RedisOnlineStore(RedisEndpoint endpoint, OnlineTableSpec spec, int pipelineSize) {
        this(endpoint, spec, pipelineSize, null);
    }

    /** @param sslSocketFactory  for TLS with a trust store other than the JVM default; null: default */
    RedisOnlineStore(
            RedisEndpoint endpoint, OnlineTableSpec spec, int pipelineSize, SSLSocketFactory sslSocketFactory) {
        if (pipelineSize < 1) {
            throw new IllegalArgumentException("pipelineSize must be at least 1: " + pipelineSize);
        }
        this.spec = spec;
        this.endpoint = endpoint;
        this.pipelineSize = pipelineSize;
        this.columns = spec.columns();
        this.keyIndexes = spec.keyIndexes();
        this.eventTimeIndex = spec.schema().timeIndex();
        this.ttlMillis = Long.toString(spec.ttl().toMillis());
        this.keyCount = spec.prefixIndexColumns() > 0 ? 2 : 1;
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .database(endpoint.database())
                .ssl(endpoint.tls())
                .connectionTimeoutMillis((int) CONNECT_TIMEOUT.toMillis())
                .socketTimeoutMillis((int) SOCKET_TIMEOUT.toMillis())
                .clientName("eventstream-online-" + spec.table());
        if (endpoint.tls()) {
            // Jedis checks the certificate chain but not the host name unless asked to.
            SSLParameters verifyHost = new SSLParameters();
            verifyHost.setEndpointIdentificationAlgorithm("HTTPS");
            config.sslParameters(verifyHost);
            if (sslSocketFactory != null) {
                config.sslSocketFactory(sslSocketFactory);
            }
        }
        if (endpoint.user() != null) {
            config.user(endpoint.user());
        }
        if (endpoint.password() != null) {
            config.password(endpoint.password());
        }
        Jedis connected = null;
        try {
            // Connects and authenticates in the constructor.
            connected = new Jedis(new HostAndPort(endpoint.host(), endpoint.port()), config.build());
            connected.ping();
            this.scriptSha = connected.scriptLoad(UPSERT_SCRIPT);
        } catch (JedisException e) {
            if (connected != null) {
                connected.close();
            }
            // Jedis messages name the server's reply (e.g. WRONGPASS), never the password we sent.
            throw new OnlineStoreException(
                    "cannot connect to Redis at " + endpoint + " for online table " + spec.table() + ": "
                            + e.getMessage(),
                    e);
        }
        this.jedis = connected;
    }

    /** The Redis key of an entity: {@code <table>:<key1>[:<key2>...]}. */
    public static String redisKey(OnlineTableSpec spec, List<Object> key) {
        return appendParts(new StringBuilder(spec.table()), key).toString();
    }

    /**
     * The Redis key of the index set of some leading key values: {@code <table>#prefix:<key1>[:<key2>...]}.
     * Its members are the remaining key parts of each entity, escaped and joined by {@code :}, so
     * {@code <table>:<key1>...:<member>} is the entity's hash.
     */
    public static String indexKey(OnlineTableSpec spec, List<Object> keyPrefix) {
        return appendParts(new StringBuilder(spec.table()).append(INDEX_INFIX), keyPrefix)
                .toString();
    }

    private static StringBuilder appendParts(StringBuilder into, List<Object> parts) {
        for (Object part : parts) {
            into.append(':').append(ValueCodec.keyPart(part));
        }
        return into;
    }

    @Override
    public void upsert(List<Object[]> rows) {
        List<List<String>> calls = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            spec.checkRow(row);
        }
        for (Object[] row : rows) {
            calls.add(scriptArguments(row));
        }
        for (int from = 0; from < calls.size(); from += pipelineSize) {
            List<List<String>> chunk = calls.subList(from, Math.min(calls.size(), from + pipelineSize));
            try {
                runPipelined(chunk);
            } catch (JedisDataException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
                    throw failure("upsert", e);
                }
                try {
                    scriptSha = jedis.scriptLoad(UPSERT_SCRIPT);
                    runPipelined(chunk);
                } catch (JedisException retryFailure) {
                    throw failure("upsert", retryFailure);
                }
            } catch (JedisException e) {
                throw failure("upsert", e);
            }
        }
    }

    @Override
    public Optional<Map<String, Object>> get(List<Object> key) {
        spec.checkKey(key);
        try {
            return decode(jedis.hgetAll(redisKey(spec, key)));
        } catch (JedisException e) {
            throw failure("read", e);
        }
    }

    @Override
    public Map<List<Object>, Map<String, Object>> getAll(Collection<List<Object>> keys) {
        List<List<Object>> ordered = new ArrayList<>(keys);
        ordered.forEach(spec::checkKey);
        List<Response<Map<String, String>>> responses = new ArrayList<>(ordered.size());
        try (Pipeline pipeline = jedis.pipelined()) {
            for (List<Object> key : ordered) {
                responses.add(pipeline.hgetAll(redisKey(spec, key)));
            }
            pipeline.sync();
        } catch (JedisException e) {
            throw failure("read", e);
        }
        Map<List<Object>, Map<String, Object>> found = new LinkedHashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            List<Object> key = List.copyOf(ordered.get(i));
            decode(responses.get(i).get()).ifPresent(row -> found.put(key, row));
        }
        return found;
    }

    @Override
    public Map<List<Object>, Map<String, Object>> scan() {
        ScanParams params = new ScanParams().match(spec.table() + ":*").count(SCAN_COUNT);
        Map<List<Object>, Map<String, Object>> rows = new LinkedHashMap<>();
        try {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, params);
                List<Response<Map<String, String>>> responses = new ArrayList<>();
                try (Pipeline pipeline = jedis.pipelined()) {
                    for (String redisKey : page.getResult()) {
                        responses.add(pipeline.hgetAll(redisKey));
                    }
                    pipeline.sync();
                }
                for (Response<Map<String, String>> response : responses) {
                    // A key may expire between SCAN and HGETALL: then it reads as empty.
                    decode(response.get()).ifPresent(row -> rows.put(keyOf(row), row));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        } catch (JedisException e) {
            throw failure("scan", e);
        }
        return rows;
    }

    /**
     * Reads the prefix's index set, then every member's hash in one pipelined round trip. Members
     * whose hash has expired are left out and pruned from the set ({@link #PRUNE_INDEX_SCRIPT}).
     */
    @Override
    public Map<List<Object>, Map<String, Object>> scanPrefix(List<Object> keyPrefix) {
        spec.checkKeyPrefix(keyPrefix);
        if (keyPrefix.size() != spec.prefixIndexColumns()) {
            throw new IllegalArgumentException("online table " + spec.table() + " in Redis has "
                    + (spec.prefixIndexColumns() == 0
                            ? "no key-prefix index"
                            : "an index on its first " + spec.prefixIndexColumns() + " key column(s)")
                    + "; reading a prefix of " + keyPrefix.size() + " would scan the whole keyspace");
        }
        String indexKey = indexKey(spec, keyPrefix);
        String hashPrefix = redisKey(spec, keyPrefix) + ":";
        Map<List<Object>, Map<String, Object>> rows = new LinkedHashMap<>();
        try {
            List<String> members = new ArrayList<>(jedis.smembers(indexKey));
            List<Response<Map<String, String>>> responses = new ArrayList<>(members.size());
            try (Pipeline pipeline = jedis.pipelined()) {
                for (String member : members) {
                    responses.add(pipeline.hgetAll(hashPrefix + member));
                }
                pipeline.sync();
            }
            List<String> goneKeys = new ArrayList<>(List.of(indexKey));
            List<String> goneMembers = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                Optional<Map<String, Object>> row = decode(responses.get(i).get());
                if (row.isPresent()) {
                    rows.put(keyOf(row.get()), row.get());
                } else {
                    goneKeys.add(hashPrefix + members.get(i));
                    goneMembers.add(members.get(i));
                }
            }
            if (!goneMembers.isEmpty()) {
                jedis.eval(PRUNE_INDEX_SCRIPT, goneKeys, goneMembers);
            }
        } catch (JedisException e) {
            throw failure("prefix scan", e);
        }
        return rows;
    }

    /**
     * Closes the connection; never throws. Closing flushes the client's output first, which fails
     * on a connection the server dropped ("Broken pipe"); the socket is released either way.
     */
    @Override
    public void close() {
        try {
            jedis.close();
        } catch (JedisException e) {
            LOG.debug(
                    "Closing the Redis connection of online table {} at {} failed: {}",
                    spec.table(),
                    endpoint,
                    e.getMessage());
        }
    }

    private void runPipelined(List<List<String>> chunk) {
        List<Response<Object>> responses = new ArrayList<>(chunk.size());
        try (Pipeline pipeline = jedis.pipelined()) {
            for (List<String> call : chunk) {
                responses.add(
                        pipeline.evalsha(scriptSha, call.subList(0, keyCount), call.subList(keyCount, call.size())));
            }
            pipeline.sync();
        }
        for (Response<Object> response : responses) {
            response.get();
        }
    }

    /** The script's KEYS ({@link #keyCount} of them) followed by its ARGV. */
    private List<String> scriptArguments(Object[] row) {
        List<String> call = new ArrayList<>(8 + 2 * columns.size());
        List<Object> key = new ArrayList<>(keyIndexes.length);
        for (int index : keyIndexes) {
            key.add(row[index]);
        }
        call.add(redisKey(spec, key));
        int indexed = spec.prefixIndexColumns();
        if (indexed > 0) {
            call.add(indexKey(spec, key.subList(0, indexed)));
        }
        String digest = RowDigest.of(spec, row);
        call.add(spec.eventTimeColumn());
        call.add(row[eventTimeIndex].toString());
        call.add(digest);
        call.add(ttlMillis);
        // The member is the rest of the entity's hash key after "<table>:<indexed parts>:".
        call.add(
                indexed > 0
                        ? appendParts(new StringBuilder(), key.subList(indexed, key.size()))
                                .substring(1)
                        : "");
        for (int i = 0; i < columns.size(); i++) {
            if (row[i] != null) {
                call.add(columns.get(i).name());
                call.add(ValueCodec.encode(columns.get(i).type(), row[i]));
            }
        }
        call.add(OnlineTableSpec.FEATURE_SET_VERSION);
        call.add(spec.featureSetVersion());
        call.add(OnlineTableSpec.ROW_DIGEST);
        call.add(digest);
        return call;
    }

    private Optional<Map<String, Object>> decode(Map<String, String> hash) {
        if (hash == null || hash.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (Column column : columns) {
            String text = hash.get(column.name());
            row.put(column.name(), text == null ? null : ValueCodec.decode(column.type(), text));
        }
        row.put(OnlineTableSpec.FEATURE_SET_VERSION, hash.get(OnlineTableSpec.FEATURE_SET_VERSION));
        return Optional.of(row);
    }

    private List<Object> keyOf(Map<String, Object> row) {
        List<Object> key = new ArrayList<>(keyIndexes.length);
        for (int index : keyIndexes) {
            key.add(row.get(columns.get(index).name()));
        }
        return List.copyOf(key);
    }

    private OnlineStoreException failure(String operation, JedisException e) {
        return new OnlineStoreException(
                "Redis " + operation + " for online table " + spec.table() + " at " + endpoint + " failed: "
                        + e.getMessage(),
                e);
    }
}
