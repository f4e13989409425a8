package io.eventstream.features.gitlab;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses every timestamp shape GitLab puts in webhook and system-hook bodies into an {@link Instant}:
 * <ul>
 *   <li>{@code 2017-12-10 16:37:38 UTC} (Rails default, most bodies before 2019 and many after)</li>
 *   <li>{@code 2012-07-21T07:30:54Z}</li>
 *   <li>{@code 2017-12-10T08:28:36-08:00} (commit timestamps carry the committer's offset)</li>
 *   <li>{@code 2026-05-28T06:14:44.830Z} (milliseconds, or any fraction up to nanoseconds)</li>
 *   <li>{@code 2021-04-28 21:50:00 +0200} (deployment {@code status_changed_at})</li>
 *   <li>{@code 2024-01-26} (date-only, e.g. {@code expires_at}): midnight UTC</li>
 * </ul>
 * Also accepted because they are the same shapes with the other separator: {@code T} or a space
 * between date and time, offsets with or without a colon or as hours only, and no zone at all,
 * which is read as UTC (GitLab stores and renders UTC).
 */
public final class GitLabTimestamps {
    private static final Pattern SHAPE = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})" // date
                    + "(?:[T ](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?)" // time, optional seconds and fraction
                    + " ?(Z|UTC|[+-]\\d{2}(?::?\\d{2})?)?)?"); // zone, optionally after a space

    private GitLabTimestamps() {}

    /** The instant a GitLab timestamp denotes; empty when the text is in none of the accepted shapes. */
    public static Optional<Instant> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SHAPE.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            LocalDate date = LocalDate.parse(m.group(1));
            if (m.group(2) == null) {
                return Optional.of(date.atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            LocalTime time = LocalTime.parse(m.group(2));
            String zone = m.group(3);
            ZoneOffset offset =
                    zone == null || zone.equals("Z") || zone.equals("UTC") ? ZoneOffset.UTC : ZoneOffset.of(zone);
            return Optional.of(date.atTime(time).toInstant(offset));
        } catch (DateTimeException e) {
            // Right shape, impossible value (month 13, hour 25, offset +19:00).
            return Optional.empty();
        }
    }
}
