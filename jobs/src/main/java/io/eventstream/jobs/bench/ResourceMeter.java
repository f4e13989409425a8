package io.eventstream.jobs.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what a stretch of work in this JVM costs: wall time, process CPU time (all threads,
 * GC and JIT included), peak heap, and CPU time per thread group, so a benchmark can say where
 * the CPU went. Start it right before the work and {@link #stop()} it right after.
 *
 * <p>A daemon thread samples the used heap every {@value #HEAP_SAMPLE_MILLIS} ms (the peak is the
 * largest sample, so it can miss a peak shorter than that) and every thread's CPU time every
 * {@value #THREAD_SAMPLE_MILLIS} ms. Flink task threads are grouped by operator chain and subtask, so
 * the CPU of e.g. "source, decode" and of "features per user, sinks" shows apart, and so does how a
 * chain's work is spread over its subtasks (one hot key keeps one subtask busy). A
 * thread that ends between two samples loses its last moments to the "outside Java threads"
 * remainder, which otherwise holds GC and JIT compiler time.
 */
public final class ResourceMeter {
    static final int HEAP_SAMPLE_MILLIS = 10;
    static final int THREAD_SAMPLE_MILLIS = 200;

    /** Flink names task threads {@code <operator chain> (<subtask>/<parallelism>)#<attempt>}. */
    private static final Pattern FLINK_TASK_THREAD = Pattern.compile("(.*) \\((\\d+)/(\\d+)\\)#\\d+$");

    private static final int CHAIN_NAME_CHARS = 90;

    /**
     * Prefix of the groups of Flink task threads, one group per operator chain and subtask: the chain's
     * name, followed by {@code (<subtask>/<parallelism>)} when the parallelism is more than 1.
     */
    public static final String FLINK_TASK_PREFIX = "task: ";

    public static final String KAFKA_FETCHERS = "kafka source fetcher threads";
    public static final String EARLIER_THREADS = "threads alive before the cluster (in-process kafka broker)";
    public static final String OTHER_RUN_THREADS = "other threads (flink runtime)";
    public static final String METER = "this meter's sampling thread";
    public static final String OUTSIDE_JAVA_THREADS = "outside java threads (GC, JIT; ended threads' tail)";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();

    private final long startWallNanos;
    private final long startProcessCpuNanos;
    private final long startGcMillis;
    private final long startGcCount;
    private final long startJitMillis;
    private final Set<Long> threadsBefore = new HashSet<>();
    private final Map<Long, Long> cpuAtStart = new HashMap<>();
    /** Latest CPU time seen per thread, and its name; written by the sampler only until it is joined. */
    private final Map<Long, Long> cpuSeen = new HashMap<>();

    private final Map<Long, String> names = new HashMap<>();
    private final long callerThread = Thread.currentThread().getId();
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long peakHeapBytes;

    private ResourceMeter(Set<Long> earlierThreads) {
        threadsBefore.addAll(earlierThreads);
        threads.setThreadCpuTimeEnabled(true);
        long[] ids = threads.getAllThreadIds();
        long[] cpu = threads.getThreadCpuTime(ids);
        for (int i = 0; i < ids.length; i++) {
            if (cpu[i] >= 0) {
                cpuAtStart.put(ids[i], cpu[i]);
            }
        }
        peakHeapBytes = memory.getHeapMemoryUsage().getUsed();
        sampler = new Thread(this::sample, "resource-meter");
        sampler.setDaemon(true);
        startGcMillis = gcMillis();
        startGcCount = gcCount();
        startJitMillis = jitMillis();
        startWallNanos = System.nanoTime();
        startProcessCpuNanos = os.getProcessCpuTime();
        sampler.start();
    }

    /**
     * Starts measuring now.
     *
     * @param earlierThreads  the threads that count as {@link #EARLIER_THREADS} (those alive before the Flink
     *                        cluster started: {@link #liveThreadIds()} then); every other thread that is not a
     *                        task's or a Kafka fetcher's is the Flink runtime's
     */
    public static ResourceMeter start(Set<Long> earlierThreads) {
        return new ResourceMeter(earlierThreads);
    }

    /** The ids of the threads alive now. */
    public static Set<Long> liveThreadIds() {
        Set<Long> ids = new HashSet<>();
        for (long id : ManagementFactory.getThreadMXBean().getAllThreadIds()) {
            ids.add(id);
        }
        return ids;
    }

    /**
     * What the work cost since {@link #start()}.
     *
     * @param wallNanos            elapsed time
     * @param processCpuNanos      CPU time of the whole process (all cores)
     * @param peakHeapBytes        largest sampled used heap
     * @param cpuNanosByGroup      CPU time per thread group (names above); they add up to the process total
     * @param gcMillis             time the collectors report spent collecting (pauses and concurrent
     *                             cycles, elapsed time: a hint at the GC part of the remainder, not CPU)
     * @param gcCount              collections
     * @param jitMillis            time the JIT compilers report spent compiling (elapsed, summed over compiler threads)
     */
    public record Usage(
            long wallNanos,
            long processCpuNanos,
            long peakHeapBytes,
            Map<String, Long> cpuNanosByGroup,
            long gcMillis,
            long gcCount,
            long jitMillis) {
        public double wallSeconds() {
            return wallNanos / 1e9;
        }

        public double cpuSeconds() {
            return processCpuNanos / 1e9;
        }
    }

    /** Stops sampling and returns the figures. */
    public Usage stop() {
        long wall = System.nanoTime() - startWallNanos;
        long cpu = os.getProcessCpuTime() - startProcessCpuNanos;
        running = false;
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sampleThreads();
        Map<String, Long> groups = new LinkedHashMap<>();
        for (String group : new String[] {KAFKA_FETCHERS, OTHER_RUN_THREADS, EARLIER_THREADS}) {
            groups.put(group, 0L);
        }
        long accounted = 0;
        long samplerId = sampler.getId();
        for (Map.Entry<Long, Long> entry : cpuSeen.entrySet()) {
            long id = entry.getKey();
            if (id == samplerId) {
                continue;
            }
            long used = entry.getValue() - cpuAtStart.getOrDefault(id, 0L);
            groups.merge(groupOf(id), used, Long::sum);
            accounted += used;
        }
        long samplerCpu = cpuSeen.getOrDefault(samplerId, 0L);
        groups.put(METER, samplerCpu);
        groups.put(OUTSIDE_JAVA_THREADS, Math.max(0, cpu - accounted - samplerCpu));
        return new Usage(
                wall,
                cpu,
                peakHeapBytes,
                groups,
                gcMillis() - startGcMillis,
                gcCount() - startGcCount,
                jitMillis() - startJitMillis);
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .filter(t -> t > 0)
                .sum();
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .filter(c -> c > 0)
                .sum();
    }

    private long jitMillis() {
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    private String groupOf(long id) {
        String name = names.getOrDefault(id, "");
        // Fetcher threads carry their task's name too ("Source Data Fetcher for Source: ... (1/2)#0").
        if (name.startsWith("Source Data Fetcher")) {
            return KAFKA_FETCHERS;
        }
        Matcher task = FLINK_TASK_THREAD.matcher(name);
        if (task.matches()) {
            String chain = task.group(1);
            String subtask = task.group(3).equals("1") ? "" : " (" + task.group(2) + "/" + task.group(3) + ")";
            return FLINK_TASK_PREFIX
                    + (chain.length() > CHAIN_NAME_CHARS ? chain.substring(0, CHAIN_NAME_CHARS) + "..." : chain)
                    + subtask;
        }
        if (threadsBefore.contains(id) || id == callerThread) {
            return EARLIER_THREADS;
        }
        return OTHER_RUN_THREADS;
    }

    private void sample() {
        long nextThreadSample = 0;
        while (running) {
            long used = memory.getHeapMemoryUsage().getUsed();
            if (used > peakHeapBytes) {
                peakHeapBytes = used;
            }
            long now = System.nanoTime();
            if (now >= nextThreadSample) {
                sampleThreads();
                nextThreadSample = now + THREAD_SAMPLE_MILLIS * 1_000_000L;
            }
            try {
                Thread.sleep(HEAP_SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sampleThreads() {
        long[] ids = threads.getAllThreadIds();
        long[] cpu = threads.getThreadCpuTime(ids);
        for (int i = 0; i < ids.length; i++) {
            if (cpu[i] < 0) {
                continue;
            }
            cpuSeen.put(ids[i], cpu[i]);
            if (!names.containsKey(ids[i])) {
                ThreadInfo info = threads.getThreadInfo(ids[i]);
                if (info != null) {
                    names.put(ids[i], info.getThreadName());
                }
            }
        }
    }
}
