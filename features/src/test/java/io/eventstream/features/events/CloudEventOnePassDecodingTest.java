package io.eventstream.features.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.features.generator.GeneratorConfig;
import io.eventstream.features.generator.SyntheticEventGenerator;
import java.io.ByteArrayOutputStream;
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

    private static final List<String> REPLACEMENTS = List.of(
            "1.50", "1e2", "-0", "0", "7", "-5", "3.7", "2147483648", "12345678901234567890", "1" + "0".repeat(1200),
            "0." + "1".repeat(1200), "true", "false", "null", "\"\"", "\"text\"", "\"123\"", "\"1.50\"", "\"true\"",
            "\"\\u00e9t\\u00e9\"", "\"bad\\q\"", "\"1.0\"", "\"MAYBE\"", "\"banned\"", "\"spam\"", "\"Issue\"",
            "\"2024-03-01T10:15:30Z\"", "\"2024-03-01T10:15:30+02:00\"", "\"yesterday\"", "\"com.gitlab.push\"",
            "\"com.gitlab.note.created\"", "[]", "[1,\"a\",null]", "[3,4]", "[\"a/b.rb\"]", "{}", "{\"a\":1}",
            "{\"sha\":\"abc\",\"a\":1}", "{\"old_path\":\"a\",\"new_line\":\"x\"}");

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
            byte[] record = mutate(records.get(random.nextInt(records.size())), random);
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
                "null", "[]", " ", "{}");
        for (String text : texts) {
            byte[] record = text.getBytes(StandardCharsets.UTF_8);
            assertThat(describe(json.read(record))).as(text).isEqualTo(describe(json.readThroughTree(record)));
        }
        assertThat(json.readValidInOnePass(texts.get(0).getBytes(StandardCharsets.UTF_8))).isNotNull();
        assertThat(json.read(texts.get(1)).value().data()).isEqualTo(new SpamVerdictData(4, null, null, null, SpamVerdictData.Verdict.BLOCK, null));
    }

    private List<byte[]> generatedRecords() {
        List<byte[]> records = new ArrayList<>();
        for (CloudEvent event : SyntheticEventGenerator.generateAll(GeneratorConfig.of(5, 60, 4, 3))) {
            records.add(json.write(event));
        }
        // The generator writes no kind that binds to GenericData.
        records.add(json.write(new CloudEvent("p-1", "https://gitlab.example.com", EventType.PIPELINE_UPDATED,
                Instant.parse("2024-03-01T10:15:30.5Z"), "projects/3/pipelines/5", null, null, "9",
                new GenericData("pipeline", 5L, 3L, null, 9L, null, "success"))));
        return records;
    }

    /** One to three structural mutations, then sometimes a byte-level one. */
    private static byte[] mutate(byte[] record, SplittableRandom random) {
        String text = new String(record, StandardCharsets.UTF_8);
        int structural = 1 + random.nextInt(3);
        for (int m = 0; m < structural; m++) {
            List<int[]> pairs = pairs(text);
            int[] pair = pairs.get(random.nextInt(pairs.size())); // {keyStart, valueStart, valueEnd}
            String replacement = REPLACEMENTS.get(random.nextInt(REPLACEMENTS.size()));
            text = switch (random.nextInt(6)) {
                case 0, 1 -> text.substring(0, pair[1]) + replacement + text.substring(pair[2]);
                case 2 -> text.substring(0, pair[2]) + "," + text.substring(pair[0], pair[1]) + replacement
                        + text.substring(pair[2]);
                case 3 -> text.substring(0, pair[0]) + "\"unknown_" + random.nextInt(3) + "\":" + replacement + ","
                        + text.substring(pair[0]);
                case 4 -> removePair(text, pair);
                default -> {
                    int data = text.lastIndexOf(",\"data\":");
                    yield data < 0 ? text : "{" + text.substring(data + 1, text.length() - 1) + "," + text.substring(1, data) + "}";
                }
            };
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return switch (random.nextInt(8)) {
            case 0 -> java.util.Arrays.copyOf(bytes, random.nextInt(1, bytes.length)); // empty: rejected before decoding
            case 1 -> insert(bytes, stringInterior(bytes, random), new byte[] {(byte) 0xFF});
            case 2 -> insert(bytes, stringInterior(bytes, random), new byte[] {(byte) 0xC3});
            case 3 -> insert(bytes, bytes.length, " {\"x\"".getBytes(StandardCharsets.UTF_8));
            default -> bytes;
        };
    }

    /** Every {@code "name": value} of a JSON text as {keyStart, valueStart, valueEnd}. */
    private static List<int[]> pairs(String text) {
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '"') {
                int end = stringEnd(text, i);
                int colon = end + 1;
                if (colon < text.length() && text.charAt(colon) == ':' ) {
                    pairs.add(new int[] {i, colon + 1, valueEnd(text, colon + 1)});
                }
                i = end;
            }
        }
        return pairs;
    }

    /** Index of the closing quote of the string opening at {@code start}. */
    private static int stringEnd(String text, int start) {
        int i = start + 1;
        while (i < text.length() && text.charAt(i) != '"') {
            i += text.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i, text.length() - 1);
    }

    private static int valueEnd(String text, int start) {
        int depth = 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                i = stringEnd(text, i);
                if (depth == 0) {
                    return i + 1;
                }
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                if (--depth == 0) {
                    return i + 1;
                }
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return text.length();
    }

    private static String removePair(String text, int[] pair) {
        boolean commaAfter = pair[2] < text.length() && text.charAt(pair[2]) == ',';
        if (commaAfter) {
            return text.substring(0, pair[0]) + text.substring(pair[2] + 1);
        }
        boolean commaBefore = pair[0] > 0 && text.charAt(pair[0] - 1) == ',';
        return text.substring(0, commaBefore ? pair[0] - 1 : pair[0]) + text.substring(pair[2]);
    }

    /** A position just after an opening quote, so the inserted byte lands inside a string. */
    private static int stringInterior(byte[] bytes, SplittableRandom random) {
        int from = random.nextInt(bytes.length);
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '"') {
                return i + 1;
            }
        }
        return bytes.length;
    }

    private static byte[] insert(byte[] bytes, int at, byte[] inserted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.writeBytes(inserted);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    private static String describe(Decoded<CloudEvent> decoded) {
        return decoded.isOk() ? "ok " + decoded.value() : "failed " + decoded.error();
    }

    private static String text(byte[] record) {
        return new String(record, StandardCharsets.UTF_8);
    }
}
