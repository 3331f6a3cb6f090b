package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RecordType;
import dev.lsr.chunklog.UnreadableRecordException;
import dev.lsr.kernel.OutageLog;
import dev.lsr.kernel.TransactionalErrors;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one run's stream: reads the run's records from its first offset (from the index, so not the
 * whole partition) with a pooled consumer up to the live handover, then tails the index's live feed
 * until the run's final frame, with keepalive pings on silence like Letta's background stream
 * (protocol §1.6: after {@code keepalive} without a frame; the response ends after 30 min without a
 * record, with pings or without). Without pings ({@code include_pings: false}) the silence gets an SSE comment
 * line instead ({@link SseFrames#COMMENT}, which SSE parsers skip): a gone client is found only by a failed
 * write, and a stream that never wrote held its thread, live feed and connection for those 30 minutes.
 *
 * <p>A catch-up read borrows a pooled consumer for each slice of the log it reads (up to {@link #SLICE_BYTES} of
 * frames) and gives it back before it writes the slice to the client, so a client that stops reading holds no
 * consumer while its write blocks. A Kafka error ends that response only: the
 * consumer is closed as broken, the body ends without a final frame (the client resumes), and the
 * failure is logged once per outage of the catch-up reads ({@link OutageLog}: WARN with the run and
 * partition when the first read fails, INFO when one completes again). While the broker is away a
 * catch-up read does not fail (its position comes from the seek, and a poll without an answer returns
 * nothing): it waits for the broker. A tail waits on the index's live feed, with pings, which the index
 * fills again once it reads again ({@link RunIndex}).
 *
 * <p><b>Frames no longer in the log</b> (the topic's retention or {@code deleteRecords} took a run's
 * first records) are never skipped silently: a request that asks for any of them is answered 410 before
 * any body ({@link #readableFrom}), as Letta answers for a run it no longer keeps; a catch-up read
 * that finds its records deleted under it ends the body without a final frame (the client's resume is
 * then answered 410).
 */
final class RunStreamer {

    static final Duration PINGS_ONLY_LIMIT = Duration.ofSeconds(1800);
    private static final Duration LOG_START_TIMEOUT = Duration.ofSeconds(5);
    /** How often the partition's start is read again when more of it is deleted while the run's first chunk is looked for. */
    private static final int DELETED_WHILE_LOOKING = 3;
    /** How many bytes of frames a catch-up read takes from the log before it writes them to the client. */
    static final int SLICE_BYTES = 1 << 20;
    /**
     * How long a catch-up read goes on reading once it holds a frame: a run with few records in a busy partition
     * gets its frames as they are found, not after the whole partition was scanned.
     */
    static final Duration SLICE_TIME = Duration.ofMillis(200);

    private static final Logger LOG = LoggerFactory.getLogger(RunStreamer.class);

    private final RunIndex index;
    private final ConsumerPool pool;
    private final Duration keepalive;
    private final Clock clock;
    private final OutageLog catchUpFailures;

    RunStreamer(RunIndex index, ConsumerPool pool, Duration keepalive, Clock clock) {
        this.index = index;
        this.pool = pool;
        this.keepalive = keepalive;
        this.clock = clock;
        this.catchUpFailures = new OutageLog(
                LOG,
                new OutageLog.Wording(
                        "catch-up reads of topic " + index.topic(),
                        "fail",
                        "each stream that hits it ends without a final frame and its client resumes",
                        "complete again"),
                clock);
    }

    /**
     * Where the request's frames start in the log; before any body, an answer for what this server cannot serve:
     * <ul>
     *   <li>410 when the topic was deleted;
     *   <li>410 when the run ended without its final frame (expired, gone, not resumable, abandoned) and the request
     *       starts at or after its last {@code seq_id} (what a client resumes from; the seq-less frames after it,
     *       stop_reason and usage, it may have seen or not): nothing more will come, and a 200 without a final frame
     *       brought a client that resumes until {@code [DONE]} back forever (Letta answers 410 for a run it no
     *       longer keeps);
     *   <li>410 when frames the request asks for are no longer in the log: the run's first records were
     *       gone before the index read them (a headless run, unless the request starts after them), or
     *       were deleted since (unless the request starts after them: {@link #readFromAfterDeletions}).
     *       When the partition's start cannot be asked for now, the catch-up read finds out instead;
     *   <li>503 when the index stopped following the log for good, the run had not ended by then, and the
     *       request starts at or after the last frame indexed: nothing more can come from here, and a
     *       stream without a frame would only bring the client back at once (a client that resumes from a
     *       frame the index still has gets those frames first).
     * </ul>
     *
     * @return the offset the catch-up read starts at
     */
    long readableFrom(IndexedRun.Snapshot run, StreamRequest request) throws InterruptedException {
        if (index.topicDeleted()) {
            throw HttpProblem.detail(
                    410,
                    "Run " + run.runId() + ": its frames are no longer in the log (topic " + index.topic()
                            + " was deleted).");
        }
        if (!run.holdsFramesAfter(request.startingAfter())) {
            throw gone(run, request);
        }
        if (run.endedWithoutItsFinalFrame() && request.startingAfter() >= run.lastChunkSeq()) {
            throw HttpProblem.detail(
                    410,
                    "Run " + run.runId() + ": nothing after seq " + request.startingAfter() + " in the log: the run"
                            + " ended there without its final frame ("
                            + run.endedWithoutItsFinalFrameBy().cloudEventType() + ").");
        }
        long readFrom = readFromAfterDeletions(run, request);
        if (index.failure() != null) {
            // the index's last word: taken after the failure, which the index thread sets after its last record
            IndexedRun.Snapshot last = index.find(run.runId()).orElse(run);
            if (!last.ended() && request.startingAfter() >= last.lastChunkNumber()) {
                throw HttpProblem.detail(
                        503,
                        "This replay server stopped following the log, so run " + run.runId()
                                + " cannot be streamed on from here; resume from another replay server or from Letta.");
            }
        }
        return readFrom;
    }

    private static HttpProblem gone(IndexedRun.Snapshot run, StreamRequest request) {
        return HttpProblem.detail(
                410,
                "Run " + run.runId() + ": frames after seq " + request.startingAfter()
                        + " are no longer in the log (deleted by the topic's retention), so it cannot be"
                        + " streamed from there.");
    }

    /**
     * The run's first offset, unless its first records were deleted since the index read them (retention and
     * {@code deleteRecords} delete a partition from its front). Then the partition's start, when the request
     * asks for none of the deleted frames, as the first of the run's chunks still there tells (Letta serves a
     * resume after the part of a stream it trimmed the same way); else 410. When the partition's start cannot be
     * asked for now, the run's first offset: the catch-up read finds out.
     */
    private long readFromAfterDeletions(IndexedRun.Snapshot run, StreamRequest request) throws InterruptedException {
        TopicPartition partition = new TopicPartition(index.topic(), run.partition());
        Consumer<byte[], byte[]> consumer = pool.borrow();
        boolean broken = true;
        try {
            for (int look = 0; look < DELETED_WHILE_LOOKING; look++) {
                long start = consumer.beginningOffsets(List.of(partition), LOG_START_TIMEOUT)
                        .get(partition);
                if (start <= run.firstOffset()) {
                    broken = false;
                    return run.firstOffset();
                }
                try {
                    long firstLeft = firstChunkNumberFrom(consumer, partition, run, start);
                    broken = false;
                    if (request.startingAfter() < firstLeft - 1) {
                        throw gone(run, request);
                    }
                    return start;
                } catch (OffsetOutOfRangeException e) {
                    LOG.debug("run {}: more of {} was deleted while its start was read", run.runId(), partition);
                }
            }
            broken = false;
            throw gone(run, request);
        } catch (KafkaException e) {
            LOG.debug("run {}: the start of {} is unknown now: {}", run.runId(), partition, e.toString());
            return run.firstOffset();
        } finally {
            pool.giveBack(consumer, broken);
        }
    }

    /**
     * The number of the run's first chunk at or after offset {@code from}, read up to the run's last indexed
     * record; one past its last indexed chunk when none is left there.
     */
    private long firstChunkNumberFrom(
            Consumer<byte[], byte[]> consumer, TopicPartition partition, IndexedRun.Snapshot run, long from) {
        byte[] key = run.runId().getBytes(UTF_8);
        long end = run.lastOffset() + 1;
        long deadline = System.nanoTime() + LOG_START_TIMEOUT.toNanos();
        consumer.assign(List.of(partition));
        consumer.seek(partition, from);
        while (consumer.position(partition) < end) {
            if (System.nanoTime() - deadline > 0) {
                throw new org.apache.kafka.common.errors.TimeoutException(
                        "reading " + partition + " from " + from + " took longer than " + LOG_START_TIMEOUT);
            }
            for (ConsumerRecord<byte[], byte[]> record :
                    consumer.poll(Duration.ofMillis(100)).records(partition)) {
                if (record.offset() >= end) {
                    break;
                }
                if (Arrays.equals(record.key(), key)) {
                    ChunkLogRecord decoded = decode(record);
                    if (decoded != null && decoded.type() == RecordType.CHUNK) {
                        return decoded.position().number();
                    }
                }
            }
        }
        return run.lastChunkNumber() + 1;
    }

    /** Streams the run's frames after the request's position, reading the log from {@code readFrom} on. */
    void stream(IndexedRun.Snapshot run, StreamRequest request, long readFrom, SseBody body)
            throws IOException, InterruptedException {
        StreamCursor cursor = new StreamCursor(request.startingAfter());
        LiveFeed feed = run.ended() ? null : index.subscribe(run.runId(), run.partition());
        try {
            long stopAt = feed == null ? run.lastOffset() + 1 : feed.handover();
            catchUp(run, readFrom, stopAt, request, cursor, body);
            if (feed != null && !cursor.ended()) {
                tail(run.runId(), feed, request, cursor, body);
            }
        } finally {
            if (feed != null) {
                index.unsubscribe(feed);
            }
        }
    }

    private void catchUp(
            IndexedRun.Snapshot run,
            long readFrom,
            long stopAt,
            StreamRequest request,
            StreamCursor cursor,
            SseBody body)
            throws IOException, InterruptedException {
        LogSpan span = new LogSpan(
                run,
                new TopicPartition(index.topic(), run.partition()),
                stopAt,
                request.pollInterval().isZero() ? Duration.ofMillis(100) : request.pollInterval());
        long next = readFrom;
        while (!cursor.ended() && next < stopAt) {
            Slice slice = readSlice(span, next, cursor);
            for (byte[] frame : slice.frames()) {
                body.write(frame);
            }
            body.flush();
            next = slice.next();
        }
        catchUpFailures.succeeded();
    }

    /** What a catch-up read reads: the run's records in its partition, up to the live handover. */
    private record LogSpan(IndexedRun.Snapshot run, TopicPartition partition, long stopAt, Duration poll) {
        byte[] key() {
            return run.runId().getBytes(UTF_8);
        }
    }

    /** The frames of one slice of the log, and the offset the next slice starts at. */
    private record Slice(List<byte[]> frames, long next) {}

    /**
     * Reads the run's frames from offset {@code from} with a pooled consumer, until {@link #SLICE_BYTES} of frames,
     * {@link #SLICE_TIME} after a first frame, the span's end, the run's final frame or a poll that brings nothing,
     * and gives the consumer back before any of
     * them is written: a client that reads slowly, or not at all, blocks its own writes, never the log reads of the
     * others (before, {@code readers} stalled clients left every other stream request waiting for a consumer).
     */
    private Slice readSlice(LogSpan span, long from, StreamCursor cursor) throws IOException, InterruptedException {
        Consumer<byte[], byte[]> consumer = pool.borrow();
        boolean broken = true;
        try {
            consumer.assign(List.of(span.partition()));
            consumer.seek(span.partition(), from);
            byte[] key = span.key();
            List<byte[]> frames = new ArrayList<>();
            long bytes = 0;
            long next = from;
            long firstFrameAt = 0;
            while (bytes < SLICE_BYTES
                    && next < span.stopAt()
                    && !cursor.ended()
                    && (frames.isEmpty() || System.nanoTime() - firstFrameAt < SLICE_TIME.toNanos())) {
                List<ConsumerRecord<byte[], byte[]>> records =
                        consumer.poll(span.poll()).records(span.partition());
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.offset() >= span.stopAt() || cursor.ended()) {
                        break;
                    }
                    if (Arrays.equals(record.key(), key)) {
                        byte[] frame = frameOf(cursor, record.offset(), decode(record));
                        if (frame != null) {
                            if (frames.isEmpty()) {
                                firstFrameAt = System.nanoTime();
                            }
                            frames.add(frame);
                            bytes += frame.length;
                        }
                    }
                }
                next = Math.min(consumer.position(span.partition()), span.stopAt());
                if (records.isEmpty()) {
                    break; // nothing now (a broker away): the consumer goes back, the next slice asks again
                }
            }
            broken = false;
            return new Slice(frames, next);
        } catch (OffsetOutOfRangeException e) {
            LOG.warn(
                    "run {}: its records in {} were deleted (retention, deleteRecords) while its stream read them;"
                            + " the stream ends without its final frame, and a resume is answered 410",
                    span.run().runId(),
                    span.partition());
            throw new IOException(
                    "run " + span.run().runId() + ": records deleted under the read of " + span.partition(), e);
        } catch (InterruptException e) {
            throw new InterruptedException("run " + span.run().runId() + ": its catch-up read was interrupted");
        } catch (KafkaException e) {
            catchUpFailures.failed(
                    "run " + span.run().runId() + " in " + span.partition() + ": " + TransactionalErrors.describe(e));
            throw new IOException(
                    "reading " + span.partition() + " for run " + span.run().runId() + ": " + e.getMessage(), e);
        } finally {
            pool.giveBack(consumer, broken);
        }
    }

    private void tail(String runId, LiveFeed feed, StreamRequest request, StreamCursor cursor, SseBody body)
            throws IOException, InterruptedException {
        long lastWrite = System.nanoTime();
        long lastData = lastWrite;
        while (!cursor.ended()) {
            if (System.nanoTime() - lastData >= PINGS_ONLY_LIMIT.toNanos()) {
                return; // with pings or without
            }
            long silent = System.nanoTime() - lastWrite;
            Duration wait = keepalive.minusNanos(silent);
            if (wait.isNegative() || wait.isZero()) {
                // without pings a comment, which SSE parsers skip: only a write finds a client that went away
                body.write(
                        request.includePings()
                                ? SseFrames.keepalive(runId, cursor.lastSeqShown(), clock.instant())
                                : SseFrames.COMMENT);
                body.flush();
                lastWrite = System.nanoTime();
                continue;
            }
            LiveFeed.Item item = feed.next(wait);
            if (item == LiveFeed.END) {
                return; // the index stopped following the log: the client resumes elsewhere
            }
            if (item != null && write(cursor, item.offset(), item.record(), body)) {
                body.flush();
                lastWrite = System.nanoTime();
                lastData = lastWrite;
            }
        }
    }

    /** Writes the record's frame, if it has one; true when it did. */
    private static boolean write(StreamCursor cursor, long offset, ChunkLogRecord record, SseBody body)
            throws IOException {
        byte[] frame = frameOf(cursor, offset, record);
        if (frame != null) {
            body.write(frame);
            return true;
        }
        return false;
    }

    /** The record's frame, or null when it has none (or cannot be read). */
    private static byte[] frameOf(StreamCursor cursor, long offset, ChunkLogRecord record) {
        return record == null ? null : cursor.take(offset, record).frame();
    }

    /** The record, or null when it cannot be read (the index logged it once). */
    private static ChunkLogRecord decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return ChunkLogRecord.fromConsumerRecord(record);
        } catch (UnreadableRecordException | IllegalArgumentException e) {
            return null;
        }
    }
}
