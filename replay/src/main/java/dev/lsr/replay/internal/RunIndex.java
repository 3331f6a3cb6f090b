package dev.lsr.replay.internal;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.UnreadableRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run id to first offset (and what a Run object needs), for every run of the chunk topic: built
 * once by reading every partition from its beginning, then kept current by following the log
 * (read_committed, so aborted records never count). One consumer on one platform thread reads all
 * partitions; the same thread hands each record of a tailed run to its {@link LiveFeed}s, so a live
 * client waits for no poll of its own. Memory: one small entry per run, no record kept.
 */
public final class RunIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunIndex.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Duration metadataTimeout;
    private final Map<String, IndexedRun> runs = new ConcurrentHashMap<>();
    private final Map<String, List<LiveFeed>> feeds = new ConcurrentHashMap<>();
    private final Map<Integer, Long> nextOffsets = new HashMap<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicLong unreadable = new AtomicLong();
    private final Object handoverLock = new Object();
    private volatile boolean stopped;
    private volatile String failure;
    private Thread thread;
    private int partitionCount;

    public RunIndex(Consumer<byte[], byte[]> consumer, String topic, Duration metadataTimeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.metadataTimeout = metadataTimeout;
    }

    /** Starts reading; {@link #awaitReady} tells when the log as it was at start is indexed. */
    public void start() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, metadataTimeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic '" + topic + "' does not exist");
        }
        partitionCount = infos.size();
        List<TopicPartition> partitions = infos.stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, metadataTimeout);
        synchronized (handoverLock) {
            partitions.forEach(tp -> nextOffsets.put(tp.partition(), consumer.position(tp, metadataTimeout)));
        }
        // a platform thread: it polls without pause for the server's lifetime
        thread = new Thread(() -> run(end), "replay-run-index");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> toReach = new HashMap<>(end);
        try {
            while (!stopped) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (TopicPartition tp : records.partitions()) {
                    for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                        take(tp.partition(), record);
                    }
                }
                synchronized (handoverLock) {
                    for (TopicPartition tp : consumer.assignment()) {
                        nextOffsets.put(tp.partition(), consumer.position(tp, metadataTimeout));
                    }
                }
                if (ready.getCount() > 0) {
                    toReach.entrySet().removeIf(e -> nextOffsets.get(e.getKey().partition()) >= e.getValue());
                    if (toReach.isEmpty()) {
                        LOG.info("run index ready: {} runs in {} partitions of {}", runs.size(), partitionCount, topic);
                        ready.countDown();
                    }
                }
            }
        } catch (WakeupException e) {
            // stopped
        } catch (RuntimeException e) {
            failure = e.toString();
            LOG.error("run index stopped reading {}: {}", topic, e.toString(), e);
        } finally {
            consumer.close();
        }
    }

    private void take(int partition, ConsumerRecord<byte[], byte[]> consumed) {
        ChunkLogRecord record;
        try {
            record = ChunkLogRecord.fromConsumerRecord(consumed);
        } catch (UnreadableRecordException | IllegalArgumentException e) {
            if (unreadable.incrementAndGet() <= 100) {
                LOG.warn(
                        "{}-{}@{}: unreadable record skipped by the run index: {}",
                        topic,
                        partition,
                        consumed.offset(),
                        e.getMessage());
            }
            return;
        }
        IndexedRun run = runs.computeIfAbsent(
                record.runId(),
                id -> new IndexedRun(
                        id, partition, consumed.offset(), record.envelope().receivedAt()));
        run.add(consumed.offset(), record);
        synchronized (handoverLock) {
            List<LiveFeed> tailing = feeds.get(record.runId());
            if (tailing != null) {
                tailing.forEach(feed -> feed.offer(consumed.offset(), record));
            }
            nextOffsets.put(partition, consumed.offset() + 1);
        }
    }

    /** Waits until the log as it was at start is indexed; false after {@code timeout}. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Why the index stopped following the log (the server then serves what it had indexed, and its
     * readiness probe says so), or null while it follows.
     */
    public String failure() {
        return failure;
    }

    public boolean isReady() {
        return ready.getCount() == 0;
    }

    /** Why the server is not ready to serve (a readiness probe's reason), or null when it is. */
    public String notReadyReason() {
        String stopped = failure;
        if (stopped != null) {
            return "stopped following the log: " + stopped;
        }
        return isReady() ? null : "indexing the log as it was at start";
    }

    Optional<IndexedRun.Snapshot> find(String runId) {
        IndexedRun run = runs.get(runId);
        return run == null ? Optional.empty() : Optional.of(run.snapshot());
    }

    /** Every run, as known now. */
    Collection<IndexedRun.Snapshot> all() {
        List<IndexedRun.Snapshot> all = new ArrayList<>(runs.size());
        runs.values().forEach(r -> all.add(r.snapshot()));
        return all;
    }

    public int runCount() {
        return runs.size();
    }

    /**
     * Subscribes to a run's records from the next one the index reads; the feed's handover offset is
     * where the subscriber's own catch-up read must stop. Atomic with the index's progress, so no
     * record falls between the two.
     */
    LiveFeed subscribe(String runId, int partition) {
        synchronized (handoverLock) {
            LiveFeed feed = new LiveFeed(runId, nextOffsets.get(partition));
            feeds.computeIfAbsent(runId, id -> new CopyOnWriteArrayList<>()).add(feed);
            return feed;
        }
    }

    void unsubscribe(LiveFeed feed) {
        synchronized (handoverLock) {
            List<LiveFeed> list = feeds.get(feed.runId());
            if (list != null) {
                list.remove(feed);
                if (list.isEmpty()) {
                    feeds.remove(feed.runId());
                }
            }
        }
    }

    String topic() {
        return topic;
    }

    @Override
    public void close() {
        stopped = true;
        consumer.wakeup();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
