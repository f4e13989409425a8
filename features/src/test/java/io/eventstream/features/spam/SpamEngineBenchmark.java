package io.eventstream.features.spam;

import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEvent;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A tiny benchmark of the per-event work, no Flink: {@link SpamFeatureEngine#apply} on ~1M synthetic
 * inputs (default configuration), with states kept as objects (heap state backend) and with a
 * serialize/deserialize per event (what RocksDB costs on top), plus {@link SpamInputs#from} on
 * CloudEvents. Prints wall and thread-CPU figures; asserts nothing.
 *
 * <p>Run: {@code java -cp features/target/classes:features/target/test-classes:<deps> \
 * io.eventstream.features.spam.SpamEngineBenchmark [events] [users]}
 */
public final class SpamEngineBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SpamEngineBenchmark() {}

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        SpamFeatureSet featureSet = new SpamFeatureSet(SpamJobConfig.defaults());
        SpamFeatureEngine engine = new SpamFeatureEngine(featureSet);
        List<SpamInput> inputs = syntheticInputs(n, users, new SplittableRandom(42));
        System.out.printf(
                "%d inputs, %d users, %d feature columns, JVM %s, %d cores%n",
                n,
                users,
                featureSet.featureSchema().columns().size(),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());

        for (int round = 1; round <= 3; round++) {
            Map<Long, SpamUserState> states = new HashMap<>();
            long rows = 0;
            long wall = System.nanoTime();
            long cpu = THREADS.getCurrentThreadCpuTime();
            for (SpamInput input : inputs) {
                SpamUserState state = states.get(input.userId);
                if (state == null) {
                    state = engine.newState();
                    states.put(input.userId, state);
                }
                if (engine.apply(state, input) != null) {
                    rows++;
                }
            }
            report("apply, heap states   round " + round, n, rows, wall, cpu);
            if (round == 3) {
                long bytes = 0;
                for (SpamUserState state : states.values()) {
                    bytes += serialize(state).length;
                }
                System.out.printf(
                        "  serialized state: %d users, %.0f bytes per user on average%n",
                        states.size(), (double) bytes / states.size());
            }
        }

        Map<Long, byte[]> serialized = new HashMap<>();
        long wall = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        long rows = 0;
        for (SpamInput input : inputs) {
            byte[] bytes = serialized.get(input.userId);
            SpamUserState state =
                    bytes == null ? engine.newState() : SpamUserState.read(new DataInputStream(new UnsyncInput(bytes)));
            if (engine.apply(state, input) != null) {
                rows++;
            }
            serialized.put(input.userId, serialize(state));
        }
        report("apply + state read/write per event", n, rows, wall, cpu);

        int m = Math.min(n, 300_000);
        List<CloudEvent> events = new RandomSpamEvents(7, users, 50, 0, 10, 1_000, 60_000).events(m);
        SpamInputs reducer =
                new SpamInputs(RandomSpamEvents.HOST, SpamFeatureEngineReferenceTest.KEY, EmailDomains.shipped());
        for (int round = 1; round <= 2; round++) {
            wall = System.nanoTime();
            cpu = THREADS.getCurrentThreadCpuTime();
            long relevant = 0;
            for (CloudEvent event : events) {
                if (reducer.from(event) != null) {
                    relevant++;
                }
            }
            report("SpamInputs.from      round " + round, m, relevant, wall, cpu);
        }
    }

    private static void report(String what, long n, long out, long wallStart, long cpuStart) {
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        System.out.printf(
                "%-40s %,12.0f events/s wall, %,12.0f events/s per CPU-second (%d outputs, %.2f s wall, %.2f s CPU)%n",
                what, n / wallSeconds, n / cpuSeconds, out, wallSeconds, cpuSeconds);
    }

    private static byte[] serialize(SpamUserState state) throws IOException {
        UnsyncOutput bytes = new UnsyncOutput();
        state.write(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    // java.io's byte-array streams synchronize every byte; Flink's DataOutputSerializer and
    // DataInputDeserializer do not, so these stand in for them.
    private static final class UnsyncOutput extends OutputStream {
        private byte[] buffer = new byte[256];
        private int size;

        @Override
        public void write(int b) {
            if (size == buffer.length) {
                buffer = Arrays.copyOf(buffer, size * 2);
            }
            buffer[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (size + len > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(size * 2, size + len));
            }
            System.arraycopy(b, off, buffer, size, len);
            size += len;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, size);
        }
    }

    private static final class UnsyncInput extends InputStream {
        private final byte[] bytes;
        private int position;

        UnsyncInput(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= bytes.length) {
                return -1;
            }
            int n = Math.min(len, bytes.length - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }

    /** Time-ordered inputs over about three days; a Zipf-like skew makes some users busy. */
    static List<SpamInput> syntheticInputs(int n, int users, SplittableRandom random) {
        List<SpamInput> inputs = new ArrayList<>(n);
        long time = RandomSpamEvents.T0;
        long step = Math.max(1, 3L * 86_400_000L / n);
        for (int i = 0; i < n; i++) {
            time += random.nextLong(2 * step + 1);
            SpamInput input = new SpamInput();
            input.eventId = Long.toString(i, 36);
            input.timeMillis = time;
            double u = random.nextDouble();
            input.userId = 1 + (long) (users * u * u * u);
            int kind = random.nextInt(100);
            input.kind = kind < 65
                    ? SpamInput.NOTE_CREATED
                    : kind < 80
                            ? SpamInput.ISSUE_OPENED
                            : kind < 86
                                    ? SpamInput.MERGE_REQUEST_OPENED
                                    : kind < 90
                                            ? SpamInput.USER_CREATED
                                            : kind < 96
                                                    ? SpamInput.MEMBER_ADDED
                                                    : kind < 98 ? SpamInput.MEMBER_REMOVED : SpamInput.SPAM_VERDICT;
            input.projectId = 1L + random.nextInt(500);
            input.noteableType = "Issue";
            input.textLength = random.nextInt(2000);
            input.titleLength = input.kind == SpamInput.NOTE_CREATED ? null : random.nextInt(80);
            input.linkCount = random.nextInt(4);
            input.externalLinkCount = random.nextInt(input.linkCount + 1);
            input.mentionCount = random.nextInt(3);
            input.uppercaseRatio = random.nextDouble();
            input.hasCodeBlock = random.nextInt(10) == 0;
            input.textHash = random.nextInt(50);
            input.emailDomainClass = "webmail";
            input.emailDomainHash = "0123456789abcdef";
            inputs.add(input);
        }
        return inputs;
    }
}
