package io.eventstream.gateway;

import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether Kafka answers, probed in the background every {@value #PROBE_MS} ms: {@code /readyz} reports it,
 * and while it is down deliveries are answered 503 at once instead of waiting out the delivery timeout.
 */
final class KafkaHealth implements AutoCloseable {
    static final int PROBE_MS = 500;
    private static final int PROBE_TIMEOUT_MS = 1_000;

    private final Admin admin;
    private final ScheduledExecutorService prober;
    private volatile boolean reachable;

    KafkaHealth(String bootstrap, Properties securityProperties) {
        Properties props = new Properties();
        props.putAll(securityProperties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(PROBE_TIMEOUT_MS));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(PROBE_TIMEOUT_MS));
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "eventstream-gateway-health");
        this.admin = Admin.create(props);
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "gateway-kafka-health");
            thread.setDaemon(true);
            return thread;
        });
        probe();
        prober.scheduleWithFixedDelay(this::probe, PROBE_MS, PROBE_MS, TimeUnit.MILLISECONDS);
    }

    boolean reachable() {
        return reachable;
    }

    double reachableAsDouble() {
        return reachable ? 1 : 0;
    }

    private void probe() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(PROBE_TIMEOUT_MS))
                    .nodes()
                    .get(PROBE_TIMEOUT_MS + 200L, TimeUnit.MILLISECONDS);
            reachable = true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            reachable = false;
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
