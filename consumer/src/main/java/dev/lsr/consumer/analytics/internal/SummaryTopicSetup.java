package dev.lsr.consumer.analytics.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the summary topic exists, compacted, with the chunk topic's partition count, and grows it when
 * partitions were added to the chunk topic ({@link #grow}).
 */
public final class SummaryTopicSetup {

    private static final Logger log = LoggerFactory.getLogger(SummaryTopicSetup.class);

    private SummaryTopicSetup() {}

    /** @return the chunk topic's partition count */
    public static int ensure(Admin admin, String chunkTopic, String summaryTopic, Duration timeout) {
        int chunkPartitions = partitions(admin, chunkTopic, timeout);
        if (chunkPartitions == 0) {
            throw new IllegalStateException("chunk topic '" + chunkTopic + "' does not exist");
        }
        int summaryPartitions = partitions(admin, summaryTopic, timeout);
        if (summaryPartitions == 0) {
            NewTopic topic = new NewTopic(summaryTopic, Optional.of(chunkPartitions), Optional.empty())
                    .configs(Map.of("cleanup.policy", "compact"));
            try {
                admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                            "cannot create summary topic '" + summaryTopic + "': "
                                    + e.getCause().getMessage(),
                            e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating summary topic '" + summaryTopic + "'", e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("cannot create summary topic '" + summaryTopic + "' in time", e);
            }
            summaryPartitions = awaitVisible(admin, summaryTopic, timeout);
        }
        if (summaryPartitions < chunkPartitions) {
            grow(admin, summaryTopic, chunkPartitions, timeout);
        }
        return chunkPartitions;
    }

    /**
     * Gives the summary topic at least {@code partitions} partitions. Partitions added to the chunk topic
     * ({@code kafka-topics --alter --partitions}) are assigned to the job, whose owner of chunk partition {@code p}
     * restores from and writes to summary partition {@code p}; without it the restore waited for that partition for
     * ever. Nothing moves: the job names each summary's partition. Kafka's errors are thrown as they are (the
     * retriable ones are an outage); another instance growing it at the same moment is no error.
     *
     * @return the summary topic's partition count, at least {@code partitions}
     */
    static int grow(Admin admin, String summaryTopic, int partitions, Duration timeout) {
        int now = describe(admin, summaryTopic, timeout).partitions().size();
        if (now >= partitions) {
            return now;
        }
        log.warn(
                "summary topic '{}' has {} partitions, fewer than the chunk topic's {} (partitions were added to it):"
                        + " adding {}",
                summaryTopic,
                now,
                partitions,
                partitions - now);
        try {
            answer(
                    admin.createPartitions(Map.of(summaryTopic, NewPartitions.increaseTo(partitions)))
                            .all(),
                    timeout,
                    "grow " + summaryTopic);
        } catch (InvalidPartitionsException e) {
            // another instance grew it first; any other refusal is not retried (it would look like an outage)
            if (describe(admin, summaryTopic, timeout).partitions().size() < partitions) {
                throw e;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((now = describe(admin, summaryTopic, timeout).partitions().size()) < partitions) {
            if (System.nanoTime() > deadline) {
                throw new org.apache.kafka.common.errors.TimeoutException(
                        "summary topic '" + summaryTopic + "' still shows " + now + " partitions after " + timeout);
            }
            sleep(summaryTopic);
        }
        return now;
    }

    private static TopicDescription describe(Admin admin, String topic, Duration timeout) {
        return answer(admin.describeTopics(List.of(topic)).allTopicNames(), timeout, "describe " + topic)
                .get(topic);
    }

    /** The future's value; Kafka's exception as it is, a timeout as Kafka's (retriable) one. */
    private static <T> T answer(KafkaFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException kafka) {
                throw kafka;
            }
            throw new KafkaException("cannot " + what, e.getCause());
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("cannot " + what + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    /** The topic's {@code max.message.bytes} (the broker's default unless the topic sets it). */
    public static int maxMessageBytes(Admin admin, String topic, Duration timeout) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(resource);
            return Integer.parseInt(
                    config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot read the config of topic '" + topic + "': "
                            + e.getCause().getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the config of topic '" + topic + "'", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot read the config of topic '" + topic + "' in time", e);
        }
    }

    /** A topic just created may take a moment to show in metadata. */
    private static int awaitVisible(Admin admin, String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int partitions = partitions(admin, topic, timeout);
        while (partitions == 0 && System.nanoTime() < deadline) {
            sleep(topic);
            partitions = partitions(admin, topic, timeout);
        }
        return partitions;
    }

    private static void sleep(String topic) {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topic '" + topic + "'", e);
        }
    }

    private static int partitions(Admin admin, String topic, Duration timeout) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
            return description.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0;
            }
            throw new IllegalStateException(
                    "cannot describe topic '" + topic + "': " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic '" + topic + "'", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot describe topic '" + topic + "' in time", e);
        }
    }
}
