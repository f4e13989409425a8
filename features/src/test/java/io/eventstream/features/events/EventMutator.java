package io.eventstream.features.events;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of structured-mode event records, for the tests that compare decoders on
 * records no one wrote on purpose: values of other JSON types and number spellings (fractions,
 * integral floats, numbers as strings), timestamps outside RFC 3339 or the representable range,
 * repeated and unknown fields, removed fields, reordered attributes, truncation, invalid UTF-8,
 * trailing bytes.
 */
public final class EventMutator {

    public static final List<String> REPLACEMENTS = List.of(
            "1.50",
            "1e2",
            "-0",
            "0",
            "7",
            "-5",
            "3.7",
            "2147483648",
            "12345678901234567890",
            "1" + "0".repeat(1200),
            "0." + "1".repeat(1200),
            "true",
            "false",
            "null",
            "\"\"",
            "\"text\"",
            "\"123\"",
            "\"1.50\"",
            "\"true\"",
            "\"\\u00e9t\\u00e9\"",
            "\"bad\\q\"",
            "\"1.0\"",
            "\"MAYBE\"",
            "\"banned\"",
            "\"spam\"",
            "\"Issue\"",
            "\"2024-03-01T10:15:30Z\"",
            "\"2024-03-01T10:15:30+02:00\"",
            "\"yesterday\"",
            "\"com.gitlab.push\"",
            "\"com.gitlab.note.created\"",
            "[]",
            "[1,\"a\",null]",
            "[3,4]",
            "[\"a/b.rb\"]",
            "{}",
            "{\"a\":1}",
            "{\"sha\":\"abc\",\"a\":1}",
            "{\"old_path\":\"a\",\"new_line\":\"x\"}",
            "139.7",
            "5.0",
            "-1e3",
            "12",
            "\"+999999999-12-31T23:59:59Z\"",
            "\"2024-03-01T10:15Z\"",
            "\"2024-03-01 10:15:30z\"",
            "\"2024-03-01t10:15:30.123456789-00:00\"",
            "\"2024-03-01T10:15:30.1234567891Z\"",
            "\"99999-03-01T10:15:30Z\"");

    private EventMutator() {}

    /** One to three structural mutations, then sometimes a byte-level one. */
    public static byte[] mutate(byte[] record, SplittableRandom random) {
        String text = new String(record, StandardCharsets.UTF_8);
        int structural = 1 + random.nextInt(3);
        for (int m = 0; m < structural; m++) {
            List<int[]> pairs = pairs(text);
            int[] pair = pairs.get(random.nextInt(pairs.size())); // {keyStart, valueStart, valueEnd}
            String replacement = REPLACEMENTS.get(random.nextInt(REPLACEMENTS.size()));
            text = switch (random.nextInt(6)) {
                case 0, 1 -> text.substring(0, pair[1]) + replacement + text.substring(pair[2]);
                case 2 ->
                    text.substring(0, pair[2]) + "," + text.substring(pair[0], pair[1]) + replacement
                            + text.substring(pair[2]);
                case 3 ->
                    text.substring(0, pair[0]) + "\"unknown_" + random.nextInt(3) + "\":" + replacement + ","
                            + text.substring(pair[0]);
                case 4 -> removePair(text, pair);
                default -> {
                    int data = text.lastIndexOf(",\"data\":");
                    yield data < 0
                            ? text
                            : "{" + text.substring(data + 1, text.length() - 1) + "," + text.substring(1, data) + "}";
                }
            };
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return switch (random.nextInt(8)) {
            case 0 ->
                java.util.Arrays.copyOf(bytes, random.nextInt(1, bytes.length)); // empty: rejected before decoding
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
                if (colon < text.length() && text.charAt(colon) == ':') {
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
}
