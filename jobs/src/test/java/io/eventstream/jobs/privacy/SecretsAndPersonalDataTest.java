package io.eventstream.jobs.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.connectors.kafka.KafkaEventWriter;
import io.eventstream.connectors.kafka.SecuredKafkaBrokerExtension;
import io.eventstream.connectors.online.RedisServer;
import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.spam.EmailDomains;
import io.eventstream.features.spam.SpamInputs;
import io.eventstream.generator.GeneratorConfig;
import io.eventstream.generator.SyntheticEventGenerator;
import io.eventstream.jobs.cli.EventstreamCli;
import io.eventstream.jobs.testing.DuckDbDatasets;
import io.eventstream.jobs.testing.JobUnderTest;
import io.eventstream.jobs.testing.ReviewerJobRun;
import io.eventstream.jobs.testing.ReviewerTestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The spam job as an operator runs it against secured services, in its own JVM (as {@code ./eventstream run
 * spam}), with every log line at INFO captured: a real KRaft broker with a SASL_SSL listener (SCRAM-SHA-512,
 * keytool certificates), a real {@code redis-server} with an ACL user, secrets given only through
 * environment variables and files, and events carrying emails, names and note bodies, some of them
 * malformed so they become dead letters. Then every output (datasets, Redis, the dead-letter topic,
 * stdout, stderr, the log, the command line) is read as text and searched for each secret and each
 * piece of personal data; the opt-in raw dead-letter root, and only it, holds the personal data.
 */
class SecretsAndPersonalDataTest {

    @RegisterExtension
    static final SecuredKafkaBrokerExtension KAFKA = new SecuredKafkaBrokerExtension();

    private static final String REDIS_USER = "eventstream-jobs";
    /** Written into the events; none may reach an output but the raw dead-letter root. */
    private static final List<String> PERSONAL =
            List.of("pii-probe.example", "Zelda Probe", "zelda_probe", "PII-PROBE-BODY", "PII-PROBE-TITLE");

    @TempDir
    Path dir;

