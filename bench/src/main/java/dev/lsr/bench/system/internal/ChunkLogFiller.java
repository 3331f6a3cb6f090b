package dev.lsr.bench.system.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.bench.system.internal.FixtureTemplates.TemplateChunk;
import dev.lsr.bench.system.internal.FixtureTemplates.TemplateRun;
import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.RunState;
import dev.lsr.chunklog.TopicConventions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a chunk log fast, without the recorder: copies of the fixture runs under new run ids, 50 runs
 * interleaved at a time as concurrent runs would be, each ending with {@code run.finished}, in
 * transactions of a transactional producer (so read_committed readers see it as they would see the
 * recorder's). The checkpoint topic gets what the recorder writes there: one checkpoint per run per
 * recorder transaction that touched it (ACTIVE at its last chunk, modelled as one every
 * {@link #CHUNKS_PER_RECORDER_TRANSACTION} chunks of the run), the last one FINISHED.
 */
final class ChunkLogFiller {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkLogFiller.class);
    private static final String SOURCE = "http://127.0.0.1:8283";
    private static final int INTERLEAVED_RUNS = 50;
    private static final int RECORDS_PER_TRANSACTION = 5_000;
    /**
     * Chunks of one run in one recorder transaction: a Letta stream at its fastest brings a chunk every
     * 20-30 ms (25 here), and the recorder commits every commit window plus the commit itself (~20 ms under
     * load): 2 with a 20 ms window, 1 with 10 ms.
     */
    static final int CHUNKS_PER_RECORDER_TRANSACTION =
            (int) Math.max(1, Math.round((Sizes.COMMIT_WINDOW.toMillis() + 20) / 25.0));

    private final BenchKafka kafka;
    private final String topic;
    private final List<TemplateRun> templates = FixtureTemplates.load();

    ChunkLogFiller(BenchKafka kafka, String topic) {
        this.kafka = kafka;
        this.topic = topic;
    }

    /** Writes runs until at least {@code minChunks} chunks are written. */
    FilledLog fill(long minChunks, String salt) {
        long start = System.nanoTime();
        long runs = 0;
        long chunks = 0;
        long records = 0;
        long checkpoints = 0;
        Instant time = Instant.now();
        try (KafkaProducer<byte[], byte[]> producer = kafka.transactionalProducer("bench-filler-" + topic)) {
            producer.initTransactions();
            producer.beginTransaction();
            int inTransaction = 0;
            while (chunks < minChunks) {
                List<RunCopy> group = new ArrayList<>();
                for (int i = 0; i < INTERLEAVED_RUNS; i++) {
                    group.add(new RunCopy(
                            templates.get((int) (runs % templates.size())),
                            FixtureTemplates.newRunId(salt.hashCode(), runs)));
                    runs++;
                }
                for (boolean any = true; any; ) {
                    any = false;
                    for (RunCopy run : group) {
                        ProducerRecord<byte[], byte[]> next = run.next(time);
                        if (next == null) {
                            continue;
                        }
                        any = true;
                        time = time.plusNanos(1_000);
                        producer.send(next);
                        records++;
                        if (!run.done()) {
                            chunks++;
                        }
                        ProducerRecord<byte[], byte[]> checkpoint = run.checkpointDue(time);
                        if (checkpoint != null) {
                            producer.send(checkpoint);
                            checkpoints++;
                        }
                        if (++inTransaction >= RECORDS_PER_TRANSACTION) {
                            producer.commitTransaction();
                            producer.beginTransaction();
                            inTransaction = 0;
                        }
                    }
                }
            }
            producer.commitTransaction();
        }
        kafka.awaitTransactionsResolved(topic);
        LOG.info(
                "filled {} with {} chunks of {} runs and {} checkpoints in {} ms",
                topic,
                chunks,
                runs,
                checkpoints,
                (System.nanoTime() - start) / 1_000_000);
        return new FilledLog(topic, runs, chunks, records, checkpoints);
    }

    /** One copy of a template run being written. */
    private final class RunCopy {
        private final TemplateRun template;
        private final String runId;
        private final byte[] runIdBytes;
        private final int partition;
        private int next;
        private int sinceCheckpoint;
        private boolean finished;

        RunCopy(TemplateRun template, String runId) {
            this.template = template;
            this.runId = runId;
            this.runIdBytes = runId.getBytes(UTF_8);
            this.partition = TopicConventions.partitionFor(runId, Sizes.PARTITIONS);
        }

        /** The next record of the run (its chunks, then run.finished), or null when all are written. */
        ProducerRecord<byte[], byte[]> next(Instant time) {
            if (finished) {
                return null;
            }
            if (next < template.chunks().size()) {
                TemplateChunk chunk = template.chunks().get(next++);
                sinceCheckpoint++;
                Envelope envelope = Envelope.chunk(
                        SOURCE, runId, chunk.position(), chunk.sseEvent(), time, agent(), conversation());
                return new ChunkLogRecord(envelope, chunk.payload(runIdBytes)).toProducerRecord(topic, partition);
            }
            finished = true;
            TemplateChunk last = template.chunks().getLast();
            Envelope envelope = Envelope.recorderRecord(
                    RecordType.RUN_FINISHED,
                    runId + "/finished",
                    SOURCE,
                    runId,
                    last.position(),
                    time,
                    agent(),
                    conversation());
            byte[] value = new LifecycleEvent.RunFinished("end_turn", "completed", null).toJson();
            return new ChunkLogRecord(envelope, value).toProducerRecord(topic, partition);
        }

        boolean done() {
            return finished;
        }

        /**
         * The checkpoint the recorder's transaction would write after the record just taken: FINISHED with
         * {@code run.finished}, ACTIVE once a transaction's worth of chunks is written; else null.
         */
        ProducerRecord<byte[], byte[]> checkpointDue(Instant time) {
            if (!finished && sinceCheckpoint < CHUNKS_PER_RECORDER_TRANSACTION) {
                return null;
            }
            sinceCheckpoint = 0;
            Checkpoint checkpoint = Checkpoint.of(
                    runId,
                    template.chunks().get(next - 1).position(),
                    finished ? RunState.FINISHED : RunState.ACTIVE,
                    agent(),
                    conversation(),
                    time);
            return new ProducerRecord<>(
                    TopicConventions.checkpointTopic(topic), partition, runIdBytes, checkpoint.toJson());
        }

        private String agent() {
            return "agent-bench-" + (Math.abs(runId.hashCode()) % 16);
        }

        private String conversation() {
            return "conv-" + runId;
        }
    }
}
