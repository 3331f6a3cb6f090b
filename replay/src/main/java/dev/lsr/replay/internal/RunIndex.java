package dev.lsr.replay.internal;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.UnreadableRecordException;
import dev.lsr.kernel.Backoff;
import dev.lsr.kernel.MissingOffsets;
import dev.lsr.kernel.OutageLog;
import dev.lsr.kernel.TransactionalErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run id to first offset (and what a Run object needs), for every run of the chunk topic: built
 * once by reading every partition from its beginning, then kept current by following the log
 * (read_committed, so aborted records never count). One consumer on one platform thread reads all
 * partitions; the same thread hands each record of a tailed run to its {@link LiveFeed}s, so a live
 * client waits for no poll of its own. Memory: one small entry per run, no record kept.
 *
 * <p><b>Errors of Kafka's calls are retried in place.</b> {@code poll} fails before it hands out a
 * batch and {@code position} after the whole batch was taken, so when either fails the consumer's
 * positions are the index's own: trying again on the same consumer neither skips nor repeats a record,
 * and a live feed's handover stays exact (a broker outage, a timeout, a leader that moved, any other
 * {@link KafkaException} not listed below). The thread waits between attempts with a backoff doubling
 * from 100 ms to 5 s. An outage is logged once at WARN with the topic when it starts ({@link OutageLog}:
 * again at most once a minute while it lasts, at INFO with its length when it ends), counted
 * ({@link #outages()}, {@link #failedReads()}), and while it lasts {@link #notReadyReason()} says the
 * index is not following the log, since when and why. Live clients keep their streams (pings) and get
 * the records once the index reads again.
 *
 * <p><b>Fatal, where trying again cannot help</b>: the index stops following the log, logs one ERROR,
 * and the readiness reason says so for good ({@link #failure()}); the server serves what it had indexed.
 * Live feeds end, those subscribed later too, so a tailing stream ends without a final frame (its client
 * resumes, from a server that follows the log) instead of sending pings for nothing.
 * Recognised anywhere in the error's cause chain:
 * <ul>
 *   <li>authentication or authorization refused ({@link AuthenticationException},
 *       {@link AuthorizationException}, e.g. the topic's ACL): the broker answered and refused these
 *       credentials, and refuses them again until an operator changes ACLs or credentials (new
 *       credentials need a restart anyway); a retry would dress a configuration error up as an outage;
 *   <li>the topic unusable ({@link InvalidTopicException}) or the broker too old
 *       ({@link UnsupportedVersionException}): nothing changes that while the server runs;
 *   <li>a corrupt record ({@link CorruptRecordException}): it is fetched again at the same offset on
 *       every attempt;
 *   <li>anything that is not a {@link KafkaException} (an error of the index itself, e.g. while taking
 *       a batch): the rest of the batch in hand would be skipped by a retry;
 *   <li>the thread interrupted ({@link InterruptException}), also while it waits to retry.
 * </ul>
 *
 * <p><b>Records deleted before the index read them</b> (a finite {@code retention.ms},
 * {@code deleteRecords}): the consumers of the replay server never reset a position on their own
 * ({@code auto.offset.reset=none}; Kafka's default, {@code latest}, would jump to the end and skip every
 * record still there without a word). The index goes on from the partition's new start, logs the offsets
 * it could not read at WARN and counts them ({@link #offsetsDeletedUnread()}); a run that lost its first
 * records is {@linkplain IndexedRun.Snapshot#headless() headless} and its stream answers 410. A log
 * truncated below the index's position (an unclean leader election) is read on from its new end.
 *
 * <p><b>A deleted topic</b> makes none of Kafka's calls fail (its consumer keeps asking for the topic's
 * metadata and reads nothing), so the index asks for the topic's partitions every {@link #TOPIC_CHECK}:
 * missing {@link #TOPIC_MISSING_CHECKS} times in a row, it stops following the log for good
 * ({@link #topicDeleted()}; the runs' frames are gone with the topic, so a stream request is answered 410).
 */
public final class RunIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunIndex.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CONSUMER_CLOSE = Duration.ofSeconds(2);
    private static final List<Class<? extends KafkaException>> FATAL = List.of(
            AuthenticationException.class,
            AuthorizationException.class,
            InvalidTopicException.class,
            UnsupportedVersionException.class,
            CorruptRecordException.class);
    static final Duration TOPIC_CHECK = Duration.ofSeconds(5);
    static final int TOPIC_MISSING_CHECKS = 3;
    private static final Backoff FIRST_RETRY = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(5));

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Duration metadataTimeout;
    private final Duration topicCheck;
    private final Map<String, IndexedRun> runs = new ConcurrentHashMap<>();
    private final Map<String, List<LiveFeed>> feeds = new ConcurrentHashMap<>();
    private final Map<Integer, Long> nextOffsets = new HashMap<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicLong unreadable = new AtomicLong();
    private final Object handoverLock = new Object();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final OutageLog outage;
    private final AtomicLong outages = new AtomicLong();
    private final AtomicLong failedReads = new AtomicLong();
    private final AtomicLong offsetsDeletedUnread = new AtomicLong();
    private volatile boolean stopped;
    private volatile String failure;
    private volatile String lastFailure; // the last failed read (class and message); shown while in an outage
    private volatile boolean topicDeleted;
    private long nextTopicCheck; // System.nanoTime(); only the index thread
    private int topicMissing; // checks in a row that found no topic; only the index thread
    private boolean feedsEnded; // guarded by handoverLock
    private Thread thread;
    private int partitionCount;

    public RunIndex(Consumer<byte[], byte[]> consumer, String topic, Duration metadataTimeout) {
        this(consumer, topic, metadataTimeout, TOPIC_CHECK);
    }

    /** @param topicCheck how often the index asks whether its topic still exists (tests: shorter) */
    RunIndex(Consumer<byte[], byte[]> consumer, String topic, Duration metadataTimeout, Duration topicCheck) {
        this.topicCheck = topicCheck;
        this.consumer = consumer;
        this.topic = topic;
        this.metadataTimeout = metadataTimeout;
        this.outage = new OutageLog(
                LOG,
                new OutageLog.Wording(
                        "run index of topic " + topic,
                        "cannot read the log",
                        "retrying with backoff; live streams wait, the readiness probe reports it",
                        "reads the log again"),
                Clock.systemUTC());
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
        nextTopicCheck = System.nanoTime() + topicCheck.toNanos();
        thread = new Thread(() -> run(end), "replay-run-index");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> toReach = new HashMap<>(end);
        Backoff backoff = FIRST_RETRY;
        try {
            while (!stopped) {
                try {
                    readOnce(toReach);
                    checkTheTopicStillExists(); // a metadata call: it fails like a read while the broker is away
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (isFatal(e)) {
                        throw e;
                    }
                    failed(e);
                    if (closing.await(backoff.delay().toNanos(), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                    backoff = backoff.next();
                    continue;
                }
                if (outage.succeeded().isPresent()) {
                    backoff = FIRST_RETRY;
                }
            }
        } catch (WakeupException e) {
            // stopped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!stopped) {
                stopForGood(new InterruptException(e));
            }
        } catch (RuntimeException e) {
            stopForGood(e);
        } finally {
            consumer.close(CloseOptions.timeout(CONSUMER_CLOSE));
        }
    }

    private void stopForGood(RuntimeException e) {
        failure = e.toString();
        int ended = endFeeds();
        LOG.error(
                "run index stopped following topic {} for good ({} live streams ended): {}",
                topic,
                ended,
                e.toString(),
                e);
    }

    /**
     * Asks for the topic's partitions every {@link #TOPIC_CHECK}; throws {@link TopicDeletedException}
     * when {@link #TOPIC_MISSING_CHECKS} checks in a row found none (one could be a metadata answer in
     * passing, e.g. of a broker that has just restarted).
     */
    private void checkTheTopicStillExists() {
        long now = System.nanoTime();
        if (now - nextTopicCheck < 0) {
            return;
        }
        nextTopicCheck = now + topicCheck.toNanos();
        List<PartitionInfo> infos = consumer.partitionsFor(topic, metadataTimeout);
        if (infos != null && !infos.isEmpty()) {
            topicMissing = 0;
            return;
        }
        if (++topicMissing >= TOPIC_MISSING_CHECKS) {
            topicDeleted = true;
            throw new TopicDeletedException(topic);
        }
    }

    /** The chunk topic is gone: what the index read of it is all there will be. */
    static final class TopicDeletedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TopicDeletedException(String topic) {
            super("topic " + topic + " no longer exists (deleted); restart the server once it is back");
        }
    }

    /** One poll: its records taken, the positions after them recorded, readiness checked. */
    private void readOnce(Map<TopicPartition, Long> toReach) {
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(POLL);
        } catch (OffsetOutOfRangeException e) {
            // a failure of the lookups is retried like any failed read: nothing has moved then
            for (MissingOffsets.Resumed resumed :
                    MissingOffsets.goOn(consumer, e, metadataTimeout, LOG, "the run index")) {
                if (resumed.deleted()) {
                    offsetsDeletedUnread.addAndGet(resumed.deletedBelow(Long.MAX_VALUE));
                    // a tailing stream must not go on past the hole: its client resumes (410 if its frames went)
                    endFeedsOf(resumed.partition().partition());
                }
            }
            return;
        }
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                take(tp.partition(), record);
            }
        }
        // asked outside the lock (it may wait for the broker); only this thread moves the offsets
        Map<Integer, Long> positions = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            positions.put(tp.partition(), consumer.position(tp, metadataTimeout));
        }
        synchronized (handoverLock) {
            nextOffsets.putAll(positions);
        }
        if (ready.getCount() > 0) {
            toReach.entrySet().removeIf(e -> nextOffsets.get(e.getKey().partition()) >= e.getValue());
            if (toReach.isEmpty()) {
                LOG.info("run index ready: {} runs in {} partitions of {}", runs.size(), partitionCount, topic);
                ready.countDown();
            }
        }
    }

    /** Whether trying {@code error} again is pointless (see the class comment). */
    static boolean isFatal(RuntimeException error) {
        return !(error instanceof KafkaException)
                || error instanceof InterruptException
                || FATAL.stream().anyMatch(type -> TransactionalErrors.inChain(error, type));
    }

    private void failed(RuntimeException error) {
        failedReads.incrementAndGet();
        lastFailure = TransactionalErrors.describe(error);
        if (outage.failed(lastFailure)) {
            outages.incrementAndGet();
        }
    }

    private void take(int partition, ConsumerRecord<byte[], byte[]> consumed) {
        ChunkLogRecord record;
        try {
            record = ChunkLogRecord.fromConsumerRecord(consumed);
        } catch (UnreadableRecordException | IllegalArgumentException e) {
            skip(partition, consumed, e.getMessage());
            return;
        }
        IndexedRun run = runFor(record, partition, consumed.offset());
        if (run == null) {
            skip(partition, consumed, "run " + record.runId() + "'s records are in another partition");
            return;
        }
        run.add(consumed.offset(), record);
        synchronized (handoverLock) {
            List<LiveFeed> tailing = feeds.get(record.runId());
            if (tailing != null) {
                tailing.forEach(feed -> feed.offer(consumed.offset(), record));
            }
            nextOffsets.put(partition, consumed.offset() + 1);
        }
    }

    /**
     * The run a record of partition {@code partition} belongs to, or null when it is not part of the run's log: a
     * run's records are all in one partition (the recorder keys them by run id), the one its {@code run.attached}
     * is in. Partitions are read side by side, so a record in another partition (written by hand) may come first:
     * the run then moves to the partition where its {@code run.attached} turns up, and what was taken before is
     * dropped.
     */
    private IndexedRun runFor(ChunkLogRecord record, int partition, long offset) {
        IndexedRun known = runs.get(record.runId());
        if (known != null && known.partition() == partition) {
            return known;
        }
        if (known != null && !(record.type() == RecordType.RUN_ATTACHED && known.startedWithoutItsStart())) {
            return null;
        }
        if (known != null) {
            LOG.warn(
                    "run {}: its records in {}-{} were taken before its run.attached turned up in partition {};"
                            + " those are left out",
                    record.runId(),
                    topic,
                    known.partition(),
                    partition);
        }
        IndexedRun run = new IndexedRun(
                record.runId(), partition, offset, record.envelope().receivedAt());
        runs.put(record.runId(), run);
        return run;
    }

    /**
     * Leaves a record out of the index: unreadable, or not part of its run's log (another partition, another key);
     * counted, and logged for the first 100.
     */
    private void skip(int partition, ConsumerRecord<byte[], byte[]> consumed, String why) {
        if (unreadable.incrementAndGet() <= 100) {
            LOG.warn("{}-{}@{}: record skipped by the run index: {}", topic, partition, consumed.offset(), why);
        }
    }

    /** Waits until the log as it was at start is indexed; false after {@code timeout}. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Why the index stopped following the log for good (the server then serves what it had indexed, and
     * its readiness probe says so), or null while it follows or retries.
     */
    public String failure() {
        return failure;
    }

    /** Whether the index stopped because its topic was deleted (its runs' frames went with it). */
    public boolean topicDeleted() {
        return topicDeleted;
    }

    /** How many times the index started retrying (outages of its reads; each is logged once). */
    public long outages() {
        return outages.get();
    }

    /** How many reads of the log failed and were retried (every attempt of every outage). */
    public long failedReads() {
        return failedReads.get();
    }

    /**
     * How many offsets were deleted from the log (retention, {@code deleteRecords}) before the index read
     * them: records it never saw (each range is logged at WARN).
     */
    public long offsetsDeletedUnread() {
        return offsetsDeletedUnread.get();
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
        Optional<Instant> outageSince = outage.since();
        if (outageSince.isPresent()) {
            return "not following the log since " + outageSince.get() + " (" + lastFailure + "); retrying";
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
            if (feedsEnded) {
                feed.end();
            } else {
                feeds.computeIfAbsent(runId, id -> new CopyOnWriteArrayList<>()).add(feed);
            }
            return feed;
        }
    }

    /** Ends the live feeds of the runs in {@code partition} (they stay subscribable). */
    private void endFeedsOf(int partition) {
        synchronized (handoverLock) {
            feeds.forEach((runId, list) -> {
                IndexedRun run = runs.get(runId);
                if (run != null && run.partition() == partition) {
                    list.forEach(LiveFeed::end);
                }
            });
        }
    }

    /** Ends every live feed, and those subscribed from now on; how many there were. */
    private int endFeeds() {
        synchronized (handoverLock) {
            feedsEnded = true;
            int ended = 0;
            for (List<LiveFeed> list : feeds.values()) {
                for (LiveFeed feed : list) {
                    feed.end();
                    ended++;
                }
            }
            return ended;
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
        endFeeds(); // so no tailing request keeps the server's shutdown waiting
        closing.countDown();
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
