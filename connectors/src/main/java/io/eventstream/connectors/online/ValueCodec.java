package io.eventstream.connectors.online;

import io.eventstream.features.datasets.ColumnType;

/**
 * The text form of typed values, shared by the Redis hash layout and the row digest, so that a
 * serving service in any language can parse what it reads. See docs/online-tables.md.
 */
final class ValueCodec {

    private ValueCodec() {}

    /**
     * STRING as is; INT, LONG and TIMESTAMP_MILLIS (epoch millis) as decimal; DOUBLE as Java
     * {@link Double#toString(double)} (parses back to the identical double, e.g. {@code 0.25}, {@code 1.0E10},
     * {@code Infinity}; NaN is rejected before writing); BOOLEAN as {@code 1}/{@code 0}.
     */
    static String encode(ColumnType type, Object value) {
        return switch (type) {
            case STRING -> (String) value;
            case INT, LONG, TIMESTAMP_MILLIS, DOUBLE -> value.toString();
            case BOOLEAN -> ((Boolean) value) ? "1" : "0";
        };
    }

    /** Inverse of {@link #encode}. */
    static Object decode(ColumnType type, String text) {
        return switch (type) {
            case STRING -> text;
            case INT -> Integer.valueOf(text);
            case LONG, TIMESTAMP_MILLIS -> Long.valueOf(text);
            case DOUBLE -> Double.valueOf(text);
            case BOOLEAN ->
                switch (text) {
                    case "1" -> Boolean.TRUE;
                    case "0" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException("boolean field must be 1 or 0");
                };
        };
    }

    /**
     * One key part of a Redis key: numbers as decimal; strings with {@code \} written as
     * {@code \\} and {@code :} as {@code \:}, so the parts of a composite key never run together.
     */
    static String keyPart(Object value) {
        if (!(value instanceof String text)) {
            return value.toString();
        }
        if (text.indexOf(':') < 0 && text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ':' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
