package io.eventstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code run ... --metrics-port}: the embedded MiniCluster gets Flink's Prometheus reporter. */
class MetricsPortTest {

    private static String get(ReadableConfig config, String key) {
        return config.get(ConfigOptions.key(key).stringType().noDefaultValue());
    }

    @Test
    void theOptionConfiguresThePrometheusReporterOfTheEmbeddedRun() throws Exception {
        JobOutputOptions options = new JobOutputOptions();
        new CommandLine(options).parseArgs("--metrics-port", "9876");
        assertThat(options.metricsPort).isEqualTo(9876);

        ReadableConfig config = JobOutputOptions.environment(null, 1000, null, options.metricsPort).getConfiguration();
        assertThat(get(config, "metrics.reporter.prom.factory.class")).isEqualTo(JobOutputOptions.PROMETHEUS_REPORTER_FACTORY);
        assertThat(get(config, "metrics.reporter.prom.port")).isEqualTo("9876");

        ReadableConfig without = JobOutputOptions.environment(null, 1000, null, null).getConfiguration();
        assertThat(get(without, "metrics.reporter.prom.factory.class")).isNull();
    }

    @Test
    void theReporterFactoryIsOnTheClasspath() {
        // What the MiniCluster does with the factory class name: load it as a service.
        assertThat(ServiceLoader.load(MetricReporterFactory.class).stream().map(p -> p.type().getName()))
                .contains(JobOutputOptions.PROMETHEUS_REPORTER_FACTORY);
    }
}
