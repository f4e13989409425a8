package io.eventstream.connectors.kafka;

import io.eventstream.features.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * The Kafka client properties of everything that talks to the event Kafka (the jobs' source, the
 * dead-letter producer, {@code generate --kafka}, the bench; a gateway too): security settings such as
 * {@code security.protocol}, SASL and TLS, from two places, both validated against Kafka's own
 * definitions with errors that name the property:
 *
 * <ul>
 *   <li>the {@code kafka:} section of a job config ({@link #fromConfig}): committed, so no secrets: a
 *       password-type property (Kafka's {@code ConfigDef.Type.PASSWORD}: {@code sasl.jaas.config},
 *       {@code ssl.truststore.password}, ...) is accepted only when it holds a reference;</li>
 *   <li>a standard Java properties file ({@link #fromFile}, {@code --kafka-properties FILE}), the place for
 *       literal secrets, which wins over the config section.</li>
 * </ul>
 *
 * <p>References are Kafka config-provider variables, resolved by the Kafka client itself where it runs
 * (TaskManager, JobManager), so a secret never passes through job arguments or the job graph:
 * {@code ${env:VAR}} (an environment variable), {@code ${file:PATH:KEY}} (a key of a properties file),
 * {@code ${dir:DIR:FILE}} (the content of a file, e.g. a mounted Kubernetes Secret). When a value holds
 * a reference and no {@code config.providers} is set, the three providers are configured.
 *
 * <p>Immutable and serializable (the Flink source and sink carry it to the cluster). {@link #toString()}
 * lists names only.
 */
public final class KafkaClientProperties implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Set by the jobs and tools themselves (from {@code --kafka}, {@code --group-id}, their serializers). */
    private static final Set<String> RESERVED = Set.of(
            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
            ConsumerConfig.GROUP_ID_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG);

    /** Options of Flink's Kafka source that travel in the same properties. */
    private static final Set<String> FLINK_SOURCE_OPTIONS = Set.of(
            "partition.discovery.interval.ms",
            "client.id.prefix",
            "register.consumer.metrics",
            "commit.offsets.on.checkpoint");

    private static final String PROVIDERS = "config.providers";

    private final Map<String, String> properties;

    private KafkaClientProperties(Map<String, String> properties) {
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** No extra properties: a plaintext broker. */
    public static KafkaClientProperties none() {
        return new KafkaClientProperties(Map.of());
    }

    /**
     * The {@code kafka:} section of a job config. Errors name {@code kafka.<property>}: unknown names, the
     * properties the job sets itself, and literal secrets.
     */
    public static KafkaClientProperties fromConfig(Map<String, String> section) {
        List<ConfigException.Problem> problems = new ArrayList<>();
        for (Map.Entry<String, String> entry : section.entrySet()) {
            String key = "kafka." + entry.getKey();
            String problem = checkName(entry.getKey());
            if (problem == null && isPassword(entry.getKey()) && !hasReference(entry.getValue())) {
                problem = "is a secret and must not be written in the job config: reference it (${env:VAR}, "
                        + "${file:PATH:KEY} or ${dir:DIR:FILE}) or put it in the file given with --kafka-properties";
            }
            if (problem != null) {
                problems.add(new ConfigException.Problem(key, problem));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new KafkaClientProperties(section);
    }

    /** A Java properties file ({@code --kafka-properties}); errors name {@code <file>: <property>}, never a value. */
    public static KafkaClientProperties fromFile(Path file) {
        Properties loaded = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            loaded.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), "no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(
                    file.toString(),
                    "cannot read the Kafka properties file (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        List<ConfigException.Problem> problems = new ArrayList<>();
        for (String name : new TreeSet<>(loaded.stringPropertyNames())) {
            String problem = checkName(name);
            if (problem != null) {
                problems.add(new ConfigException.Problem(file + ": " + name, problem));
            }
            properties.put(name, loaded.getProperty(name).strip());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new KafkaClientProperties(properties);
    }

    /** The job config's section, then the file's properties over it ({@code file} may be null). */
    public static KafkaClientProperties of(Map<String, String> configSection, Path file) {
        KafkaClientProperties config = fromConfig(configSection);
        return file == null ? config : config.overriddenBy(fromFile(file));
    }

    /** These properties with {@code other}'s over them. */
    public KafkaClientProperties overriddenBy(KafkaClientProperties other) {
        Map<String, String> merged = new LinkedHashMap<>(properties);
        merged.putAll(other.properties);
        return new KafkaClientProperties(merged);
    }

    /** With one more property (no validation: for the code's own settings and tests). */
    public KafkaClientProperties with(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(properties);
        more.put(name, value);
        return new KafkaClientProperties(more);
    }

    public boolean isEmpty() {
        return properties.isEmpty();
    }

    /** The names set, in order. */
    public Set<String> names() {
        return properties.keySet();
    }

    /**
     * A fresh {@link Properties} for a Kafka client or Flink's Kafka source and sink: these properties,
     * plus the {@code env}, {@code file} and {@code dir} config providers when a value references one
     * and none are configured.
     */
    public Properties toProperties() {
        Properties out = new Properties();
        out.putAll(properties);
        if (!properties.containsKey(PROVIDERS)
                && properties.values().stream().anyMatch(KafkaClientProperties::hasReference)) {
            out.put(PROVIDERS, "env,file,dir");
            out.put(PROVIDERS + ".env.class", EnvVarConfigProvider.class.getName());
            out.put(PROVIDERS + ".file.class", FileConfigProvider.class.getName());
            out.put(PROVIDERS + ".dir.class", DirectoryConfigProvider.class.getName());
        }
        return out;
    }

    /** Names only: values may be secrets. */
    @Override
    public String toString() {
        return "KafkaClientProperties" + properties.keySet();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaClientProperties other && properties.equals(other.properties);
    }

    @Override
    public int hashCode() {
        return properties.hashCode();
    }

    private static boolean hasReference(String value) {
        return value != null && value.matches("(?s).*\\$\\{[A-Za-z0-9_.-]+:[^}]*}.*");
    }

    private static String checkName(String name) {
        if (RESERVED.contains(name)) {
            return "is set by the job itself (--kafka, --group-id, serializers); remove it";
        }
        if (name.startsWith(PROVIDERS + ".") || known().contains(name)) {
            return null;
        }
        return "is not a Kafka client property (consumer, producer or admin)";
    }

    private static boolean isPassword(String name) {
        for (ConfigDef def :
                new ConfigDef[] {ConsumerConfig.configDef(), ProducerConfig.configDef(), AdminClientConfig.configDef()
                }) {
            ConfigDef.ConfigKey key = def.configKeys().get(name);
            if (key != null && key.type == ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> known;

    private static synchronized Set<String> known() {
        if (known == null) {
            Set<String> names = new TreeSet<>(ConsumerConfig.configNames());
            names.addAll(ProducerConfig.configNames());
            names.addAll(AdminClientConfig.configNames());
            names.addAll(FLINK_SOURCE_OPTIONS);
            known = names;
        }
        return known;
    }
}
