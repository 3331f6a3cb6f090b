package dev.lsr.consumer.analytics.internal;

import dev.lsr.consumer.analytics.RunFold;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Rebuilds the state of a chunk partition's runs from the summary topic's partition of the same
 * number: reads it, committed records only, from the beginning to its last stable offset; the
 * last record per run wins (the topic is compacted, so that is also all that is kept).
 */
final class StateRestorer {

    private final Consumer<byte[], byte[]> consumer;
    private final String summaryTopic;

    /** @param consumer a read_committed consumer without group, used only by this restorer */
    StateRestorer(Consumer<byte[], byte[]> consumer, String summaryTopic) {
        this.consumer = consumer;
        this.summaryTopic = summaryTopic;
    }

    <S> RunProcessor<S> restore(int partition, RunFold<S> fold, AtomicLong problems, Duration timeout) {
        RunProcessor<S> processor = new RunProcessor<>(fold, problems);
        TopicPartition tp = new TopicPartition(summaryTopic, partition);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        Map<TopicPartition, Long> end = consumer.endOffsets(List.of(tp), timeout);
        long stable = end.get(tp);
        while (consumer.position(tp, timeout) < stable) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() >= stable) {
                    break;
                }
                Map.Entry<String, S> run = SummaryRecords.fromRecord(record, fold);
                if (run != null) {
                    processor.restore(run.getKey(), run.getValue());
                }
            }
        }
        consumer.assign(List.of());
        return processor;
    }
}
