package io.eventstream.jobs.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.jobs.cli.SourceOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive job's outputs as its savepoints know them. */
class ArchiveOutputsTest {

    @TempDir
    Path temp;

    @Test
    void everyOperatorKeepsTheUidItsSavepointsFindItBy() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Path events = Files.writeString(temp.resolve("events.jsonl"), "");

        ArchiveTopology.defineWorkflow(
                env,
                SourceOptions.files(List.of(events)),
                ArchiveTestData.CONFIG,
                new ArchiveOutputs(temp.resolve("archive")));

        assertThat(env.getStreamGraph().getStreamNodes().stream()
                        .map(StreamNode::getTransformationUID)
                        .toList())
                .containsExactlyInAnyOrder(
                        "source-files",
                        "archive-decode",
                        "dataset-events-writer",
                        "dataset-events-committer",
                        "dataset-events-end",
                        "archive-dead-letter-rows",
                        "dataset-dead_letters-writer",
                        "dataset-dead_letters-committer",
                        "dataset-dead_letters-end");
    }
}
