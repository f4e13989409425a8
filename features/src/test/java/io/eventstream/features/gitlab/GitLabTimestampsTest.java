package io.eventstream.features.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GitLabTimestampsTest {

    /** Each shape seen in real bodies (first rows) and its close variants; UTC values converted by hand. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "2017-12-10 16:37:38 UTC      | 2017-12-10T16:37:38Z",
                "2012-07-21T07:30:54Z         | 2012-07-21T07:30:54Z",
                "2017-12-10T08:28:36-08:00    | 2017-12-10T16:28:36Z",
                "2017-05-31T00:55:38-02:30    | 2017-05-31T03:25:38Z",
                "2023-05-26T00:32:24+05:30    | 2023-05-25T19:02:24Z",
                "2013-05-13T18:18:08+00:00    | 2013-05-13T18:18:08Z",
                "2026-05-28T06:14:44.830Z     | 2026-05-28T06:14:44.830Z",
                "2017-09-20T08:31:45.944Z     | 2017-09-20T08:31:45.944Z",
                "2021-04-28 21:50:00 +0200    | 2021-04-28T19:50:00Z",
                "2024-01-26                   | 2024-01-26T00:00:00Z",
                "2021-04-28 21:50:00 +02:00   | 2021-04-28T19:50:00Z",
                "2021-04-28T21:50:00+0200     | 2021-04-28T19:50:00Z",
                "2021-04-28T21:50:00+02       | 2021-04-28T19:50:00Z",
                "2024-03-01 10:15:30.5 UTC    | 2024-03-01T10:15:30.500Z",
                "2024-03-01T10:15:30.123456789Z | 2024-03-01T10:15:30.123456789Z",
                "2024-03-01T10:15:30          | 2024-03-01T10:15:30Z",
                "2024-03-01T10:15Z            | 2024-03-01T10:15:00Z",
                "2024-02-29T23:30:00-01:00    | 2024-03-01T00:30:00Z",
            })
    void parsesEveryGitLabShapeToUtc(String text, String utc) {
        assertThat(GitLabTimestamps.parse(text)).contains(Instant.parse(utc));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(
            strings = {
                "",
                " ",
                "yesterday",
                "10/12/2017 16:37",
                "1709288130",
                "2024-13-01",
                "2023-02-29",
                "2024-03-01T25:00:00Z",
                "2024-03-01T10:15:30+19:00",
                "2024-03-01T10:15:30 PST",
                "2024-03-01T10:15:30ZZ",
                "2024-03-01T10:15:30.Z",
                "2024-3-1",
                "2024-03-01X10:15:30Z",
                "2024-03-01T10:15:30.1234567890Z"
            })
    void rejectsAnythingElse(String text) {
        assertThat(GitLabTimestamps.parse(text)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void nullIsNoTimestamp() {
        assertThat(GitLabTimestamps.parse(null)).isEmpty();
    }
}
