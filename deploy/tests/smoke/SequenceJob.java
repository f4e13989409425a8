import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The smoke test's stand-in for a real job: the numbers 1..count, slowed down so the job runs
 * long enough to be listed, stopped with a savepoint and hit by a TaskManager crash, written
 * exactly once (checkpointed source, file sink committing on checkpoints) as text files.
 *
 * <p>Arguments: count, output directory, milliseconds of sleep per number.
 */
public final class SequenceJob {

    public static void main(String[] args) throws Exception {
        long count = Long.parseLong(args[0]);
        String out = args[1];
        long sleepMillis = Long.parseLong(args[2]);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(1000);
        env.fromSequence(1, count).uid("numbers").name("numbers")
                // A network shuffle, so a crashed TaskManager fails the tasks on the other one too.
                .rebalance()
                .map(new Throttle(sleepMillis)).uid("throttle").name("throttle")
                .sinkTo(FileSink.forRowFormat(new Path(out), new SimpleStringEncoder<Long>()).build())
                .uid("files").name("files");
        env.execute("deploy-smoke-sequence");
    }

    /** Passes each number on after a pause. */
    private static final class Throttle implements MapFunction<Long, Long> {
        private final long sleepMillis;

        Throttle(long sleepMillis) {
            this.sleepMillis = sleepMillis;
        }

        @Override
        public Long map(Long value) throws Exception {
            Thread.sleep(sleepMillis);
            return value;
        }
    }
}
