package io.eventstream.jobs.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one Flink MiniCluster of the jobs module's tests: started by the first test class that asks
 * for it ({@code @ExtendWith(FlinkTestCluster.class)}), shared by every later class, stopped when
 * the test JVM's JUnit run ends. Starting a cluster costs a few seconds; one per class would
 * multiply that for nothing.
 *
 * <p>One task manager with {@value #SLOTS} slots, so jobs up to parallelism 4 run. While it runs,
 * {@code StreamExecutionEnvironment.getExecutionEnvironment(...)} returns an environment on this
 * cluster, also inside production code such as the CLI commands.
 */
public final class FlinkTestCluster implements BeforeAllCallback {
    public static final int SLOTS = 4;

    private static MiniClusterResource cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(FlinkTestCluster.class, key -> start(), Running.class);
    }

    /** The running cluster; only between the first {@code beforeAll} and the end of the run. */
    public static MiniCluster miniCluster() {
        if (cluster == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(FlinkTestCluster.class)");
        }
        return cluster.getMiniCluster();
    }

    private static Running start() {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        MiniClusterResource resource = new MiniClusterResource(new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(conf)
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(SLOTS)
                .build());
        try {
            resource.before();
        } catch (Exception e) {
            throw new IllegalStateException("the MiniCluster did not start", e);
        }
        cluster = resource;
        TestStreamEnvironment.setAsContext(resource.getMiniCluster(), 1);
        return new Running(resource);
    }

    /** Stops the cluster when JUnit closes the root store (end of the run). */
    private record Running(MiniClusterResource resource) implements AutoCloseable {
        @Override
        public void close() {
            TestStreamEnvironment.unsetAsContext();
            cluster = null;
            resource.after();
        }
    }
}
