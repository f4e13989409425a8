package io.eventstream.gateway;

import io.eventstream.features.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The gateway's own entry point, for its container image (no Flink on the classpath):
 * {@code java -cp 'lib/*' io.eventstream.gateway.GatewayMain --config FILE [--kafka BOOTSTRAP] [--kafka-properties FILE]}.
 * {@code eventstream gateway} takes the same options.
 */
public final class GatewayMain {
    private GatewayMain() {}

    public static void main(String[] args) throws Exception {
        Path config = null;
        String kafka = null;
        Path kafkaProperties = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--config" -> config = Path.of(required(args[i], value));
                case "--kafka" -> kafka = required(args[i], value);
                case "--kafka-properties" -> kafkaProperties = Path.of(required(args[i], value));
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        if (config == null) {
            usage("--config is required");
        }
        System.exit(run(config, kafka, kafkaProperties));
    }

    /** Loads the config, runs the gateway until SIGTERM; 2 for a bad config or missing bootstrap. */
    public static int run(Path config, String kafka, Path kafkaProperties) throws IOException, InterruptedException {
        GatewayConfig settings;
        try {
            settings = GatewayConfig.load(config);
        } catch (ConfigException e) {
            System.err.println(config + ":\n" + e.getMessage());
            return 2;
        }
        String bootstrap = kafka != null ? kafka : settings.bootstrap();
        if (bootstrap == null) {
            System.err.println("kafka.bootstrap: not set; give it in the config or with --kafka");
            return 2;
        }
        try (Gateway gateway = Gateway.start(settings, bootstrap, loadProperties(kafkaProperties), System.getenv())) {
            System.out.println("gateway: " + gateway.scheme() + "://" + settings.host() + ":" + gateway.port()
                    + "/hooks/<source> for "
                    + String.join(", ", settings.sources().keySet()));
            System.out.flush();
            gateway.runUntilStopped();
        }
        return 0;
    }

    /**
     * Kafka client properties (security.protocol, sasl.*, ssl.*) from a plain properties file, or none.
     * Values may be secrets: never printed.
     */
    public static Properties loadProperties(Path file) throws IOException {
        Properties properties = new Properties();
        if (file != null) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            }
        }
        return properties;
    }

    private static String required(String option, String value) {
        if (value == null) {
            usage(option + " needs a value");
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: GatewayMain --config FILE [--kafka BOOTSTRAP] [--kafka-properties FILE]");
        System.exit(2);
    }
}
