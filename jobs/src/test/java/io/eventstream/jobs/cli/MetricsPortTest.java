package io.eventstream.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstream.jobs.common.JobEnvironment;
import java.util.ServiceLoader;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
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
        assertThat(options.execution.metricsPort).isEqualTo(9876);

        ReadableConfig config = JobEnvironment.create(null, 1000, null, options.execution.metricsPort)
                .getConfiguration();
        assertThat(get(config, "metrics.reporter.prom.factory.class"))
                .isEqualTo(JobEnvironment.PROMETHEUS_REPORTER_FACTORY);
        assertThat(get(config, "metrics.reporter.prom.port")).isEqualTo("9876");

        ReadableConfig without = JobEnvironment.create(null, 1000, null, null).getConfiguration();
        assertThat(get(without, "metrics.reporter.prom.factory.class")).isNull();
    }

    @Test
    void theReporterFactoryIsOnTheClasspath() {
        // What the MiniCluster does with the factory class name: load it as a service.
        assertThat(ServiceLoader.load(MetricReporterFactory.class).stream()
                        .map(p -> p.type().getName()))
                .contains(JobEnvironment.PROMETHEUS_REPORTER_FACTORY);
    }
}