    @Test
    void aSecuredRunLeavesNoSecretAndNoPersonalDataInAnyOutputOrLog() throws Exception {
        String redisPassword = "redis-" + UUID.randomUUID();
        String redisAdminPassword = "redis-admin-" + UUID.randomUUID();
        String hashKey = "hash-key-" + UUID.randomUUID();
        List<String> secrets =
                List.of(KAFKA.password(), KAFKA.certificates().password(), redisPassword, redisAdminPassword, hashKey);

        List<byte[]> lines = probeEvents();
        String topic = KAFKA.newTopic("events", 2);
        String deadLetterTopic = KAFKA.newTopic("dead-letters", 1);
        try (KafkaEventWriter writer = new KafkaEventWriter(
                KAFKA.saslSslBootstrapServers(), topic, KafkaEventWriter.Mode.STRUCTURED, KAFKA.clientProperties())) {
            lines.forEach(writer::writeJsonLine);
        }

        try (RedisServer redis = RedisServer.start(redisAdminPassword);
                Jedis admin = redis.client()) {
            admin.aclSetUser(REDIS_USER, "on", ">" + redisPassword, "~*", "+@all");
            Path out = dir.resolve("out");
            Path raw = dir.resolve("restricted/raw-dead-letters");
            Path config = Files.writeString(dir.resolve("spam.yaml"), """
                    checkpoint: {interval: 500ms}
                    online:
                      backend: redis
                      redis_url: redis://%s@127.0.0.1:%d/0
                    dead_letters: {raw_root: %s, raw_retention: 7d}
                    kafka:
                      security.protocol: SASL_SSL
                      sasl.mechanism: SCRAM-SHA-512
                      ssl.truststore.location: %s
                      ssl.truststore.type: PKCS12
                      ssl.truststore.password: "${env:KAFKA_TRUSTSTORE_PASSWORD}"
                    """.formatted(
                            REDIS_USER, redis.port(), raw, KAFKA.certificates().trustStore()));
            Path kafkaProperties = Files.writeString(
                    dir.resolve("kafka.properties"),
                    "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required " + "username=\""
                            + SecuredKafkaBrokerExtension.USER + "\" password=\"${env:KAFKA_PASSWORD}\";\n");
            Path redisPasswordFile = Files.writeString(dir.resolve("redis-password"), redisPassword + "\n");
            Path log = dir.resolve("job.log");
            Path logConfig = Files.writeString(dir.resolve("log4j2.xml"), """
                    <Configuration status="WARN">
                      <Appenders><File name="file" fileName="%s"><PatternLayout pattern="%%d %%-5level %%c - %%msg%%n%%throwable"/></File></Appenders>
                      <Loggers><Root level="INFO"><AppenderRef ref="file"/></Root></Loggers>
                    </Configuration>
                    """.formatted(log));

            List<String> arguments = List.of(
                    "run",
                    "spam",
                    "--config",
                    config.toString(),
                    "--kafka",
                    KAFKA.saslSslBootstrapServers(),
                    "--topic",
                    topic,
                    "--bounded",
                    "--group-id",
                    "scan",
                    "--kafka-properties",
                    kafkaProperties.toString(),
                    "--dead-letter-topic",
                    deadLetterTopic,
                    "--out",
                    out.toString(),
                    "--parallelism",
                    "2");
            Map<String, String> environment = Map.of(
                    "KAFKA_PASSWORD",
                    KAFKA.password(),
                    "KAFKA_TRUSTSTORE_PASSWORD",
                    KAFKA.certificates().password(),
                    "EVENTSTREAM_REDIS_PASSWORD_FILE",
                    redisPasswordFile.toString(),
                    "EVENTSTREAM_HASH_KEY",
                    hashKey);
            Path stdout = dir.resolve("stdout.txt");
            Path stderr = dir.resolve("stderr.txt");
            List<String> command = cliCommand(logConfig, arguments);
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            builder.environment().remove("EVENTSTREAM_REDIS_PASSWORD");
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("the job did not end within 5 minutes");
            }
            assertThat(process.exitValue())
                    .as("exit status; stderr:%n%s", Files.readString(stderr))
                    .isZero();

            // Positive controls: the job read the secured topic, wrote through Redis and the secured dead-letter topic.
            List<String> deadLetters = consumeAll(deadLetterTopic, 2);
            assertThat(deadLetters).hasSize(2);
            assertThat(DuckDbDatasets.files(out.resolve("spam_features"))).isNotEmpty();
            List<String> reasons = new ArrayList<>();
            DuckDbDatasets.query(
                    "SELECT reason FROM read_parquet('" + out + "/dead_letters/v1/*/*/*.parquet') ORDER BY reason",
                    rs -> reasons.add(rs.getString(1)));
            assertThat(reasons).hasSize(2).contains("MALFORMED_JSON");
            assertThat(featureRowCount(out)).isEqualTo(expectedContentEvents(lines, hashKey));
            String redisText = redisDump(admin);
            assertThat(redisText).contains("spam_user_features");

            OutputScanner scanner = new OutputScanner()
                    .addTree(out)
                    .addFile(stdout)
                    .addFile(stderr)
                    .addFile(log)
                    .add("redis", redisText)
                    .add("kafka " + deadLetterTopic, String.join("\n", deadLetters))
                    .add("command line", String.join(" ", command));
            assertThat(scanner.size()).isGreaterThan(10);
            assertThat(Files.readString(log)).contains("SASL_SSL"); // the log is the real, verbose one
            assertThat(scanner.find(secrets)).as("secrets in outputs and logs").isEmpty();
            assertThat(scanner.find(PERSONAL))
                    .as("personal data in outputs and logs")
                    .isEmpty();

            // The operator's opt-in: the raw payloads, only under the restricted root.
            StringBuilder decoded = new StringBuilder();
            DuckDbDatasets.query(
                    "SELECT raw_base64 FROM read_parquet('" + raw + "/dead_letters_raw/v1/*/*/*.parquet')",
                    rs -> decoded.append(
                            new String(Base64.getDecoder().decode(rs.getString(1)), StandardCharsets.UTF_8)));
            assertThat(decoded.toString()).contains("zelda.probe@pii-probe.example", "PII-PROBE-BODY");
        }
    }

    @Test
    void aWrongKafkaPasswordStopsTheRunAtOnceWithOneClearLine() throws Exception {
        String topic = KAFKA.newTopic("events", 1);
        Properties wrong =
                KAFKA.broker().saslSslClientProperties(SecuredKafkaBrokerExtension.USER, "not-the-password-7");
        Path file = dir.resolve("wrong.properties");
        try (var writer = Files.newBufferedWriter(file)) {
            wrong.store(writer, null);
        }
        Path config = Files.writeString(dir.resolve("spam.yaml"), "hashing: {key: wrong-password-test-key-0123}\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        long start = System.nanoTime();
        int exit;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            exit = EventstreamCli.commandLine()
                    .execute(
                            "run",
                            "spam",
                            "--config",
                            config.toString(),
                            "--kafka",
                            KAFKA.saslSslBootstrapServers(),
                            "--topic",
                            topic,
                            "--bounded",
                            "--kafka-properties",
                            file.toString(),
                            "--out",
                            dir.resolve("out").toString());
        } finally {
            System.setErr(saved);
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("eventstream: Kafka at " + KAFKA.saslSslBootstrapServers()
                        + " refused the credentials (SaslAuthenticationException: Authentication failed during authentication due "
                        + "to invalid credentials with SASL mechanism SCRAM-SHA-512); check the SASL/TLS settings of the kafka "
                        + "section and --kafka-properties\n");
        assertThat(seconds).as("no retries: a refusal is final").isLessThan(20);
        assertThat(Files.exists(dir.resolve("out"))).as("no job was started").isFalse();
    }

    @Test
    void theReviewerJobsOutputsHoldNoPersonalDataEither() throws Exception {
        Path events = dir.resolve("events.jsonl");
        Files.write(
                events,
                probeEvents().stream()
                        .map(l -> new String(l, StandardCharsets.UTF_8))
                        .toList());
        ReviewerJobRun run = JobUnderTest.commandLine(ReviewerTestData.JOB, events, dir.resolve("reviewers"), null, 1);
        assertThat(run.deadLetters()).hasSize(2);
        assertThat(run.candidates()).isNotEmpty();
        OutputScanner scanner = new OutputScanner().addTree(dir.resolve("reviewers"));
        assertThat(scanner.find(List.of("reviewer_candidates")))
                .as("the scan reads the datasets")
                .isNotEmpty();
        assertThat(scanner.find(PERSONAL))
                .as("personal data in the reviewer job's outputs")
                .isEmpty();
    }

    /**
     * A few hundred generated events with personal fields replaced by probes, and two malformed records
     * that carry them: a line that is not JSON and a sign-up whose user id is not a number.
     */
    private static List<byte[]> probeEvents() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        CloudEventJson json = new CloudEventJson();
        SyntheticEventGenerator generator = new SyntheticEventGenerator(
                GeneratorConfig.of(7, 30, 3, 2).withStart(Instant.parse("2024-03-04T00:00:00Z")));
        List<byte[]> lines = new ArrayList<>();
        int n = 0;
        while (generator.hasNext()) {
            CloudEvent event = generator.next();
            ObjectNode tree = (ObjectNode) mapper.readTree(json.write(event));
            ObjectNode data = (ObjectNode) tree.get("data");
            switch (event.type().type()) {
                case "com.gitlab.user.created" -> {
                    data.put("email", "zelda.probe" + n + "@pii-probe.example");
                    data.put("name", "Zelda Probe " + n);
                    data.put("username", "zelda_probe" + n);
                }
                case "com.gitlab.note.created" ->
                    data.put("body", "PII-PROBE-BODY " + n + " @someone https://x.example");
                case "com.gitlab.issue.opened" -> {
                    data.put("title", "PII-PROBE-TITLE " + n);
                    data.put("description", "PII-PROBE-BODY in an issue " + n);
                }
                default -> {}
            }
            n++;
            lines.add(mapper.writeValueAsBytes(tree));
        }
        lines.add("zelda.probe@pii-probe.example wrote: PII-PROBE-BODY".getBytes(StandardCharsets.UTF_8));
        ObjectNode broken = (ObjectNode) mapper.readTree(lines.stream()
                .filter(l -> new String(l, StandardCharsets.UTF_8).contains("com.gitlab.user.created"))
                .findFirst()
                .orElseThrow());
        ((ObjectNode) broken.get("data")).put("user_id", "Zelda Probe");
        broken.put("id", "broken-signup");
        lines.add(mapper.writeValueAsBytes(broken));
        return lines;
    }

    /** The content events among the valid lines, as the job's own input reduction sees them. */
    private static long expectedContentEvents(List<byte[]> lines, String hashKey) {
        CloudEventJson json = new CloudEventJson();
        SpamInputs inputs = new SpamInputs(
                SpamJobConfig.defaults().gitlabHost(),
                hashKey.getBytes(StandardCharsets.UTF_8),
                EmailDomains.shipped());
        return lines.stream()
                .map(json::read)
                .filter(d -> d.isOk())
                .map(d -> inputs.from(d.value()))
                .filter(input -> input != null && input.isContent())
                .count();
    }

    private static long featureRowCount(Path out) {
        long[] count = new long[1];
        DuckDbDatasets.query(
                "SELECT count(*) FROM read_parquet('" + out + "/spam_features/v1/*/*/*.parquet')",
                rs -> count[0] = rs.getLong(1));
        return count[0];
    }

    private static String redisDump(Jedis redis) {
        StringBuilder out = new StringBuilder();
        for (String key : redis.keys("*")) {
            out.append(key).append(" = ");
            switch (redis.type(key)) {
                case "hash" -> out.append(redis.hgetAll(key));
                case "set" -> out.append(redis.smembers(key));
                case "zset" -> out.append(redis.zrange(key, 0, -1));
                case "string" -> out.append(redis.get(key));
                default -> out.append("(").append(redis.type(key)).append(")");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static List<String> consumeAll(String topic, int expected) {
        Properties props = KAFKA.clientProperties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.saslSslBootstrapServers());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + 20_000;
            while (values.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
            }
            consumer.poll(Duration.ofMillis(500))
                    .forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
        }
        return values;
    }

    /** {@code java ... EventstreamCli <arguments>} with this test JVM's classpath, as {@code ./eventstream} starts it. */
    private List<String> cliCommand(Path logConfig, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Djava.io.tmpdir=" + dir,
                "-Dlog4j2.configurationFile=" + logConfig,
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/java.net=ALL-UNNAMED",
                "--add-opens=java.base/java.time=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                EventstreamCli.class.getName()));
        command.addAll(arguments);
        return command;
    }
}
