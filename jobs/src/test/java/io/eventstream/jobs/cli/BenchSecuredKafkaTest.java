package io.eventstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.connectors.kafka.LocalKafkaBroker;
import io.eventstream.connectors.kafka.SecuredKafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench spam --kafka --kafka-properties} against an existing secured broker: a real KRaft broker with
 * a SASL_SSL listener (SCRAM-SHA-512, keytool certificates), the passwords given only by {@code ${file:...}}
 * reference. The bench's admin client, producer and the job's source all authenticate; the job reads every
 * produced event; the bench's topic is gone afterwards; no secret is printed. A wrong password fails with one
 * line and leaves no topic behind.
 */
class BenchSecuredKafkaTest {

    @RegisterExtension
    static final SecuredKafkaBrokerExtension KAFKA = new SecuredKafkaBrokerExtension();

    private static final int EVENTS = 400;

    @TempDir
    Path temp;

    @Test
    void benchSpamRunsAgainstASecuredBrokerWithSecretsByReference() throws Exception {
        Path secrets = Files.writeString(
                temp.resolve("secrets.properties"),
                "scram.password=" + KAFKA.password() + "\ntruststore.password="
                        + KAFKA.certificates().password() + "\n");
        Path properties = propertiesFile(secrets, "scram.password");
        Path work = Files.createDirectories(temp.resolve("work"));
        Path report = temp.resolve("report.json");
        Path config = Files.writeString(temp.resolve("spam.yaml"), "checkpoint:\n  interval: 1s\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = bench(
                out,
                err,
                "--events",
                String.valueOf(EVENTS),
                "--parallelism",
                "1",
                "--partitions",
                "2",
                "--loop-rounds",
                "1",
                "--job-rounds",
                "1",
                "--config",
                config.toString(),
                "--work-dir",
                work.toString(),
                "--report",
                report.toString(),
                "--kafka",
                KAFKA.saslSslBootstrapServers(),
                "--kafka-properties",
                properties.toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(err.toString())
                .contains("bench spam: produced " + String.format("%,d", EVENTS) + " events to 2 partitions");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.path("workload").path("events").asLong()).isEqualTo(EVENTS);
        assertThat(json.path("produce").path("partitions").asInt()).isEqualTo(2);
        // Every produced event reached the job through the secured source: one feature row per content event.
        assertThat(json.path("flink")
                        .path("rowsByDataset")
                        .path("spam_features")
                        .asLong())
                .isEqualTo(BenchCommandTest.contentEventsAmongFirst(EVENTS, json.path("workload")));
        assertThat(json.path("flink").path("rowsByDataset").path("dead_letters").asLong())
                .isZero();
        assertThat(benchTopics()).as("the bench deletes its topic").isEmpty();
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left).as("run directory removed without --keep").isEmpty();
        }
        for (String secret : List.of(KAFKA.password(), KAFKA.certificates().password())) {
            assertThat(out.toString()).doesNotContain(secret);
            assertThat(err.toString()).doesNotContain(secret);
            assertThat(Files.readString(report)).doesNotContain(secret);
        }
    }

    @Test
    void aWrongPasswordFailsWithOneLineAndNoSecret() throws Exception {
        String wrong = "not-the-password-" + System.nanoTime();
        Path secrets = Files.writeString(
                temp.resolve("secrets.properties"),
                "scram.password=" + wrong + "\ntruststore.password="
                        + KAFKA.certificates().password() + "\n");
        Path properties = propertiesFile(secrets, "scram.password");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        long started = System.nanoTime();
        int exit = bench(
                out,
                err,
                "--events",
                "50",
                "--parallelism",
                "1",
                "--loop-rounds",
                "1",
                "--work-dir",
                temp.resolve("work").toString(),
                "--kafka",
                KAFKA.saslSslBootstrapServers(),
                "--kafka-properties",
                properties.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started))
                .as("fails fast")
                .isLessThan(30);
        assertThat(err.toString())
                .contains("eventstream spam: failed: SaslAuthenticationException: ", LocalKafkaBroker.SCRAM_MECHANISM);
        assertThat(err.toString() + out)
                .doesNotContain(wrong)
                .doesNotContain(KAFKA.certificates().password());
        assertThat(benchTopics()).isEmpty();
    }

    private Path propertiesFile(Path secrets, String passwordKey) throws Exception {
        return Files.writeString(
                temp.resolve("kafka.properties"),
                String.join(
                        "\n",
                        "security.protocol=SASL_SSL",
                        "sasl.mechanism=" + LocalKafkaBroker.SCRAM_MECHANISM,
                        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                                + SecuredKafkaBrokerExtension.USER + "\" password=\"${file:" + secrets + ":"
                                + passwordKey + "}\";",
                        "ssl.truststore.location=" + KAFKA.certificates().trustStore(),
                        "ssl.truststore.type=PKCS12",
                        "ssl.truststore.password=${file:" + secrets + ":truststore.password}",
                        ""));
    }

    private static int bench(StringWriter out, StringWriter err, String... options) {
        CommandLine cli = EventstreamCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] arguments =
                Stream.concat(Stream.of("bench", "spam"), Stream.of(options)).toArray(String[]::new);
        return cli.execute(arguments);
    }

    private static List<String> benchTopics() throws Exception {
        Properties admin = KAFKA.clientProperties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.saslSslBootstrapServers());
        try (Admin client = Admin.create(admin)) {
            return client.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(name -> name.startsWith(KafkaBenchRun.TOPIC))
                    .toList();
        }
    }
}
