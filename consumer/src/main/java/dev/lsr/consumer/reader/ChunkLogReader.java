package dev.lsr.consumer.reader;

import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.kafka.KafkaUnavailableException;
import dev.lsr.consumer.reader.internal.Counters;
import dev.lsr.consumer.reader.internal.ParallelReplay;
import dev.lsr.consumer.reader.internal.RecordDecoder;
import dev.lsr.consumer.reader.internal.ReplayPipeline;
import dev.lsr.kernel.LogReaders;
import dev.lsr.kernel.MissingOffsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the chunk topic, committed records only, without a consumer group (it assigns partitions
 * itself and commits nothing). Two modes:
 * <ul>
 *   <li>{@link #replay}: bounded. Captures the end offsets when it starts and reads every partition
 *       up to them, so the same log gives the same result however much is appended meanwhile. At the
 *       end, runs without an end are reported truncated.</li>
 *   <li>{@link #replayInParallel}: the same, with decoding and listeners on one thread per listener.</li>
 *   <li>{@link #follow}: reads on as records are committed until {@link #stop()}.</li>
 * </ul>
 * A run lives in one partition, so per-partition order is per-run order. A filter naming runs
 * reads only their partitions. One reader is used by one thread ({@link #stop()} excepted).
 *
 * <p><b>Records deleted while the reader is behind them</b> (a finite {@code retention.ms},
 * {@code deleteRecords}): the reader never lets Kafka reset a position ({@code auto.offset.reset=none};
 * the default, {@code latest}, would jump to the end and skip every record still there without a word).
 * It goes on from the partition's new start and counts the offsets it could not read
 * ({@link ReplayStats#deletedOffsets()}, a problem); a run that lost records that way is reported by its
 * gap or its truncation like any other. A log truncated below a position (an unclean leader election) is
 * read on from its new end.
 */
public final class ChunkLogReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkLogReader.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final Duration metadataTimeout;
    private volatile boolean stopped;

    /** A reader over an existing consumer (tests pass a fake); the reader closes it. */
    public ChunkLogReader(Consumer<byte[], byte[]> consumer, String topic, Duration metadataTimeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.metadataTimeout = metadataTimeout;
    }

    /**
     * Opens a reader with the given client properties (bootstrap servers, security...). The reader
     * sets deserializers, {@code isolation.level=read_committed} and disables auto commit itself.
     */
    public static ChunkLogReader open(Map<String, Object> clientProperties, String topic, Duration metadataTimeout) {
        return new ChunkLogReader(new KafkaConsumer<>(LogReaders.properties(clientProperties)), topic, metadataTimeout);
    }

    /** Bounded replay of the runs the filter admits; see the class comment. */
    public ReplayStats replay(RunFilter filter, ReplayListener listener, ReplayProgress progress) {
        return replay(filter, RunPartitions.UNKNOWN, listener, progress);
    }

    /**
     * {@link #replay(RunFilter, ReplayListener, ReplayProgress)}, skipping a record read in another partition than its
     * run's ({@link RunPartitions#elsewhere}) as a problem: it is not part of the run's log, as for the analytics job.
     * The problem names no run (a fold of the run would count it), its detail does.
     *
     * @param runPartitions where the runs' records are, e.g. {@link #runPartitions()}
     */
    public ReplayStats replay(
            RunFilter filter, RunPartitions runPartitions, ReplayListener listener, ReplayProgress progress) {
        Counters counters = new Counters();
        ReplayPipeline pipeline = new ReplayPipeline(filter, listener, counters, false, runPartitions);
        boolean completed = kafkaAnswering(() ->
                readBounded(partitionsFor(filter, runPartitions), progress, counters, (partition, records) -> {
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        counters.countRecord();
                        pipeline.accept(RecordDecoder.decode(record));
                    }
                }));
        if (completed) {
            pipeline.finish();
        }
        return counters.snapshot();
    }

    /**
     * Where this log's runs' records are: read from its layout record with this reader ({@link RunPartitions#read}),
     * {@link RunPartitions#UNKNOWN} without one.
     *
     * {@link #stop() Stopped} while it reads (Ctrl-C during {@code consumer follow}'s start): {@link RunPartitions#UNKNOWN},
     * and the follow it was read for returns at once.
     *
     * @throws ChunkTopicNotFoundException                when the topic does not exist (yet), as for every other read
     * @throws RunPartitions.UnreadableLayoutException when the layout record cannot be read
     */
    public RunPartitions runPartitions() {
        try {
            return kafkaAnswering(() -> {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, metadataTimeout);
                if (infos == null || infos.isEmpty()) {
                    throw new ChunkTopicNotFoundException(topic);
                }
                return RunPartitions.read(consumer, topic, metadataTimeout);
            });
        } catch (WakeupException stopping) {
            return RunPartitions.UNKNOWN;
        }
    }

    /**
     * Bounded replay like {@link #replay}, with the decoding and the listeners' work spread over one
     * thread per listener; this thread only reads. Each partition is given to one of the listeners
     * (round-robin), so each listener sees whole runs, each in log order, and is called only from its
     * own thread (one at a time, never concurrently); records of different partitions are handled in
     * parallel. Problems, duplicates and run ends are reported to the listener of the run's partition.
     * Returns once every listener has been told everything; a listener's exception is rethrown here.
     *
     * @param listeners one per worker thread (at least one), typically of the same kind, whose results
     *                  the caller combines
     */
    public ReplayStats replayInParallel(
            RunFilter filter, List<? extends ReplayListener> listeners, ReplayProgress progress) {
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("a parallel replay needs at least one listener");
        }
        Set<TopicPartition> partitions = kafkaAnswering(() -> partitionsFor(filter));
        List<TopicPartition> ordered = partitions.stream()
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
        Counters counters = new Counters();
        try (ParallelReplay workers = new ParallelReplay(filter, listeners, ordered)) {
            boolean completed = kafkaAnswering(() -> readBounded(partitions, progress, counters, workers::hand));
            workers.end(completed, counters);
        }
        return counters.snapshot();
    }

    /**
     * Reads every partition up to its end offset at the start, handing each poll's records (per
     * partition, in offset order, none at or past the end) to {@code sink}. A read that gets no record for the
     * reader's timeout with records still to read gives up: a broker gone mid-replay is reported, not waited for
     * without end (a Kafka client's poll answers "nothing" while it cannot reach the broker).
     *
     * @return true when the end was reached, false when stopped
     * @throws KafkaUnavailableException when no record came for the timeout
     */
    private boolean readBounded(
            Set<TopicPartition> partitions,
            ReplayProgress progress,
            Counters counters,
            BiConsumer<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> sink) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, metadataTimeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, metadataTimeout);
        long total =
                partitions.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum();
        Set<TopicPartition> remaining = new TreeSet<>(Comparator.comparingInt(TopicPartition::partition));
        remaining.addAll(partitions);
        long lastDone = -1;
        long lastProgressNanos = System.nanoTime();
        while (!remaining.isEmpty() && !stopped) {
            remaining.removeIf(tp -> consumer.position(tp, metadataTimeout) >= end.get(tp));
            consumer.pause(
                    partitions.stream().filter(tp -> !remaining.contains(tp)).toList());
            if (remaining.isEmpty()) {
                break;
            }
            ConsumerRecords<byte[], byte[]> records = poll(counters, end);
            for (TopicPartition partition : records.partitions()) {
                sink.accept(partition, beforeEnd(records.records(partition), end.get(partition)));
            }
            long done = done(partitions, begin, end);
            progress.update(done, total);
            if (done != lastDone) {
                lastDone = done;
                lastProgressNanos = System.nanoTime();
            } else if (System.nanoTime() - lastProgressNanos > metadataTimeout.toNanos()) {
                throw new KafkaUnavailableException(
                        "no record from Kafka for " + metadataTimeout.toSeconds() + " s with " + (total - done) + " of "
                                + total + " records of " + topic + " left to read",
                        null);
            }
        }
        if (stopped) {
            return false;
        }
        progress.update(total, total);
        return true;
    }

    private static List<ConsumerRecord<byte[], byte[]>> beforeEnd(
            List<ConsumerRecord<byte[], byte[]>> records, long endOffset) {
        int count = 0;
        while (count < records.size() && records.get(count).offset() < endOffset) {
            count++;
        }
        return count == records.size() ? records : List.copyOf(records.subList(0, count));
    }

    /**
     * Reads records as they are committed until {@link #stop()} is called from another thread.
     *
     * @param fromBeginning start at the beginning of the log instead of its current end
     */
    public ReplayStats follow(RunFilter filter, ReplayListener listener, boolean fromBeginning) {
        return follow(filter, listener, fromBeginning, () -> {});
    }

    /**
     * {@link #follow(RunFilter, ReplayListener, boolean)}, calling {@code caughtUp} once every record committed when
     * the follow began was handed to the listener.
     */
    public ReplayStats follow(RunFilter filter, ReplayListener listener, boolean fromBeginning, Runnable caughtUp) {
        return follow(filter, RunPartitions.UNKNOWN, listener, fromBeginning, caughtUp);
    }

    /**
     * {@link #follow(RunFilter, ReplayListener, boolean, Runnable)}, skipping a record read in another partition than
     * its run's as a problem, as {@link #replay(RunFilter, RunPartitions, ReplayListener, ReplayProgress)} does.
     *
     * @param runPartitions where the runs' records are, e.g. {@link #runPartitions()}
     */
    public ReplayStats follow(
            RunFilter filter,
            RunPartitions runPartitions,
            ReplayListener listener,
            boolean fromBeginning,
            Runnable caughtUp) {
        Counters counters = new Counters();
        ReplayPipeline pipeline = new ReplayPipeline(filter, listener, counters, !fromBeginning, runPartitions);
        Map<TopicPartition, Long> startEnds;
        try {
            if (stopped) {
                return counters.snapshot(); // stopped while the caller read the layout (its wakeup is spent)
            }
            startEnds = startFollowing(filter, runPartitions, fromBeginning);
        } catch (WakeupException stopping) {
            return counters.snapshot(); // stopped (Ctrl-C) while it asked the broker where to start: nothing read
        }
        boolean told = false;
        while (!stopped) {
            for (ConsumerRecord<byte[], byte[]> record : poll(counters, Map.of())) {
                if (stopped) {
                    break; // stopped by the listener (--max-runs): nothing more is handed to it, not the poll's rest
                }
                counters.countRecord();
                pipeline.accept(RecordDecoder.decode(record));
            }
            if (!told && reached(startEnds)) {
                told = true;
                caughtUp.run();
            }
        }
        return counters.snapshot();
    }

    /** Assigns the partitions the filter names and positions them; returns their ends at the start. */
    private Map<TopicPartition, Long> startFollowing(
            RunFilter filter, RunPartitions runPartitions, boolean fromBeginning) {
        Set<TopicPartition> partitions = partitionsFor(filter, runPartitions);
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
            partitions.forEach(tp -> consumer.position(tp, metadataTimeout));
        }
        return kafkaAnswering(() -> consumer.endOffsets(partitions, metadataTimeout));
    }

    /** True when every partition's position is at or past {@code ends}; false when a position is not known now. */
    private boolean reached(Map<TopicPartition, Long> ends) {
        try {
            return ends.entrySet().stream()
                    .allMatch(end -> consumer.position(end.getKey(), metadataTimeout) >= end.getValue());
        } catch (KafkaException e) {
            return false; // not known now (a broker away, a truncated log): the next poll deals with it
        }
    }

    /**
     * One poll; positions the log no longer holds are moved past ({@link MissingOffsets}) and the offsets
     * deleted unread counted, only those below {@code readUpTo}'s bound where it has one.
     */
    private ConsumerRecords<byte[], byte[]> poll(Counters counters, Map<TopicPartition, Long> readUpTo) {
        try {
            return consumer.poll(POLL);
        } catch (WakeupException e) {
            stopped = true;
            return ConsumerRecords.empty();
        } catch (OffsetOutOfRangeException e) {
            try {
                for (MissingOffsets.Resumed resumed :
                        MissingOffsets.goOn(consumer, e, metadataTimeout, LOG, "this reader")) {
                    counters.countDeletedOffsets(
                            resumed.deletedBelow(readUpTo.getOrDefault(resumed.partition(), Long.MAX_VALUE)));
                }
            } catch (RetriableException notNow) {
                // the broker cannot say now: the next poll fails the same way and this is asked again
            }
            return ConsumerRecords.empty();
        }
    }

    private long done(Set<TopicPartition> partitions, Map<TopicPartition, Long> begin, Map<TopicPartition, Long> end) {
        long done = 0;
        for (TopicPartition tp : partitions) {
            done += Math.min(consumer.position(tp, metadataTimeout), end.get(tp)) - begin.get(tp);
        }
        return done;
    }

    /**
     * {@code read}, with Kafka's own timeout (no metadata, no offsets, no position within the reader's timeout: a
     * broker gone before or during the read) reported as {@link KafkaUnavailableException}, as a read that gets no
     * record is: the one exception callers map to "Kafka cannot be reached" (the CLI's exit 5, the viewer's 503).
     */
    private <T> T kafkaAnswering(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new KafkaUnavailableException(
                    "Kafka did not answer within " + metadataTimeout.toSeconds() + " s while reading " + topic + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private Set<TopicPartition> partitionsFor(RunFilter filter) {
        return partitionsFor(filter, RunPartitions.UNKNOWN);
    }

    /**
     * The partitions holding the runs the filter names (all when it names none): each run's id hashed over the log's
     * layout count when known ({@link RunPartitions}), as the recorder wrote them, else over the topic's count today,
     * which differs from the log's once partitions were added.
     */
    private Set<TopicPartition> partitionsFor(RunFilter filter, RunPartitions runPartitions) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, metadataTimeout);
        if (infos == null || infos.isEmpty()) {
            throw new ChunkTopicNotFoundException(topic);
        }
        int count = runPartitions.partitions() > 0 ? runPartitions.partitions() : infos.size();
        Set<Integer> wanted = filter.runIds() == null
                ? infos.stream().map(PartitionInfo::partition).collect(Collectors.toSet())
                : filter.runIds().stream()
                        .map(id -> TopicConventions.partitionFor(id, count))
                        .collect(Collectors.toSet());
        return wanted.stream().map(p -> new TopicPartition(topic, p)).collect(Collectors.toSet());
    }

    /** Makes a running {@link #replay} or {@link #follow} return soon; callable from any thread. */
    public void stop() {
        stopped = true;
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
