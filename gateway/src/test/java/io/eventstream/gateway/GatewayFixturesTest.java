package io.eventstream.gateway;

import static io.eventstream.gateway.GatewayTesting.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstream.connectors.kafka.KafkaBrokerExtension;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.Decoded;
import io.eventstream.features.gitlab.Conversion;
import io.eventstream.features.gitlab.GitLabAdapter;
import io.eventstream.features.gitlab.GitLabFixtures;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every real GitLab payload of {@code shared/fixtures/gitlab-webhooks}, posted over HTTP with the
 * {@code X-Gitlab-Event} header its README names, gives on Kafka exactly the events {@code eventstream convert}
 * gives for the same body, header and delivery id (both call {@link GitLabAdapter#convert}; the receive time is
 * read back from the produced {@code recordedtime}), keyed by {@code partitionkey}; unsupported kinds are
 * answered 200 "unsupported" and produce nothing.
 */
class GatewayFixturesTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    /** The README's table row: | `file` | bytes | kind | X-Gitlab-Event | ... */
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+\\.json)` \\| \\d+ \\| [^|]* \\| ([^|]*) \\|");

    private static final Pattern HOOK = Pattern.compile("^([A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*)* Hook)\\b");

    @TempDir
    Path dir;

    @Test
    void everyFixtureGivesTheEventsConvertGives() throws IOException {
        Path fixtures = GitLabFixtures.directory().orElse(null);
        Assumptions.assumeTrue(fixtures != null, "no shared/fixtures/gitlab-webhooks above the working directory");
        Map<String, String> headers = headersFromReadme(fixtures.resolve("README.md"));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(fixtures)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSize(60);
        assertThat(headers.keySet())
                .containsExactlyInAnyOrderElementsOf(files.stream()
                        .map(p -> fixtures.relativize(p).toString())
                        .toList());

        String topic = KAFKA.newTopic("fixtures", 3);
        KAFKA.broker().createTopic(topic + "-dead", 1);
        HttpClient client = client();
        Map<String, String> keyByFile = new LinkedHashMap<>();
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        try (Gateway gateway = start(config(tokenFile(dir, TOKEN), topic, ""), KAFKA.bootstrapServers())) {
            for (Path file : files) {
                String name = fixtures.relativize(file).toString();
                String key = UUID.randomUUID().toString();
                keyByFile.put(name, key);
                answers.put(
                        name, send(client, delivery(gateway, Files.readAllBytes(file), headers.get(name), TOKEN, key)));
            }
        }

        Map<String, List<ConsumerRecord<byte[], byte[]>>> recordsByDelivery = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(KAFKA.bootstrapServers(), topic)) {
            String id = new ObjectMapper().readTree(record.value()).get("id").asText();
            recordsByDelivery
                    .computeIfAbsent(id.replaceFirst("#\\d+$", ""), k -> new ArrayList<>())
                    .add(record);
        }
        CloudEventJson json = new CloudEventJson();
        GitLabAdapter convert = new GitLabAdapter(INSTANCE);
        int accepted = 0;
        int unsupported = 0;
        for (Path file : files) {
            String name = fixtures.relativize(file).toString();
            String key = keyByFile.get(name);
            HttpResponse<String> answer = answers.get(name);
            List<ConsumerRecord<byte[], byte[]>> records = recordsByDelivery.getOrDefault(key, List.of());
            if (records.isEmpty()) {
                Conversion expected = convert.convert(Files.readAllBytes(file), headers.get(name), key, null);
                assertThat(expected.unsupported())
                        .as(name + ": only unsupported kinds produce nothing")
                        .isTrue();
                assertThat(answer.statusCode()).as(name).isEqualTo(200);
                assertThat(answer.body()).as(name).contains("\"outcome\":\"unsupported\"");
                unsupported++;
                continue;
            }
            Decoded<CloudEvent> first = json.read(records.get(0).value());
            assertThat(first.isOk()).as(name).isTrue();
            Conversion expected = convert.convert(
                    Files.readAllBytes(file),
                    headers.get(name),
                    key,
                    first.value().recordedTime());
            assertThat(expected.isOk()).as(name).isTrue();
            List<String> expectedLines =
                    expected.events().stream().map(json::writeString).toList();
            // Records of one delivery share a partition key, hence a partition: their order is the delivery's.
            records.sort(java.util.Comparator.comparingLong(ConsumerRecord::offset));
            assertThat(records.stream()
                            .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                            .toList())
                    .as(name)
                    .isEqualTo(expectedLines);
            for (int i = 0; i < records.size(); i++) {
                String partitionKey = expected.events().get(i).partitionKey();
                assertThat(
                                records.get(i).key() == null
                                        ? null
                                        : new String(records.get(i).key(), StandardCharsets.UTF_8))
                        .as(name + " record key")
                        .isEqualTo(partitionKey);
            }
            assertThat(answer.statusCode()).as(name).isEqualTo(200);
            JsonNode body = new ObjectMapper().readTree(answer.body());
            assertThat(body.get("outcome").asText()).isEqualTo("accepted");
            List<String> answeredIds = new ArrayList<>();
            body.get("events").forEach(id -> answeredIds.add(id.asText()));
            assertThat(answeredIds)
                    .isEqualTo(expected.events().stream().map(CloudEvent::id).toList());
            accepted++;
        }
        // The conformance test of the adapter expects exactly two unsupported fixtures: the test delivery and
        // a docs-era system-hook merge request without an action.
        assertThat(unsupported).isEqualTo(2);
        assertThat(accepted).isEqualTo(58);
        assertThat(recordsByDelivery.keySet()).isSubsetOf(keyByFile.values());
    }

    /** File → X-Gitlab-Event from the fixtures README (null where it names none, e.g. external status checks). */
    static Map<String, String> headersFromReadme(Path readme) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : Files.readAllLines(readme)) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                Matcher hook = HOOK.matcher(row.group(2).trim());
                headers.put(row.group(1), hook.find() ? hook.group(1) : null);
            }
        }
        return headers;
    }
}
