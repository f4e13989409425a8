package io.eventstream.jobs.reviewers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.connectors.deadletter.DeadLetter;
import io.eventstream.connectors.source.RawEvent;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.EventType;
import io.eventstream.features.events.MergeRequestData;
import io.eventstream.features.reviewers.ReviewerInput;
import io.eventstream.features.reviewers.ReviewerTileWork;
import io.eventstream.jobs.common.IdentifiedEvents;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.types.Row;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * {@link ReviewerIngestFunction}: a project id that the user buckets cannot be keyed by (outside
 * {@code [0, 2^55)}) makes its event an {@code INVALID_FIELD} dead letter, where two such projects
 * would otherwise share a bucket's state; the largest keyable id goes through.
 */
class ReviewerIngestFunctionTest {
    private static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    @Test
    void aProjectIdBeyondTheBucketKeysIsADeadLetter() throws Exception {
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(
                new ReviewerIngestFunction(1 << 20, Long.MAX_VALUE / 4, DEAD_LETTERS))) {
            long tooLarge = ReviewerTileWork.MAX_PROJECT_ID + 1;
            for (long project : List.of(ReviewerTileWork.MAX_PROJECT_ID, tooLarge, -1L)) {
                harness.processElement(raw(project), 0);
            }
            List<Row> kept = harness.extractOutputValues();
            assertThat(kept).hasSize(1);
            assertThat(IdentifiedEvents.<ReviewerInput>payload(kept.get(0), 0).projectId)
                    .isEqualTo(ReviewerTileWork.MAX_PROJECT_ID);
            List<DeadLetter> deadLetters = harness.getSideOutput(DEAD_LETTERS).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertThat(deadLetters).extracting(d -> d.reason).containsExactly("INVALID_FIELD", "INVALID_FIELD");
            assertThat(deadLetters).extracting(d -> d.field).containsOnly("data.project_id");
            assertThat(deadLetters.get(0).message).startsWith("project_id " + tooLarge + " is outside 0..");
        }
    }

    private static RawEvent raw(long project) {
        CloudEvent event = new CloudEvent(
                "mr-" + project,
                "https://gitlab.example.com",
                EventType.MERGE_REQUEST_OPENED,
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                null,
                null,
                null,
                new MergeRequestData(
                        project, 1001L, 1L, 22L, 22L, "t", null, "opened", project, "feature", "main", false, List.of(),
                        null, List.of(), null));
        return RawEvent.of(new CloudEventJson().write(event), null, null, "test");
    }
}
