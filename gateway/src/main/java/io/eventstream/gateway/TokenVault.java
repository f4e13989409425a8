package io.eventstream.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The valid {@code X-Gitlab-Token} values of each source, kept only as SHA-256 digests.
 *
 * <p>Comparison is in constant time: the presented token is hashed and compared with
 * {@link MessageDigest#isEqual} against every valid digest (no early exit), so neither the position of a
 * first differing byte nor the token's length shows in the timing. Files are re-read every reload
 * interval; a source keeps its previous tokens when its file cannot be read (counted, logged by
 * reference only).
 */
public final class TokenVault implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenVault.class);

    private final Map<String, List<TokenRef>> refs;
    private final Map<String, String> environment;
    private volatile Map<String, List<byte[]>> digests = Map.of();
    private final AtomicLong reloadFailures = new AtomicLong();
    private final ScheduledExecutorService reloader;

    /**
     * Reads every source's tokens now (failing when a source has none) and re-reads them every
     * {@code reloadInterval}.
     */
    public TokenVault(
            Map<String, GatewayConfig.Source> sources, Map<String, String> environment, Duration reloadInterval) {
        Map<String, List<TokenRef>> byName = new HashMap<>();
        sources.forEach((name, source) -> byName.put(name, source.tokens()));
        this.refs = Map.copyOf(byName);
        this.environment = Map.copyOf(environment);
        List<String> missing = new ArrayList<>();
        Map<String, List<byte[]>> initial = load(null, missing);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no token could be read for: " + String.join("; ", missing));
        }
        this.digests = initial;
        this.reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "gateway-token-reload");
            thread.setDaemon(true);
            return thread;
        });
        long millis = reloadInterval.toMillis();
        reloader.scheduleWithFixedDelay(this::reload, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** True when {@code presented} is one of the source's current tokens; constant time in the token. */
    public boolean matches(String source, String presented) {
        List<byte[]> valid = digests.get(source);
        if (valid == null || presented == null) {
            return false;
        }
        byte[] digest = sha256(presented.strip());
        boolean match = false;
        for (byte[] candidate : valid) {
            match |= MessageDigest.isEqual(candidate, digest);
        }
        return match;
    }

    /** Re-reads every reference now (also what the interval does). */
    public void reload() {
        List<String> failed = new ArrayList<>();
        digests = load(digests, failed);
        if (!failed.isEmpty()) {
            reloadFailures.addAndGet(failed.size());
            LOG.warn("token reload kept the previous tokens of: {}", String.join("; ", failed));
        }
    }

    /** Token references that could not be read at a reload so far. */
    public long reloadFailures() {
        return reloadFailures.get();
    }

    private Map<String, List<byte[]>> load(Map<String, List<byte[]>> previous, List<String> failed) {
        Map<String, List<byte[]>> next = new HashMap<>();
        refs.forEach((source, sourceRefs) -> {
            List<byte[]> sourceDigests = new ArrayList<>();
            boolean complete = true;
            for (TokenRef ref : sourceRefs) {
                try {
                    for (String token : ref.read(environment)) {
                        sourceDigests.add(sha256(token));
                    }
                } catch (IOException e) {
                    complete = false;
                    failed.add(source + " (" + e.getMessage() + ")");
                }
            }
            if (!complete && previous != null && previous.containsKey(source)) {
                next.put(source, previous.get(source));
            } else if (!sourceDigests.isEmpty()) {
                next.put(source, List.copyOf(sourceDigests));
            }
        });
        return Map.copyOf(next);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public void close() {
        reloader.shutdownNow();
    }
}
