package io.eventstream.jobs.bench;

import io.eventstream.features.config.SpamJobConfig;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.features.events.Decoded;
import io.eventstream.features.events.OrderedInput;
import io.eventstream.features.spam.SpamFeatureEngine;
import io.eventstream.features.spam.SpamFeatureSet;
import io.eventstream.features.spam.SpamInput;
import io.eventstream.features.spam.SpamInputs;
import io.eventstream.features.spam.SpamLabels;
import io.eventstream.features.spam.SpamUserState;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The practical limit of the spam features: the job's per-event work as a plain single-threaded
 * Java loop, no Flink, no Kafka, no output. Over JSON records already in memory it decodes each
 * ({@link CloudEventJson#read}), derives the label row ({@link SpamLabels#labelRow}) and the
 * {@link SpamInput} ({@link SpamInputs#from}), sorts the inputs by {@code (time, id)}, applies them
 * to per-user states ({@link SpamFeatureEngine#apply}) and builds every feature row and online row,
 * keeping only their count. Nothing is written (no Parquet, no SQLite).
 */
public final class SpamFeatureLoop {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final SpamJobConfig config;
    private final byte[] hashKey;

    public SpamFeatureLoop(SpamJobConfig config, byte[] hashKey) {
        this.config = config;
        this.hashKey = hashKey.clone();
    }

    /**
     * One timed pass and the states it ends with.
     *
     * @param records        records in
     * @param featureRows    content events, i.e. rows of {@code spam_features} (and online rows)
     * @param labelRows      rows of {@code spam_labels}
     * @param invalid        records that did not decode (dead letters in the job)
     * @param wallNanos      elapsed time of the pass
     * @param cpuNanos       CPU time of the calling thread during the pass
     * @param states         per-user states after the last event, by user id
     */
    public record Pass(
            long records,
            long featureRows,
            long labelRows,
            long invalid,
            long wallNanos,
            long cpuNanos,
            Map<Long, SpamUserState> states) {
        /** Records per CPU second of the one thread: the events/s one core can do. */
        public double eventsPerCpuSecond() {
            return records / (cpuNanos / 1e9);
        }
    }

    /** Runs the loop once over the records (structured-mode CloudEvents JSON). */
    public Pass run(List<byte[]> records) {
        long wall = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        CloudEventJson json = new CloudEventJson();
        SpamInputs reducer = new SpamInputs(config, hashKey);
        SpamFeatureEngine engine = new SpamFeatureEngine(new SpamFeatureSet(config));
        List<SpamInput> inputs = new ArrayList<>(records.size());
        long labels = 0;
        long invalid = 0;
        for (byte[] record : records) {
            Decoded<CloudEvent> decoded = json.read(record);
            if (!decoded.isOk()) {
                invalid++;
                continue;
            }
            if (SpamLabels.labelRow(decoded.value()) != null) {
                labels++;
            }
            SpamInput input = reducer.from(decoded.value());
            if (input != null) {
                inputs.add(input);
            }
        }
        inputs.sort(OrderedInput::compareOrder);
        Map<Long, SpamUserState> states = new HashMap<>();
        long rows = 0;
        for (SpamInput input : inputs) {
            SpamUserState state = states.computeIfAbsent(input.userId, user -> engine.newState());
            Object[] row = engine.apply(state, input);
            // The online row is built as the job builds it; testing it keeps the JIT from dropping it.
            if (row != null && engine.onlineRow(row).length > 0) {
                rows++;
            }
        }
        return new Pass(
                records.size(),
                rows,
                labels,
                invalid,
                System.nanoTime() - wall,
                THREADS.getCurrentThreadCpuTime() - cpu,
                states);
    }

    /**
     * State size: the users whose state would still be held at the last event (not expired by the
     * state TTL at {@code watermarkMillis}; tiles no window can reach any more dropped, as the job's
     * expiry timer does), and the bytes of their serialized states ({@link SpamUserState#write},
     * the encoding checkpoints use).
     */
    /**
     * @param onlineBytes the active users' {@code spam_user_state} rows as the stores hold them: every
     *                    column's text form (Redis field values; the {@code state} column is base64),
     *                    not counting field names, keys or store overhead
     */
    public record StateSize(long activeUsers, long totalBytes, long onlineBytes) {
        public double bytesPerActiveUser() {
            return activeUsers == 0 ? 0 : (double) totalBytes / activeUsers;
        }

        public double onlineBytesPerActiveUser() {
            return activeUsers == 0 ? 0 : (double) onlineBytes / activeUsers;
        }
    }

    /** Measures {@link StateSize} of the states of a pass; expires them in place. */
    public StateSize stateSize(Map<Long, SpamUserState> states, long watermarkMillis) {
        SpamFeatureEngine engine = new SpamFeatureEngine(new SpamFeatureSet(config));
        ByteCountingOutput counter = new ByteCountingOutput();
        DataOutputStream out = new DataOutputStream(counter);
        long active = 0;
        long online = 0;
        try {
            for (Map.Entry<Long, SpamUserState> user : states.entrySet()) {
                SpamUserState state = user.getValue();
                // The online row holds the state as of the user's last event (before any expiry).
                Object[] row = engine.stateRow(user.getKey(), state);
                if (engine.expire(state, watermarkMillis)) {
                    continue;
                }
                active++;
                state.write(out);
                for (Object value : row) {
                    online += value == null ? 0 : value.toString().length();
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("counting bytes cannot fail", e);
        }
        return new StateSize(active, counter.bytes(), online);
    }
}
