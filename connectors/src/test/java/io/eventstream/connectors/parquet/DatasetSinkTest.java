package io.eventstream.connectors.parquet;

import static io.eventstream.connectors.parquet.DatasetTestSupport.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology {@link DatasetSink#addTo} builds, and how it decides to commit at end of input. */
class DatasetSinkTest {

    @TempDir
    Path root;

    private static DataStream<Row> rows(RuntimeExecutionMode mode, boolean checkpointing) {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, mode);
        if (checkpointing) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(10));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        return env.fromSequence(0, 9).map(i -> DatasetTestSupport.row(i, i)).returns(DatasetRows.typeInfo(SCHEMA));
    }

    @Test
    void writerThenSingleCommitterWithStableUids() {
        DatasetSink sink = DatasetSink.builder()
                .root(root)
                .schema(SCHEMA)
                .featureSet("{}", "fp")
                .build();
        DataStreamSink<?> end = sink.addTo(rows(RuntimeExecutionMode.STREAMING, true));

        Transformation<?> committer = end.getTransformation().getInputs().get(0);
        Transformation<?> writer = committer.getInputs().get(0);
        assertThat(end.getTransformation().getUid()).isEqualTo("dataset-test_rows-end");
        assertThat(committer.getUid()).isEqualTo("dataset-test_rows-committer");
        assertThat(committer.getName()).isEqualTo("dataset test_rows committer");
        assertThat(committer.getParallelism()).isEqualTo(1);
        assertThat(committer.getMaxParallelism()).isEqualTo(1);
        assertThat(writer.getUid()).isEqualTo("dataset-test_rows-writer");
        assertThat(writer.getName()).isEqualTo("dataset test_rows writer");
    }

    @Test
    void commitsAtEndOfInputOnlyWhenNoFinalCheckpointWillCome() {
        assertThat(DatasetSink.commitsAtEndOfInput(rows(RuntimeExecutionMode.STREAMING, true)))
                .isFalse();
        assertThat(DatasetSink.commitsAtEndOfInput(rows(RuntimeExecutionMode.STREAMING, false)))
                .isTrue();
        assertThat(DatasetSink.commitsAtEndOfInput(rows(RuntimeExecutionMode.BATCH, true)))
                .isTrue();
        // AUTOMATIC with only bounded sources runs as batch.
        assertThat(DatasetSink.commitsAtEndOfInput(rows(RuntimeExecutionMode.AUTOMATIC, true)))
                .isTrue();
    }
}
