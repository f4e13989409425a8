package io.eventstream.features.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code com.gitlab.abuse_report.resolved}: our own label-bearing type.
 *
 * @param reportId        abuse report id
 * @param reportedUserId  the user reported
 * @param reporterId      who reported, when known
 * @param resolution      how it was resolved
 */
public record AbuseReportData(long reportId, long reportedUserId, Long reporterId, Resolution resolution)
        implements EventData {

    /** Banned and blocked confirm abuse; dismissed does not. */
    public enum Resolution {
        @JsonProperty("banned")
        BANNED,
        @JsonProperty("blocked")
        BLOCKED,
        @JsonProperty("dismissed")
        DISMISSED;

        public boolean confirmsAbuse() {
            return this != DISMISSED;
        }
    }
}
