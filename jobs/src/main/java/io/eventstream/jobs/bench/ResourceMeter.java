package io.eventstream.jobs.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * remainder.
 *
 * <p>The JVM's own threads are not Java threads to the thread MXBean: on Linux the JIT compiler
 * threads' and the garbage collector's CPU time is read from {@code /proc/self/task} at the start and
 * the end (JIT compiling is what a short run pays and a job that runs for days does not, so a
 * benchmark can show the run with and without it). Elsewhere both stay in the remainder.
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
    public static final String JIT_COMPILER_THREADS = "JIT compiler threads";
    public static final String GC_THREADS = "GC threads";
    public static final String OUTSIDE_JAVA_THREADS = "outside java threads (other VM threads; ended threads' tail)";

    /** Linux's USER_HZ, the unit of a thread's CPU times in {@code /proc}: 100 on every mainstream architecture. */
    private static final long NANOS_PER_CLOCK_TICK = 10_000_000L;

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
    /** CPU time of the JVM's native threads (JIT, GC) at the start, by Linux thread id and group. */
    private final Map<Long, VmThreadCpu> vmThreadsAtStart;
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
        vmThreadsAtStart = vmThreadCpu();
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
     *                             cycles, elapsed time, not CPU: the GC threads' CPU is a group above)
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
        Map<Long, VmThreadCpu> vmThreadsAtEnd = vmThreadCpu();
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
        accounted += samplerCpu;
        for (String group : new String[] {JIT_COMPILER_THREADS, GC_THREADS}) {
            long used = 0;
            for (Map.Entry<Long, VmThreadCpu> thread : vmThreadsAtEnd.entrySet()) {
                VmThreadCpu before = vmThreadsAtStart.get(thread.getKey());
                if (thread.getValue().group().equals(group)) {
                    used += thread.getValue().cpuNanos() - (before == null ? 0 : before.cpuNanos());
                }
            }
            // /proc counts in clock ticks: never more than the remainder, so the groups still add up.
            used = Math.min(used, Math.max(0, cpu - accounted));
            groups.put(group, used);
            accounted += used;
        }
        groups.put(OUTSIDE_JAVA_THREADS, Math.max(0, cpu - accounted));
        return new Usage(
                wall,
                cpu,
                peakHeapBytes,
                groups,
                gcMillis() - startGcMillis,
                gcCount() - startGcCount,
                jitMillis() - startJitMillis);
    }

    /** A JVM-internal thread's group and CPU time (user + system). */
    private record VmThreadCpu(String group, long cpuNanos) {}

    /**
     * The JIT compiler and GC threads of this process with their CPU time, from {@code
     * /proc/self/task/<tid>/stat}; empty where there is no such file system. HotSpot names them "C1
     * CompilerThre"/"C2 CompilerThre" (the kernel keeps 15 characters) and "GC Thread#n", "G1 ...".
     */
    private static Map<Long, VmThreadCpu> vmThreadCpu() {
        Map<Long, VmThreadCpu> found = new HashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return found;
        }
        try (DirectoryStream<Path> threadDirs = Files.newDirectoryStream(tasks)) {
            for (Path thread : threadDirs) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"), StandardCharsets.UTF_8);
                } catch (java.io.IOException ended) {
                    continue; // the thread ended since the listing
                }
                // "<tid> (<name>) <state> ...": the name may hold spaces and parentheses, so split after the last ')'.
                int close = stat.lastIndexOf(')');
                String name = stat.substring(stat.indexOf('(') + 1, close);
                String group = name.matches("C[12] CompilerThre.*")
                        ? JIT_COMPILER_THREADS
                        : name.startsWith("GC Thread") || name.startsWith("G1 ") ? GC_THREADS : null;
                if (group == null) {
                    continue;
                }
                // Fields after the name, from the state (field 3): utime is field 14, stime field 15.
                String[] fields = stat.substring(close + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                found.put(
                        Long.parseLong(thread.getFileName().toString()),
                        new VmThreadCpu(group, ticks * NANOS_PER_CLOCK_TICK));
            }
        } catch (java.io.IOException e) {
            return Map.of();
        }
        return found;
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
