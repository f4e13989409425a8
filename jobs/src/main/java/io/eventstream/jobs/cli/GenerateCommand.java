package io.eventstream.jobs.cli;

import io.eventstream.connectors.kafka.KafkaClientProperties;
import io.eventstream.features.config.ConfigException;
import io.eventstream.features.events.CloudEvent;
import io.eventstream.features.events.CloudEventJson;
import io.eventstream.generator.GeneratorConfig;
import io.eventstream.generator.JsonLinesTruthSink;
import io.eventstream.generator.SyntheticEventGenerator;
import io.eventstream.generator.TruthSink;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eventstream generate}: synthetic GitLab activity as canonical CloudEvents, to a JSON-lines
 * file or a Kafka topic, with the ground truth beside it. Same options, same bytes.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Generates deterministic synthetic GitLab activity as canonical CloudEvents (structured JSON, one per line):",
            "sign-ups, projects, memberships, issues, pushes, merge requests with reviewers and approvals, comments,",
            "emoji, spammers, and delayed spam verdicts / abuse reports / blocks as labels. Same seed, same bytes.",
            "Events are in emission order: event time plus up to --max-jitter of out-of-orderness."
        },
        footer = {
            "",
            "Examples:",
            "  eventstream generate --users 1000 --projects 50 --days 30 --out events.jsonl --truth truth.jsonl",
            "  eventstream generate --users 5000 --days 60 --kafka 127.0.0.1:9092 --topic gitlab-events"
        })
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(
            names = "--users",
            defaultValue = "1000",
            description = "Users, spammers included (default: ${DEFAULT-VALUE}).")
    private int users;

    @Option(names = "--projects", defaultValue = "50", description = "Projects (default: ${DEFAULT-VALUE}).")
    private int projects;

    @Option(names = "--days", defaultValue = "30", description = "Simulated days (default: ${DEFAULT-VALUE}).")
    private int days;

    @Option(
            names = "--start",
            defaultValue = "2024-01-01T00:00:00Z",
            description = "First simulated instant, ISO-8601 UTC (default: ${DEFAULT-VALUE}).")
    private Instant start;

    @Option(
            names = "--spam-fraction",
            defaultValue = "0.05",
            description = "Share of users who are spammers (default: ${DEFAULT-VALUE}).")
    private double spamFraction;

    @Option(
            names = "--max-jitter",
            defaultValue = "PT20S",
            description =
                    "Out-of-orderness bound, ISO-8601 duration; keep it below the job's watermark bound (default: ${DEFAULT-VALUE}).")
    private Duration maxJitter;

    @Option(
            names = "--late-fraction",
            defaultValue = "0",
            description = "Share of events emitted --late-delay or more after their time (default: ${DEFAULT-VALUE}).")
    private double lateFraction;

    @Option(
            names = "--late-delay",
            defaultValue = "PT1H",
            description = "How late a late event is at least, ISO-8601 duration (default: ${DEFAULT-VALUE}).")
    private Duration lateDelay;

    @Option(
            names = "--source",
            defaultValue = GeneratorConfig.DEFAULT_SOURCE,
            description = "CloudEvents source, the GitLab instance URI (default: ${DEFAULT-VALUE}).")
    private String source;

    @Option(
            names = "--hot-project-members",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Extra developers who all join project 100 at the start: a hot project key (default: ${DEFAULT-VALUE}).")
    int hotProjectMembers;

    @Option(
            names = "--hot-member-sessions",
            defaultValue = "" + GeneratorConfig.DEFAULT_HOT_MEMBER_SESSIONS_PER_DAY,
            paramLabel = "S",
            description = "Average sessions per day of each hot-project developer (default: ${DEFAULT-VALUE}).")
    double hotMemberSessions;

    @Option(names = "--max-events", description = "Stop after this many events (default: the whole period).")
    private Long maxEvents;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Destination destination;

    @Option(names = "--topic", description = "Kafka topic (with --kafka).")
    private String topic;

    @Option(
            names = "--kafka-properties",
            paramLabel = "FILE",
            description = "With --kafka: Java properties file of Kafka client settings (security.protocol, SASL, TLS; "
                    + "secrets literally or as $${env:VAR} / $${file:PATH:KEY} / $${dir:DIR:FILE}).")
    private Path kafkaPropertiesFile;

    @Option(
            names = "--truth",
            paramLabel = "FILE",
            description = "Also write the ground truth (spammers, reviewer choices) as JSON lines.")
    private Path truthFile;

    @Option(names = "--progress", description = "Show the progress bar even when stderr is not a terminal.")
    private boolean progress;

    static final class Destination {
        @Option(
                names = "--out",
                paramLabel = "FILE",
                required = true,
                description = "Write JSON lines here ('-' for stdout).")
        private String out;

        @Option(
                names = "--kafka",
                paramLabel = "BOOTSTRAP",
                required = true,
                description = "Produce to Kafka at these bootstrap servers instead.")
        private String kafka;
    }

    /** Where events go. */
    private interface EventSink extends AutoCloseable {
        void accept(CloudEvent event) throws IOException;

        @Override
        void close() throws IOException;
    }

    @Override
    public Integer call() {
        GeneratorConfig config = config();
        if (destination.kafka != null && (topic == null || topic.isBlank())) {
            throw new ParameterException(spec.commandLine(), "--kafka needs --topic");
        }
        KafkaClientProperties kafkaProperties = KafkaClientProperties.none();
        if (kafkaPropertiesFile != null) {
            if (destination.kafka == null) {
                throw new ParameterException(spec.commandLine(), "--kafka-properties needs --kafka");
            }
            try {
                kafkaProperties = KafkaClientProperties.fromFile(kafkaPropertiesFile);
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("generate: bad Kafka client properties: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 2;
            }
        }
        if (maxEvents != null && maxEvents < 0) {
            throw new ParameterException(spec.commandLine(), "--max-events must not be negative");
        }
        boolean stdout = "-".equals(destination.out);
        ProgressBar bar = progress || System.console() != null
                ? new ProgressBar(spec.commandLine().getErr(), "events")
                : null;
        long startNanos = System.nanoTime();
        long count = 0;
        String failure = null;
        try (TruthOutput truth = TruthOutput.open(truthFile);
                EventSink sink = destination.kafka != null
                        ? new KafkaSink(destination.kafka, topic, kafkaProperties)
                        : new FileSink(destination.out)) {
            SyntheticEventGenerator generator = new SyntheticEventGenerator(config, truth.sink());
            long limit = maxEvents == null ? Long.MAX_VALUE : maxEvents;
            while (count < limit && generator.hasNext()) {
                sink.accept(generator.next());
                count++;
                if (bar != null && (count & 1023) == 0) {
                    bar.update(generator.progress(), count, dayOf(generator));
                }
            }
            if (bar != null) {
                bar.update(1.0, count, dayOf(generator));
            }
        } catch (KafkaSendException e) {
            failure = "Kafka send failed after " + count + " events: " + e.getMessage();
        } catch (IOException e) {
            failure = "cannot write: " + e.getMessage();
        } finally {
            if (bar != null) {
                bar.finish();
            }
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (failure != null) {
            spec.commandLine().getErr().println("generate: " + failure);
            spec.commandLine().getErr().flush();
            return 1;
        }
        String where = destination.kafka != null
                ? "kafka " + destination.kafka + " topic " + topic
                : stdout ? "stdout" : destination.out;
        String summary = String.format(
                Locale.ROOT,
                "generated %d events in %.2f s (%,.0f events/s) -> %s%s",
                count,
                seconds,
                count / Math.max(seconds, 1e-9),
                where,
                truthFile == null ? "" : ", truth -> " + truthFile);
        // With events on stdout the summary must not mix with them.
        var summaryOut =
                stdout ? spec.commandLine().getErr() : spec.commandLine().getOut();
        summaryOut.println(summary);
        summaryOut.flush();
        return 0;
    }

    private GeneratorConfig config() {
        try {
            return new GeneratorConfig(
                    seed,
                    users,
                    projects,
                    days,
                    start,
                    spamFraction,
                    maxJitter,
                    lateFraction,
                    lateDelay,
                    source,
                    hotProjectMembers,
                    hotMemberSessions);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid generator setting: " + e.getMessage());
        }
    }

    private static String dayOf(SyntheticEventGenerator generator) {
        long day = Duration.between(generator.config().start(), generator.simulatedTime())
                        .toDays()
                + 1;
        return "day " + Math.min(day, generator.config().days()) + "/"
                + generator.config().days();
    }

    /** Creates the missing directories above an output file (as {@code mkdir -p} would) and returns the file. */
    private static Path withParentDirectories(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return file;
    }

    /** The optional truth file and its sink. */
    private record TruthOutput(JsonLinesTruthSink file, TruthSink sink) implements AutoCloseable {
        static TruthOutput open(Path path) throws IOException {
            if (path == null) {
                return new TruthOutput(null, TruthSink.discard());
            }
            JsonLinesTruthSink file = new JsonLinesTruthSink(
                    new BufferedOutputStream(Files.newOutputStream(withParentDirectories(path)), 1 << 16));
            return new TruthOutput(file, file);
        }

        @Override
        public void close() {
            if (file != null) {
                file.close();
            }
        }
    }

    /** JSON lines to a file or stdout, through one large buffer. */
    private static final class FileSink implements EventSink {
        private final CloudEventJson json = new CloudEventJson();
        private final OutputStream out;
        private final boolean closeUnderlying;

        FileSink(String target) throws IOException {
            boolean stdout = "-".equals(target);
            this.closeUnderlying = !stdout;
            this.out = new BufferedOutputStream(
                    stdout
                            ? new FileOutputStream(FileDescriptor.out)
                            : Files.newOutputStream(withParentDirectories(Path.of(target))),
                    1 << 16);
        }

        @Override
        public void accept(CloudEvent event) throws IOException {
            out.write(json.write(event));
            out.write('\n');
        }

        @Override
        public void close() throws IOException {
            out.flush();
            if (closeUnderlying) {
                out.close();
            }
        }
    }

    /** Structured-mode records keyed by partitionkey; acks=all, batched. The first failed send stops the run. */
    private static final class KafkaSink implements EventSink {
        private static final byte[] STRUCTURED = CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

        private final CloudEventJson json = new CloudEventJson();
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        KafkaSink(String bootstrap, String topic, KafkaClientProperties clientProperties) {
            Properties properties = clientProperties.toProperties();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
            properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
            properties.put(ProducerConfig.CLIENT_ID_CONFIG, "eventstream-generate");
            this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
            this.topic = topic;
        }

        @Override
        public void accept(CloudEvent event) {
            Exception earlier = failure.get();
            if (earlier != null) {
                throw new KafkaSendException(earlier);
            }
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                    topic,
                    null,
                    event.partitionKey() == null ? null : event.partitionKey().getBytes(StandardCharsets.UTF_8),
                    json.write(event));
            record.headers().add("content-type", STRUCTURED);
            producer.send(record, (metadata, exception) -> {
                if (exception != null) {
                    failure.compareAndSet(null, exception);
                }
            });
        }

        @Override
        public void close() {
            try {
                producer.flush();
            } finally {
                producer.close(Duration.ofSeconds(30));
            }
            Exception failed = failure.get();
            if (failed != null) {
                throw new KafkaSendException(failed);
            }
        }
    }

    /** A send the broker refused; reported once, as a failed run. */
    private static final class KafkaSendException extends RuntimeException {
        KafkaSendException(Exception cause) {
            super(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        }
    }
}
