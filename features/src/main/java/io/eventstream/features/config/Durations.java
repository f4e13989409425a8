package io.eventstream.features.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in the YAML config: an integer and a unit, {@code 500ms}, {@code 10s},
 * {@code 1m}, {@code 1h}, {@code 24h}, {@code 7d}, {@code 30d}. A unit is required, so a bare
 * {@code 60} is an error rather than a guess.
 */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(-?\\d+)\\s*(ms|s|m|h|d)");
    private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    private static final String[] UNIT_NAMES = {"d", "h", "m", "s", "ms"};

    private Durations() {}

    /** Parses a duration; the exception names {@code key}. Zero and negative values are returned as such. */
    public static Duration parse(String key, String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new ConfigException(
                    key,
                    "'" + text + "' is not a duration; write an integer and a unit "
                            + "(ms, s, m, h, d), e.g. 10s, 5m, 24h, 7d");
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + text + "' is too large");
        }
        long unit = switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
        try {
            return Duration.ofMillis(Math.multiplyExact(amount, unit));
        } catch (ArithmeticException e) {
            throw new ConfigException(key, "'" + text + "' is too large");
        }
    }

    /** The shortest exact spelling in the largest unit that divides it: 86400000 ms is {@code 1d}, 90 s is {@code 90s}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        for (int i = 0; i < UNIT_MILLIS.length; i++) {
            if (millis % UNIT_MILLIS[i] == 0) {
                return (millis / UNIT_MILLIS[i]) + UNIT_NAMES[i];
            }
        }
        throw new AssertionError("unreachable: ms divides everything");
    }

    public static String formatMillis(long millis) {
        return format(Duration.ofMillis(millis));
    }
}
