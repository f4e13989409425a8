package io.eventstream.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.eventstream.features.config.ConfigException;
import io.eventstream.features.config.ConfigOption;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's configuration, read from YAML and validated at start: every problem names its key
 * ({@code sources[1].tokens[0]: ...}), all of them at once. Token values are never in this file,
 * only references to where they are ({@code env:NAME} or {@code file:PATH}).
 *
 * @param host               listen address
 * @param port               listen port (0: a free port, for tests)
 * @param tls                HTTPS settings, or null for plain HTTP
 * @param bootstrap          Kafka bootstrap servers (the command line's {@code --kafka} overrides it)
 * @param topic              topic of the canonical events
 * @param deadLetterTopic    topic of rejected bodies (reason, size, digest; never the body)
 * @param deliveryTimeout    longest wait for Kafka's acknowledgement before answering 503
 * @param maxBodyBytes       larger bodies are answered 413, checked while reading
 * @param maxInFlightRequests requests being handled at once; more are answered 503 at once
 * @param maxInFlightBytes   body bytes held at once; more are answered 503 at once
 * @param recentKeys         idempotency keys remembered (answered 200 again without producing)
 * @param tokenReload        how often token files are re-read (rotation without restart)
 * @param drainTimeout       longest wait for in-flight requests at shutdown
 * @param sources            the GitLab hooks allowed to deliver, by name (the URL path segment)
 */
public record GatewayConfig(
        String host,
        int port,
        Tls tls,
        String bootstrap,
        String topic,
        String deadLetterTopic,
        Duration deliveryTimeout,
        int maxBodyBytes,
        int maxInFlightRequests,
        long maxInFlightBytes,
        int recentKeys,
        Duration tokenReload,
        Duration drainTimeout,
        Map<String, Source> sources) {

    /**
     * One GitLab hook (an instance's system hook, a group hook or a project hook) allowed to deliver
     * to {@code /hooks/<name>}.
     *
     * @param name      URL path segment and metric label
     * @param instance  the GitLab instance URI: every event's CloudEvents {@code source}
     * @param tokens    where its secret token(s) are; any of them is accepted (two during a rotation)
     */
    public record Source(String name, String instance, List<TokenRef> tokens) {}

    /** HTTPS: a PKCS#12 or JKS keystore file and where its password is ({@code env:} or {@code file:}). */
    public record Tls(Path keystore, TokenRef password) {}

    static final ConfigOption<String> HOST = ConfigOption.string("listen.host", "0.0.0.0", "listen address");
    static final ConfigOption<Integer> PORT =
            ConfigOption.integer("listen.port", 8080, 0, 65535, "listen port (0 picks a free port)");
    static final ConfigOption<String> TLS_KEYSTORE = ConfigOption.string(
            "tls.keystore", null, "PKCS#12 (or JKS) keystore with the server certificate; HTTPS when set");
    static final ConfigOption<String> TLS_PASSWORD = ConfigOption.string(
            "tls.keystore-password",
            null,
            "where the keystore password is: env:NAME or file:PATH (required with tls.keystore)");
    static final ConfigOption<String> BOOTSTRAP =
            ConfigOption.string("kafka.bootstrap", null, "Kafka bootstrap servers; --kafka overrides it");
    static final ConfigOption<String> TOPIC =
            ConfigOption.string("kafka.topic", "gitlab-events", "topic of the canonical CloudEvents");
    static final ConfigOption<String> DEAD_LETTER_TOPIC = ConfigOption.string(
            "kafka.dead-letter-topic",
            "gitlab-dead-letters",
            "topic of rejected bodies: reason, size and SHA-256 digest, never the body");
    static final ConfigOption<Duration> DELIVERY_TIMEOUT = ConfigOption.duration(
            "kafka.delivery-timeout",
            Duration.ofSeconds(5),
            false,
            "longest wait for Kafka's acknowledgement before answering 503 (GitLab gives up after 10 s)");
    static final ConfigOption<Integer> MAX_BODY_BYTES = ConfigOption.integer(
            "limits.max-body-bytes", 1 << 20, 1024, 64 << 20, "bodies above this many bytes are answered 413");
    static final ConfigOption<Integer> MAX_IN_FLIGHT_REQUESTS = ConfigOption.integer(
            "limits.max-in-flight-requests", 512, 1, 100_000, "requests handled at once; more get 503 at once");
    static final ConfigOption<Integer> MAX_IN_FLIGHT_MIB = ConfigOption.integer(
            "limits.max-in-flight-mib", 64, 1, 16_384, "MiB of request bodies held at once; more get 503 at once");
    static final ConfigOption<Integer> RECENT_KEYS = ConfigOption.integer(
            "idempotency.recent-keys",
            100_000,
            0,
            10_000_000,
            "idempotency keys remembered: a redelivery is answered 200 without producing");
    static final ConfigOption<Duration> TOKEN_RELOAD = ConfigOption.duration(
            "tokens.reload-interval",
            Duration.ofSeconds(10),
            false,
            "how often token files are re-read (rotation without restart)");
    static final ConfigOption<Duration> DRAIN_TIMEOUT = ConfigOption.duration(
            "shutdown.drain-timeout",
            Duration.ofSeconds(20),
            false,
            "longest wait at shutdown for in-flight requests to be answered");

    /** Scalar options by section, for validation and the docs. */
    static final Map<String, List<ConfigOption<?>>> SECTIONS = sections();

    private static Map<String, List<ConfigOption<?>>> sections() {
        Map<String, List<ConfigOption<?>>> sections = new LinkedHashMap<>();
        sections.put("listen", List.of(HOST, PORT));
        sections.put("tls", List.of(TLS_KEYSTORE, TLS_PASSWORD));
        sections.put("kafka", List.of(BOOTSTRAP, TOPIC, DEAD_LETTER_TOPIC, DELIVERY_TIMEOUT));
        sections.put("limits", List.of(MAX_BODY_BYTES, MAX_IN_FLIGHT_REQUESTS, MAX_IN_FLIGHT_MIB));
        sections.put("idempotency", List.of(RECENT_KEYS));
        sections.put("tokens", List.of(TOKEN_RELOAD));
        sections.put("shutdown", List.of(DRAIN_TIMEOUT));
        return sections;
    }

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Reads and validates a config file; throws {@link ConfigException} naming every bad key. */
    public static GatewayConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("(file)", "cannot read " + file + ": " + e.getMessage());
        }
        return parse(text);
    }

    /** Validates YAML text; throws {@link ConfigException} naming every bad key. */
    public static GatewayConfig parse(String yaml) {
        JsonNode root;
        try {
            root = yaml.isBlank() ? null : YAML.readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException(
                    "(file)",
                    "not valid YAML: "
                            + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                                    ? j.getOriginalMessage()
                                    : e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("(file)", "expected a map with a 'sources' list");
        }
        List<ConfigException.Problem> problems = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("sources") && !SECTIONS.containsKey(name)) {
                problems.add(new ConfigException.Problem(
                        name, "unknown section; known: sources, " + String.join(", ", SECTIONS.keySet())));
            }
        }
        SECTIONS.forEach((section, options) -> {
            JsonNode node = root.get(section);
            if (node != null && !node.isNull() && !node.isObject()) {
                problems.add(new ConfigException.Problem(section, "expected a map"));
                return;
            }
            if (node != null && node.isObject()) {
                Set<String> known = new HashSet<>();
                options.forEach(o -> known.add(o.key().substring(section.length() + 1)));
                node.fieldNames().forEachRemaining(field -> {
                    if (!known.contains(field)) {
                        problems.add(new ConfigException.Problem(
                                section + "." + field, "unknown key; known: " + String.join(", ", known)));
                    }
                });
            }
            for (ConfigOption<?> option : options) {
                JsonNode value = node == null ? null : node.get(option.key().substring(section.length() + 1));
                try {
                    values.put(option.key(), option.parse(value));
                } catch (ConfigException e) {
                    problems.addAll(e.problems());
                }
            }
        });

        Map<String, Source> sources = new LinkedHashMap<>();
        JsonNode list = root.get("sources");
        if (list == null || !list.isArray() || list.isEmpty()) {
            problems.add(new ConfigException.Problem("sources", "a non-empty list of sources is required"));
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String name = list.get(i) == null ? null : text(list.get(i), "name");
                if (name != null && !names.add(name)) {
                    problems.add(new ConfigException.Problem(
                            "sources[" + i + "].name", "'" + name + "' is used by an earlier source"));
                }
                Source source = parseSource("sources[" + i + "]", list.get(i), problems);
                if (source != null) {
                    sources.putIfAbsent(source.name(), source);
                }
            }
        }

        Tls tls = null;
        String keystore = (String) values.get(TLS_KEYSTORE.key());
        String password = (String) values.get(TLS_PASSWORD.key());
        if (keystore != null || password != null) {
            if (keystore == null) {
                problems.add(new ConfigException.Problem(TLS_KEYSTORE.key(), "required with tls.keystore-password"));
            } else if (!Files.isReadable(Path.of(keystore))) {
                problems.add(new ConfigException.Problem(TLS_KEYSTORE.key(), "no readable file at " + keystore));
            }
            TokenRef ref = null;
            if (password == null) {
                problems.add(new ConfigException.Problem(TLS_PASSWORD.key(), "required with tls.keystore"));
            } else {
                ref = TokenRef.parse(TLS_PASSWORD.key(), password, problems);
            }
            if (keystore != null && ref != null) {
                tls = new Tls(Path.of(keystore), ref);
            }
        }
        String topic = (String) values.get(TOPIC.key());
        String deadLetterTopic = (String) values.get(DEAD_LETTER_TOPIC.key());
        if (topic != null && topic.equals(deadLetterTopic)) {
            problems.add(new ConfigException.Problem(DEAD_LETTER_TOPIC.key(), "must differ from kafka.topic"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new GatewayConfig(
                (String) values.get(HOST.key()),
                (Integer) values.get(PORT.key()),
                tls,
                (String) values.get(BOOTSTRAP.key()),
                topic,
                deadLetterTopic,
                (Duration) values.get(DELIVERY_TIMEOUT.key()),
                (Integer) values.get(MAX_BODY_BYTES.key()),
                (Integer) values.get(MAX_IN_FLIGHT_REQUESTS.key()),
                ((Integer) values.get(MAX_IN_FLIGHT_MIB.key())) * 1024L * 1024L,
                (Integer) values.get(RECENT_KEYS.key()),
                (Duration) values.get(TOKEN_RELOAD.key()),
                (Duration) values.get(DRAIN_TIMEOUT.key()),
                Map.copyOf(sources));
    }

    private static Source parseSource(String prefix, JsonNode node, List<ConfigException.Problem> problems) {
        if (node == null || !node.isObject()) {
            problems.add(new ConfigException.Problem(prefix, "expected a map with name, instance and tokens"));
            return null;
        }
        Set<String> known = Set.of("name", "instance", "tokens");
        node.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                problems.add(new ConfigException.Problem(
                        prefix + "." + field, "unknown key; known: name, instance, tokens"));
            }
        });
        String name = text(node, "name");
        int before = problems.size();
        if (name == null) {
            problems.add(new ConfigException.Problem(prefix + ".name", "required"));
        } else if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            problems.add(new ConfigException.Problem(
                    prefix + ".name", "must be 1-64 letters, digits, '.', '_' or '-' (it is a URL path segment)"));
        }
        String instance = text(node, "instance");
        if (instance == null) {
            problems.add(new ConfigException.Problem(
                    prefix + ".instance", "required: the GitLab instance URI, e.g. https://gitlab.example.com"));
        } else {
            try {
                URI uri = new URI(instance);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    problems.add(new ConfigException.Problem(prefix + ".instance", "not an absolute URI: " + instance));
                }
            } catch (Exception e) {
                problems.add(new ConfigException.Problem(prefix + ".instance", "not a URI: " + instance));
            }
        }
        List<TokenRef> tokens = new ArrayList<>();
        JsonNode refs = node.get("tokens");
        if (refs == null || !refs.isArray() || refs.isEmpty()) {
            problems.add(new ConfigException.Problem(
                    prefix + ".tokens", "a non-empty list of token references (env:NAME or file:PATH) is required"));
        } else {
            for (int i = 0; i < refs.size(); i++) {
                String key = prefix + ".tokens[" + i + "]";
                JsonNode ref = refs.get(i);
                if (!ref.isTextual()) {
                    problems.add(new ConfigException.Problem(key, "expected env:NAME or file:PATH"));
                    continue;
                }
                TokenRef parsed = TokenRef.parse(key, ref.asText(), problems);
                if (parsed != null) {
                    tokens.add(parsed);
                }
            }
        }
        return problems.size() == before ? new Source(name, instance, List.copyOf(tokens)) : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank()
                ? null
                : value.asText().trim();
    }

    /** The scalar keys as a Markdown table, for docs/gateway.md. */
    public static String markdownTable() {
        List<ConfigOption<?>> all = new ArrayList<>();
        SECTIONS.values().forEach(all::addAll);
        return ConfigOption.markdownTable(all);
    }
}
