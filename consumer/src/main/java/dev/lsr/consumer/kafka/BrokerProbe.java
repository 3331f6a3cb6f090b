package dev.lsr.consumer.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, before any consumer starts, that the broker answers within the timeout, and how many
 * partitions a topic has. Turns the client's slow, retrying failures into one quick answer.
 */
public final class BrokerProbe {

    private BrokerProbe() {}

    /**
     * The partition count of a topic, or 0 when it does not exist.
     *
     * @throws KafkaUnavailableException when the broker does not answer in time
     * @throws KafkaRefusedException     when it answers, but refuses this client (credentials, an ACL)
     */
    public static int partitions(KafkaClientSettings settings, String topic) {
        long millis = settings.timeout().toMillis();
        Map<String, Object> props = settings.clientProperties();
        Admin admin = null;
        try {
            admin = Admin.create(props);
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) millis))
                    .clusterId()
                    .get(millis, TimeUnit.MILLISECONDS);
            try {
                TopicDescription description = admin.describeTopics(
                                List.of(topic), new DescribeTopicsOptions().timeoutMs((int) millis))
                        .allTopicNames()
                        .get(millis, TimeUnit.MILLISECONDS)
                        .get(topic);
                return description.partitions().size();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    return 0;
                }
                throw e;
            }
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (KafkaRefusedException.isRefusal(cause)) {
                throw refused(settings, cause);
            }
            throw new KafkaUnavailableException(
                    settings.redact("cannot reach Kafka at " + settings.bootstrapServers() + " within "
                            + settings.timeout().toSeconds() + "s: " + describe(cause)),
                    cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while reaching Kafka", e);
        } finally {
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
            }
        }
    }

    /** Kafka answered and refused this client: its credentials, or an ACL (of the topic, the cluster). */
    public static KafkaRefusedException refused(KafkaClientSettings settings, Throwable cause) {
        return new KafkaRefusedException(
                settings.redact(KafkaRefusedException.message("Kafka at " + settings.bootstrapServers(), cause)),
                cause);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null
                ? cause.getClass().getSimpleName()
                : message.lines().findFirst().orElse(message);
    }
}
