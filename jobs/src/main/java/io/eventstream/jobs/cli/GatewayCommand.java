package io.eventstream.jobs.cli;

import io.eventstream.gateway.GatewayMain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eventstream gateway}: receives GitLab webhooks and system hooks and produces canonical events to Kafka. */
@Command(
        name = "gateway",
        mixinStandardHelpOptions = true,
        description = {
            "Receives GitLab webhooks and system hooks on POST /hooks/<source> and produces canonical CloudEvents",
            "to Kafka, answering 200 only after Kafka acknowledged them. Also /healthz, /readyz, /metrics.",
            "Stops gracefully on SIGTERM (drains in-flight deliveries). Settings: gateway/README.md, docs/gateway.md."
        },
        footer = {"", "Example:", "  eventstream gateway --config deploy/config/gateway.yaml --kafka 127.0.0.1:9092"})
public final class GatewayCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Gateway config YAML.")
    Path config;

    @Option(
            names = "--kafka",
            paramLabel = "BOOTSTRAP",
            description = "Kafka bootstrap servers (overrides kafka.bootstrap).")
    String kafka;

    @Option(
            names = "--kafka-properties",
            paramLabel = "FILE",
            description = "Kafka client properties (security.protocol, sasl.*, ssl.*) for a secured cluster.")
    Path kafkaProperties;

    @Override
    public Integer call() throws Exception {
        return GatewayMain.run(config, kafka, kafkaProperties);
    }
}
