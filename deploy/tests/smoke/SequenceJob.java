import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The smoke test's stand-in for a real job: the numbers 1..count written exactly once
 * (checkpointed source, file sink committing on checkpoints) as text files.
 *
 * <p>While the gate file exists every number takes 50 ms, so the test can list the job, kill a
 * TaskManager or stop it with a savepoint in the middle of the stream however slow the machine
 * is; once the test deletes the file the job runs to the end at full speed.
 *
 * <p>Arguments: count, output directory, gate file.
 */
public final class SequenceJob {

    public static void main(String[] args) throws Exception {
        long count = Long.parseLong(args[0]);
        String out = args[1];
        String gate = args[2];

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(1000);
        env.fromSequence(1, count).uid("numbers").name("numbers")
                // Slowed down before the shuffle, so no backlog of numbers queues up ahead of the
                // checkpoint barriers.
                .map(new WhileGateExists(gate)).uid("gate").name("gate")
                // A network shuffle, so a crashed TaskManager fails the tasks on the other one too.
                .rebalance()
                // Part files roll (and become visible) on every checkpoint and savepoint, as the
                // Parquet datasets of the real jobs do.
                .sinkTo(FileSink.forRowFormat(new Path(out), new SimpleStringEncoder<Long>())
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .build())
                .uid("files").name("files");
        env.execute("deploy-smoke-sequence");
    }

    /** Passes each number on, after a pause while the gate file exists. */
    private static final class WhileGateExists implements MapFunction<Long, Long> {
        private final String gate;

        WhileGateExists(String gate) {
            this.gate = gate;
        }

        @Override
        public Long map(Long value) throws Exception {
            if (Files.exists(Paths.get(gate))) {
                Thread.sleep(50);
            }
            return value;
        }
    }
}
