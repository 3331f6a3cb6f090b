package dev.lsr.bench.system.internal;

import dev.lsr.bench.system.Spread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a commit marker alone wakes a read_committed fetch parked at the partition's end, which decides how late
 * a follower on Kafka's default {@code fetch.max.wait.ms} (500 ms) sees a quiet run's last commit: {@code consumer
 * follow} and the viewer follow with the default, the replay server's index with 10 ms. One record per transaction,
 * a transaction every 0.7–1.0 s (so the follower's fetch is parked when it commits), on the bench's broker, each
 * wait alternated: the time from {@code commitTransaction()} returning to the follower's poll returning the record.
 * Run: {@code java -cp bench-all.jar dev.lsr.bench.system.internal.CommitVisibility [COMMITS [WAIT_MS...]]}
 * (25 commits, waits 500 and 10, by default).
 */
public final class CommitVisibility {

    private static final Logger LOG = LoggerFactory.getLogger(CommitVisibility.class);

    private CommitVisibility() {}

    public static void main(String[] args) throws Exception {
        int commits = args.length > 0 ? Integer.parseInt(args[0]) : 25;
        List<Integer> waits = args.length > 1
                ? java.util.Arrays.stream(args, 1, args.length)
                        .map(Integer::valueOf)
                        .toList()
                : List.of(500, 10);
        try (BenchKafka kafka = BenchKafka.start()) {
            for (int i = 0; i < waits.size(); i++) {
                int wait = waits.get(i);
                String topic = "commit-visibility-" + i + "-" + wait;
                kafka.createTopic(topic, 1);
                List<Double> millis = measure(kafka, topic, wait, commits, i);
                Spread spread = Spread.of(millis);
                LOG.info(
                        "fetch.max.wait.ms={}: commit returned -> record polled, ms: median {} (min {}, max {}) over {};"
                                + " sorted: {}",
                        wait,
                        String.format("%.1f", spread.median()),
                        String.format("%.1f", spread.min()),
                        String.format("%.1f", spread.max()),
                        millis.size(),
                        millis.stream()
                                .sorted()
                                .map(m -> String.format("%.0f", m))
                                .toList());
            }
        }
    }

    private static List<Double> measure(BenchKafka kafka, String topic, int waitMs, int commits, int trial)
            throws Exception {
        Map<String, Object> overrides = Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, waitMs);
        TopicPartition partition = new TopicPartition(topic, 0);
        List<Double> millis = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = kafka.transactionalProducer("commit-visibility-" + trial);
                KafkaConsumer<byte[], byte[]> follower = kafka.readCommittedConsumer(overrides)) {
            producer.initTransactions();
            follower.assign(List.of(partition));
            follower.seekToEnd(List.of(partition));
            follower.poll(Duration.ofMillis(200));
            for (int i = 0; i < commits; i++) {
                CompletableFuture<Long> committed = CompletableFuture.supplyAsync(() -> {
                    sleepMillis(700 + ThreadLocalRandom.current().nextInt(300));
                    producer.beginTransaction();
                    producer.send(new ProducerRecord<>(topic, 0, null, new byte[100]));
                    producer.flush();
                    producer.commitTransaction();
                    return System.nanoTime();
                });
                while (follower.poll(Duration.ofSeconds(5)).isEmpty()) {
                    // parked fetches answer empty after the wait; the record comes in a later one
                }
                long polled = System.nanoTime();
                millis.add((polled - committed.get(30, TimeUnit.SECONDS)) / 1e6);
            }
        }
        return millis;
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
