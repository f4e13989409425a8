package io.eventstream.features.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.Decoded;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Bad input never throws: every fixture (hand-written, and the public ones when present) mutated at
 * random (values replaced by other JSON types, planted personal data, impossible timestamps, keys
 * deleted, bytes truncated) must convert to either valid events that survive the codec or a typed
 * error whose message quotes none of the planted data. Fixed seed, so a failure reproduces.
 */
class GitLabAdapterRobustnessTest {
    private static final String SECRET = "SECRET-alice@example.com";
    private static final Instant RECEIVED = Instant.parse("2030-01-02T03:04:05Z");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<Supplier<JsonNode>> REPLACEMENTS = List.of(
            NODES::nullNode,
            () -> NODES.textNode(""),
            () -> NODES.textNode(SECRET),
            () -> NODES.textNode("[REDACTED]"),
            () -> NODES.textNode("2024-13-45 99:99:99 UTC"),
            () -> NODES.textNode("gid://gitlab/User/5"),
            () -> NODES.numberNode(1.5),
            () -> NODES.numberNode(-1),
            () -> NODES.numberNode(new BigInteger("123456789012345678901234567890")),
            () -> NODES.booleanNode(true),
            NODES::arrayNode,
            NODES::objectNode,
            () -> NODES.arrayNode().add(SECRET));

    private final GitLabAdapter adapter = new GitLabAdapter("https://gitlab.example.com");
    private final CloudEventJson json = new CloudEventJson();
    private final ObjectMapper mapper = new ObjectMapper();

    private static List<Path> corpus() throws IOException, URISyntaxException {
        List<Path> files = new ArrayList<>();
        Path handWritten = Path.of(GitLabAdapterRobustnessTest.class
                        .getResource("/gitlab/mr_open.json")
                        .toURI())
                .getParent();
        try (Stream<Path> paths = Files.list(handWritten)) {
            paths.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        if (GitLabFixtures.directory().isPresent()) {
            try (Stream<Path> paths = Files.walk(GitLabFixtures.directory().get())) {
                paths.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    @Test
    void randomlyMutatedFixturesNeverThrowAndNeverLeakPayloadText() throws Exception {
        Random random = new Random(20261127);
        int converted = 0;
        int failed = 0;
        for (Path file : corpus()) {
            byte[] original = Files.readAllBytes(file);
            for (int round = 0; round < 12; round++) {
                byte[] body = round % 4 == 3
                        ? Arrays.copyOf(original, random.nextInt(original.length))
                        : mutate(original, random);
                Conversion conversion = adapter.convert(body, null, null, round % 2 == 0 ? RECEIVED : null);
                assertThat(adapter.convert(body, null, null, round % 2 == 0 ? RECEIVED : null))
                        .as("deterministic")
                        .isEqualTo(conversion);
                if (conversion.isOk()) {
                    converted++;
                    for (CloudEvent event : conversion.events()) {
                        Decoded<CloudEvent> back = json.read(json.write(event));
                        assertThat(back.isOk()).as(file + ": " + back).isTrue();
                        assertThat(back.value()).isEqualTo(event);
                    }
                } else {
                    failed++;
                    assertThat(conversion.error().reason()).isNotNull();
                    assertThat(conversion.error().message())
                            .isNotBlank()
                            .doesNotContain("SECRET")
                            .doesNotContain("alice")
                            .doesNotStartWith("unexpected payload shape");
                }
            }
        }
        // Both outcomes are exercised, not just one.
        assertThat(converted).isGreaterThan(100);
        assertThat(failed).isGreaterThan(100);
    }

    private byte[] mutate(byte[] original, Random random) throws IOException {
        JsonNode root;
        try {
            root = mapper.readTree(original);
        } catch (IOException e) {
            return original; // malformed.json: only truncations apply
        }
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            List<ObjectNode> objects = new ArrayList<>();
            collectObjects(root, objects);
            ObjectNode target = objects.get(random.nextInt(objects.size()));
            List<String> names = new ArrayList<>();
            target.fieldNames().forEachRemaining(names::add);
            if (names.isEmpty()) {
                continue;
            }
            String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(6) == 0) {
                target.remove(name);
            } else {
                target.set(
                        name,
                        REPLACEMENTS.get(random.nextInt(REPLACEMENTS.size())).get());
            }
        }
        return mapper.writeValueAsBytes(root);
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) {
            into.add(object);
            object.elements().forEachRemaining(child -> collectObjects(child, into));
        } else if (node instanceof ArrayNode array) {
            array.elements().forEachRemaining(child -> collectObjects(child, into));
        }
    }
}
