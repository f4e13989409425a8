package io.eventstream.connectors.online;

import io.eventstream.connectors.metrics.EventTimeDelay;
import io.eventstream.features.datasets.Column;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.types.Row;

/**
 * Flink sink (Sink V2) that upserts {@link Row}s (fields in the spec's column order) into an
 * online table, SQLite or Redis by {@link OnlineStores store URI}.
 *
 * <h2>Freshness versus throughput</h2>
 * Each subtask buffers rows and writes them in one batch when {@code batchSize} distinct keys are
 * buffered, or when the oldest buffered row has waited {@code maxDelay}, whichever comes first, and
 * always before a checkpoint and at end of input. A larger batch size and delay mean fewer round
 * trips and transactions (throughput); a smaller delay means values reach readers sooner
 * (freshness). Within a buffer only the newest row per key is kept, so a hot entity costs one
 * write per batch, not one per event.
 *
 * <h2>Delivery</h2>
 * The buffer is flushed before every checkpoint barrier, so rows of a completed checkpoint are in
 * the store. After a failure Flink replays rows since the last checkpoint; the store's newest-wins
 * upsert ({@link OnlineStore}) makes these repeats no-ops: at-least-once delivery, exactly-once
 * effect. The buffer is bounded by {@code batchSize} keys; a write blocks the subtask while it
 * runs (backpressure instead of unbounded memory).
 *
 * <h2>Outages</h2>
 * A failed write keeps the buffer, closes the connection and retries the whole batch with bounded
 * exponential backoff and jitter, reconnecting each time ({@link OutageRetry}); the subtask is
 * blocked meanwhile, so upstream operators and the Kafka source slow down instead of rows piling
 * up. A checkpoint barrier waits for the same flush, so no checkpoint completes with rows that
 * are not in the store. An outage shorter than {@code maxOutage} ({@code online.max_outage}) is
 * only a delay; past it the write fails with {@link OnlineStoreOutageException} and the job
 * restarts from its last checkpoint under its restart strategy. A fresh job (first attempt, no
 * restored checkpoint) that cannot open its store fails at once, without restarts: that is a
 * setting to fix, not an outage to wait out. A restarted one waits for the store like a running
 * one. Cancelling the job interrupts the wait. {@link SinkWriter#close()} never throws.
 *
 * <h2>Metrics</h2> (on the sink writer's metric group)
 * {@code onlineRowsUpserted} (rows handed to the store, after per-key dedup),
 * {@code onlineRowsReceived}, {@code onlineBatches}, {@code onlineFlushLatencyMs} (histogram),
 * {@code onlineBufferedRows} (gauge); {@code numRecordsSend} counts upserted rows too; in group
 * {@code table=<table>}: {@code freshnessMs}, a histogram of (write time − event time) of every row
 * written, taken when its batch's write returned.
 */
public final class OnlineTableSink implements Sink<Row> {

    private static final long serialVersionUID = 1L;

    /** Default of {@code online.max_outage}. */
    public static final Duration DEFAULT_MAX_OUTAGE = Duration.ofMinutes(5);

    private final OnlineTableSpec spec;
    private final String storeUri;
    private final int batchSize;
    private final Duration maxDelay;
    private final Duration maxOutage;

    /**
     * @param storeUri   {@code sqlite:PATH}, {@code redis://...} or {@code rediss://...}
     * @param batchSize  at most this many distinct keys are buffered per subtask before a write
     * @param maxDelay   at most this long a row waits in the buffer (processing time); positive
     */
    public OnlineTableSink(OnlineTableSpec spec, String storeUri, int batchSize, Duration maxDelay) {
        this(spec, storeUri, batchSize, maxDelay, DEFAULT_MAX_OUTAGE);
    }

