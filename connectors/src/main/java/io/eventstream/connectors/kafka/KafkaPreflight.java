package io.eventstream.connectors.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, before a job is built, that the event Kafka accepts this client's credentials and has the
 * topic: a wrong password or a missing topic then stops the command at once with one clear line,
 * instead of a job that fails in its source and restarts until its budget runs out.
 */
public final class KafkaPreflight {
    private KafkaPreflight() {}

    /**
     * Null when the topic can be described with these properties; otherwise why not, in one line
     * without secrets. A broker that does not answer within {@code timeout} is not a verdict (it may be
     * reachable from the cluster only): null then too, and the job's own retries decide.
     */
    public static String problem(String bootstrap, String topic, KafkaClientProperties properties, Duration timeout) {
        Properties props = properties.toProperties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(props)) {
            admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuthenticationException) {
                return "Kafka at " + bootstrap + " refused the credentials ("
                        + cause.getClass().getSimpleName() + ": " + cause.getMessage()
                        + "); check the SASL/TLS settings of the kafka section and --kafka-properties";
            }
            if (cause instanceof AuthorizationException) {
                return "Kafka at " + bootstrap + " does not allow this user to describe topic " + topic + " ("
                        + cause.getClass().getSimpleName() + ")";
            }
            if (cause instanceof UnknownTopicOrPartitionException) {
                return "Kafka at " + bootstrap + " has no topic " + topic;
            }
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                return null;
            }
            return "cannot reach Kafka at " + bootstrap + ": "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage();
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking Kafka at " + bootstrap;
        } catch (org.apache.kafka.common.KafkaException e) {
            // Admin.create fails on settings Kafka rejects (an unknown SASL mechanism, a missing trust store, an
            // unresolvable ${env:...} reference): the message names the setting, not its value.
            return "bad Kafka client settings: " + e.getMessage()
                    + (e.getCause() == null
                            ? ""
                            : " (" + e.getCause().getClass().getSimpleName() + ": "
                                    + e.getCause().getMessage() + ")");
        }
    }
}
