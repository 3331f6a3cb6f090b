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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Makes sure the summary topic exists, compacted, with the chunk topic's partition count. */
public final class SummaryTopicSetup {

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
            throw new IllegalStateException("summary topic '" + summaryTopic + "' has " + summaryPartitions
                    + " partitions, fewer than the " + chunkPartitions + " of '" + chunkTopic + "'");
        }
        return chunkPartitions;
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
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic '" + topic + "'", e);
            }
            partitions = partitions(admin, topic, timeout);
        }
        return partitions;
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