    /**
     * @param maxOutage  longest a store may keep failing before the sink fails the job
     *                   ({@code online.max_outage}); positive
     */
    public OnlineTableSink(
            OnlineTableSpec spec, String storeUri, int batchSize, Duration maxDelay, Duration maxOutage) {
        this.spec = Objects.requireNonNull(spec, "spec");
        OnlineStores.validate(storeUri);
        if (batchSize < 1) {
            throw new IllegalArgumentException("online sink batchSize must be at least 1: " + batchSize);
        }
        if (maxDelay == null || maxDelay.toMillis() < 1) {
            throw new IllegalArgumentException("online sink maxDelay must be at least 1 ms: " + maxDelay);
        }
        if (maxOutage == null || maxOutage.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "online sink maxOutage (online.max_outage) must be positive: " + maxOutage);
        }
        this.storeUri = storeUri;
        this.batchSize = batchSize;
        this.maxDelay = maxDelay;
        this.maxOutage = maxOutage;
    }

    /**
     * Attaches the sink to {@code rows} with uid {@code online-<table>} and name
     * {@code online table <table> (<scheme>)}; the sink runs at the stream's parallelism.
     *
     * @param batchSize  rows (distinct keys) per write: throughput side of the trade-off
     * @param maxDelay   longest time a row waits before it is written: freshness side
     */
    public static DataStreamSink<Row> addTo(
            DataStream<Row> rows, OnlineTableSpec spec, String storeUri, int batchSize, Duration maxDelay) {
        return addTo(rows, spec, storeUri, batchSize, maxDelay, DEFAULT_MAX_OUTAGE);
    }

    /** {@link #addTo(DataStream, OnlineTableSpec, String, int, Duration)} with an outage limit ({@code online.max_outage}). */
    public static DataStreamSink<Row> addTo(
            DataStream<Row> rows,
            OnlineTableSpec spec,
            String storeUri,
            int batchSize,
            Duration maxDelay,
            Duration maxOutage) {
        return rows.sinkTo(new OnlineTableSink(spec, storeUri, batchSize, maxDelay, maxOutage))
                .uid("online-" + spec.table())
                .name("online table " + spec.table() + " (" + OnlineStores.validate(storeUri) + ")");
    }

    /** Type information for a stream of this table's rows (named fields in column order), no Kryo. */
    public static RowTypeInfo rowTypeInfo(OnlineTableSpec spec) {
        List<Column> columns = spec.columns();
        TypeInformation<?>[] types = new TypeInformation<?>[columns.size()];
        String[] names = new String[columns.size()];
        for (int i = 0; i < types.length; i++) {
            names[i] = columns.get(i).name();
            types[i] = switch (columns.get(i).type()) {
                case STRING -> Types.STRING;
                case INT -> Types.INT;
                case LONG, TIMESTAMP_MILLIS -> Types.LONG;
                case DOUBLE -> Types.DOUBLE;
                case BOOLEAN -> Types.BOOLEAN;
            };
        }
        return new RowTypeInfo(types, names);
    }

    @Override
    public SinkWriter<Row> createWriter(WriterInitContext context) throws IOException {
        OutageRetry store = new OutageRetry(
                spec.table(), OnlineStores.redact(storeUri), () -> OnlineStores.open(storeUri, spec), maxOutage);
        boolean freshStart = context.getTaskInfo().getAttemptNumber() == 0
                && context.getRestoredCheckpointId().isEmpty();
        if (freshStart) {
            try {
                store.openNow();
            } catch (OnlineStoreException e) {
                // Restarting would only repeat this: fail the job now with the store's message.
                throw new SuppressRestartsException(e);
            }
        }
        return new Writer(
                spec, store, batchSize, maxDelay.toMillis(), context.getProcessingTimeService(), context.metricGroup());
    }

    /** One per subtask: buffers newest row per key, writes on size, delay, checkpoint or end. */
    private static final class Writer implements SinkWriter<Row> {

        private static final int LATENCY_WINDOW = 500;

        private final OnlineTableSpec spec;
        private final OutageRetry store;
        private final int batchSize;
        private final long maxDelayMillis;
        private final ProcessingTimeService time;
        private final int eventTimeIndex;
        private final int[] keyIndexes;
        private final int arity;
        private final Map<List<Object>, Object[]> buffer = new LinkedHashMap<>();
        private final Counter rowsReceived;
        private final Counter rowsUpserted;
        private final Counter recordsSend;
        private final Counter batches;
        private final Histogram flushLatencyMs;
        private final EventTimeDelay freshness;
        private long oldestBufferedAt;
        private boolean timerPending;

        Writer(
                OnlineTableSpec spec,
                OutageRetry store,
                int batchSize,
                long maxDelayMillis,
                ProcessingTimeService time,
                SinkWriterMetricGroup metrics) {
            this.spec = spec;
            this.store = store;
            this.batchSize = batchSize;
            this.maxDelayMillis = maxDelayMillis;
            this.time = time;
            this.eventTimeIndex = spec.schema().timeIndex();
            this.keyIndexes = spec.keyIndexes();
            this.arity = spec.columns().size();
            this.rowsReceived = metrics.counter("onlineRowsReceived");
            this.rowsUpserted = metrics.counter("onlineRowsUpserted");
            this.recordsSend = metrics.getNumRecordsSendCounter();
            this.batches = metrics.counter("onlineBatches");
            this.flushLatencyMs =
                    metrics.histogram("onlineFlushLatencyMs", new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
            metrics.gauge("onlineBufferedRows", buffer::size);
            this.freshness = EventTimeDelay.register(metrics.addGroup("table", spec.table()), "freshnessMs");
        }

        @Override
        public void write(Row row, Context context) throws IOException, InterruptedException {
            if (row.getArity() != arity) {
                throw new IllegalArgumentException(
                        "online table " + spec.table() + " takes rows of " + arity + " fields, got " + row.getArity());
            }
            // Copy out of the Row: with object reuse Flink may hand us the same instance again.
            Object[] values = new Object[arity];
            for (int i = 0; i < arity; i++) {
                values[i] = row.getField(i);
            }
            spec.checkRow(values);
            rowsReceived.inc();
            List<Object> key = new ArrayList<>(keyIndexes.length);
            for (int index : keyIndexes) {
                key.add(values[index]);
            }
            if (buffer.isEmpty()) {
                oldestBufferedAt = time.getCurrentProcessingTime();
            }
            buffer.merge(key, values, this::newer);
            if (buffer.size() >= batchSize) {
                flushBuffer();
            } else if (!timerPending) {
                scheduleFlush(oldestBufferedAt + maxDelayMillis);
            }
        }

        @Override
        public void flush(boolean endOfInput) throws InterruptedException {
            flushBuffer();
        }

        /** Never throws: a failure here would turn a task failure into a TaskManager crash. */
        @Override
        public void close() {
            // Rows still buffered here belong to no completed checkpoint: a restart replays them.
            store.close();
        }

        private Object[] newer(Object[] buffered, Object[] incoming) {
            long bufferedTime = (Long) buffered[eventTimeIndex];
            long incomingTime = (Long) incoming[eventTimeIndex];
            if (bufferedTime != incomingTime) {
                return incomingTime > bufferedTime ? incoming : buffered;
            }
            // Equal event time: the same tie-break as the stores, so dedup here changes nothing.
            return RowDigest.of(spec, incoming).compareTo(RowDigest.of(spec, buffered)) > 0 ? incoming : buffered;
        }

        /** Timer callbacks run in the task's mailbox thread, never concurrently with write(). */
        private void scheduleFlush(long at) {
            timerPending = true;
            time.registerTimer(at, firedAt -> {
                timerPending = false;
                if (buffer.isEmpty()) {
                    return;
                }
                if (firedAt >= oldestBufferedAt + maxDelayMillis) {
                    flushBuffer();
                } else {
                    scheduleFlush(oldestBufferedAt + maxDelayMillis);
                }
            });
        }

        /** The rows are readable now: how long after their event time. */
        private void recordFreshness(List<Object[]> written) {
            long now = System.currentTimeMillis();
            for (Object[] row : written) {
                freshness.record(now, (Long) row[eventTimeIndex]);
            }
        }

        /** Blocks through an outage (see the class comment); the buffer is cleared only once written. */
        private void flushBuffer() throws InterruptedException {
            if (buffer.isEmpty()) {
                return;
            }
            List<Object[]> rows = new ArrayList<>(buffer.values());
            long started = System.nanoTime();
            store.upsert(rows);
            flushLatencyMs.update((System.nanoTime() - started) / 1_000_000);
            recordFreshness(rows);
            buffer.clear();
            rowsUpserted.inc(rows.size());
            recordsSend.inc(rows.size());
            batches.inc();
        }
    }
}
