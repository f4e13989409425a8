package io.eventstream.jobs.cli;

import io.eventstream.jobs.bench.ResourceMeter;
import java.util.Set;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * One embedded Flink cluster that every round of a bench runs its job on, the way jobs run on a
 * session cluster: a round then costs what the job costs, not also the start and stop of a cluster
 * (with {@code env.execute()} every round started its own MiniCluster, on the calling thread: about
 * 4 CPU s and 3 s of wall time per round of {@code bench reviewers}, docs/benchmarks.md). A round's
 * job is submitted as {@code env.execute()} would submit it to its own cluster ({@code LocalExecutor}:
 * the stream graph with the environment's configuration) and waited for; a failed job throws as from
 * {@code execute()}.
 *
 * <p>Hand-written because Flink's own shared-cluster executor for tests
 * ({@code MiniClusterPipelineExecutorServiceLoader}) lives in flink-test-utils, which the CLI does
 * not ship.
 */
final class BenchCluster implements AutoCloseable {
    private final MiniCluster cluster;
    private final Set<Long> threadsBefore;

    private BenchCluster(MiniCluster cluster, Set<Long> threadsBefore) {
        this.cluster = cluster;
        this.threadsBefore = threadsBefore;
    }

    /**
     * Starts one TaskManager with {@code slots} slots, configured as {@code env}'s own MiniCluster would
     * be (its configuration; the REST endpoint on a free port).
     */
    static BenchCluster start(StreamExecutionEnvironment env, int slots) throws Exception {
        Set<Long> threadsBefore = ResourceMeter.liveThreadIds();
        Configuration configuration = configurationOf(env);
        if (!configuration.contains(RestOptions.BIND_PORT)) {
            configuration.set(RestOptions.BIND_PORT, "0");
        }
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .setRpcServiceSharing(RpcServiceSharing.SHARED)
                .build());
        cluster.start();
        return new BenchCluster(cluster, threadsBefore);
    }

    /** The threads that were alive before the cluster started (the in-process broker's among them). */
    Set<Long> threadsBefore() {
        return threadsBefore;
    }

    /** Runs the job {@code env} defines to its end; like {@code env.execute(jobName)}. */
    JobExecutionResult execute(StreamExecutionEnvironment env, String jobName) throws Exception {
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(jobName);
        StreamGraph submitted = PipelineExecutorUtils.getStreamGraph(graph, configurationOf(env));
        JobID job = cluster.submitJob(submitted).get().getJobID();
        JobResult result = cluster.requestJobResult(job).get();
        return result.toJobExecutionResult(BenchCluster.class.getClassLoader());
    }

    private static Configuration configurationOf(StreamExecutionEnvironment env) {
        return Configuration.fromMap(env.getConfiguration().toMap());
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
