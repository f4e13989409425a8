package io.eventstream.features.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.generator.GeneratorConfig;
import io.eventstream.generator.SyntheticEventGenerator;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The one-pass decode ({@link CloudEventJson#readValidInOnePass}) takes every record the project
 * writes, and {@link CloudEventJson#read} gives exactly what the tree decode
 * ({@link CloudEventJson#readThroughTree}, the reference) gives on those and on tens of thousands of
 * mutated records: values of other JSON types and number spellings, repeated and unknown fields,
 * removed fields, reordered attributes, truncation, invalid UTF-8, trailing bytes.
 */
class CloudEventOnePassDecodingTest {

    private final CloudEventJson json = new CloudEventJson();

    @Test
    void everyGeneratedRecordIsDecodedInOnePassToTheTreeResult() {
        List<byte[]> records = generatedRecords();
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (byte[] record : records) {
            CloudEvent onePass = json.readValidInOnePass(record);
            assertThat(onePass).as(text(record)).isNotNull();
            assertThat(onePass).isEqualTo(json.readThroughTree(record).value());
            types.add(onePass.type());
        }
        assertThat(types).hasSizeGreaterThan(10);
    }

    @Test
    void mutatedRecordsDecodeExactlyAsTheTreeDecodes() {
        List<byte[]> records = generatedRecords();
        SplittableRandom random = new SplittableRandom(11);
        int ok = 0;
        int onePass = 0;
        int mutants = 8_000;
        for (int i = 0; i < mutants; i++) {
            byte[] record = EventMutator.mutate(records.get(random.nextInt(records.size())), random);
            Decoded<CloudEvent> actual = json.read(record);
            Decoded<CloudEvent> reference = json.readThroughTree(record);
            assertThat(describe(actual)).as(text(record)).isEqualTo(describe(reference));
            if (actual.isOk()) {
                assertThat(actual.value()).isEqualTo(reference.value());
                ok++;
            }
            if (json.readValidInOnePass(record) != null) {
                onePass++;
            }
        }
        // Both outcomes are well represented, and the one pass declined some valid records.
        assertThat(ok).isBetween(mutants / 10, mutants * 9 / 10);
        assertThat(onePass).isBetween(mutants / 20, ok - mutants / 50);
    }

    @Test
    void handPickedRecordsDecodeExactlyAsTheTreeDecodes() {
        String envelope = "\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"com.gitlab.spam.verdict\","
                + "\"time\":\"2024-03-01T10:15:30Z\"";
        List<String> texts = List.of(
                "{" + envelope + ",\"data\":{\"user_id\":3,\"verdict\":\"BLOCK\"}}",
                "{" + envelope + ",\"data\":{\"user_id\":3,\"user_id\":4,\"verdict\":\"BLOCK\"}}",
                // Every field set, then one repeated: binding has built the record when the repeat comes.
                "{" + envelope + ",\"data\":{\"user_id\":3,\"target_type\":\"Note\",\"target_id\":5,"
                        + "\"target_event_id\":\"e\",\"verdict\":\"BLOCK\",\"source\":\"spamcheck\",\"user_id\":4}}",
                "{" + envelope.replace("spam.verdict", "note.created") + ",\"data\":{\"project_id\":1,\"note_id\":2,"
                        + "\"author_id\":3,\"noteable_type\":\"MergeRequest\",\"noteable_id\":4,\"noteable_iid\":5,"
                        + "\"commit_id\":\"c\",\"body\":\"b\",\"system\":false,\"internal\":false,\"diff_position\":"
                        + "{\"old_path\":\"a\",\"new_path\":\"b\",\"old_line\":1,\"new_line\":2,\"base_sha\":\"x\","
                        + "\"head_sha\":\"y\",\"start_sha\":\"z\",\"old_line\":7},\"note_id\":9}}",
                "{" + envelope + ",\"id\":\"y\",\"data\":{\"user_id\":3,\"verdict\":\"BLOCK\"}}",
                "{\"data\":{\"user_id\":3,\"verdict\":\"BLOCK\"}," + envelope + "}",
                "{" + envelope + ",\"data\":{\"user_id\":3.9,\"verdict\":\"BLOCK\"}}",
                "{" + envelope + ",\"data\":{\"user_id\":\"3\",\"verdict\":\"BLOCK\"}}",
                "{" + envelope + ",\"data\":{\"user_id\":3,\"verdict\":\"BLOCK\",\"extra\":1}}",
                "{" + envelope + ",\"data\":{\"user_id\":3,\"verdict\":\"BLOCK\"}} trailing",
                "{" + envelope + ",\"data\":{\"user_id\":3,\"verdict\":\"BLOCK\"}",
                "{" + envelope + ",\"specversion\":1.0,\"data\":{\"user_id\":3,\"verdict\":\"BLOCK\"}}",
                "{" + envelope.replace("\"1.0\"", "1.0") + ",\"data\":{\"user_id\":3,\"verdict\":\"BLOCK\"}}",
                "{" + envelope + ",\"subject\":42,\"data\":{\"user_id\":3,\"verdict\":\"BLOCK\"}}",
                "{" + envelope + ",\"recordedtime\":null,\"data\":{\"user_id\":3,\"verdict\":\"BLOCK\"}}",
                "{" + envelope + ",\"datacontenttype\":{\"a\":[1]},\"data\":{\"user_id\":3,\"verdict\":\"BLOCK\"}}",
                "{" + envelope + ",\"data\":null}",
                "{" + envelope + "}",
                "null",
                "[]",
                " ",
                "{}");
        for (String text : texts) {
            byte[] record = text.getBytes(StandardCharsets.UTF_8);
            assertThat(describe(json.read(record))).as(text).isEqualTo(describe(json.readThroughTree(record)));
        }
        assertThat(json.readValidInOnePass(texts.get(0).getBytes(StandardCharsets.UTF_8)))
                .isNotNull();
        assertThat(json.read(texts.get(1)).value().data())
                .isEqualTo(new SpamVerdictData(4, null, null, null, SpamVerdictData.Verdict.BLOCK, null));
    }

    private List<byte[]> generatedRecords() {
        List<byte[]> records = new ArrayList<>();
        for (CloudEvent event : SyntheticEventGenerator.generateAll(GeneratorConfig.of(5, 60, 4, 3))) {
            records.add(json.write(event));
        }
        // The generator writes no kind that binds to GenericData.
        records.add(json.write(new CloudEvent(
                "p-1",
                "https://gitlab.example.com",
                EventType.PIPELINE_UPDATED,
                Instant.parse("2024-03-01T10:15:30.5Z"),
                "projects/3/pipelines/5",
                null,
                null,
                "9",
                new GenericData("pipeline", 5L, 3L, null, 9L, null, "success"))));
        return records;
    }

    private static String describe(Decoded<CloudEvent> decoded) {
        return decoded.isOk() ? "ok " + decoded.value() : "failed " + decoded.error();
    }

    private static String text(byte[] record) {
        return new String(record, StandardCharsets.UTF_8);
    }
}
