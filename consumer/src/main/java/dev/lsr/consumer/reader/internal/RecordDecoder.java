package dev.lsr.consumer.reader.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.MalformedChunkException;
import dev.lsr.chunklog.NewerFormatException;
import dev.lsr.chunklog.UnreadableRecordException;
import dev.lsr.consumer.reader.LogLocation;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.ReadProblem.Kind;
import dev.lsr.consumer.reader.RunRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Turns a consumed record into a {@link RunRecord}, or into the problem that makes it unusable. */
public final class RecordDecoder {

    private RecordDecoder() {}

    public static Decoded decode(ConsumerRecord<byte[], byte[]> consumed) {
        return envelope(consumed).decode();
    }

    /**
     * The first half of {@link #decode(ConsumerRecord)}: the envelope only. A parallel replay does it on
     * the reading thread, where the record's headers were just parsed, and the rest on a worker.
     */
    public static Enveloped envelope(ConsumerRecord<byte[], byte[]> consumed) {
        LogLocation location = LogLocation.kafka(consumed.topic(), consumed.partition(), consumed.offset());
        try {
            return new Enveloped(location, ChunkLogRecord.fromConsumerRecord(consumed), null);
        } catch (NewerFormatException e) {
            return new Enveloped(
                    location, null, problem(Kind.NEWER_FORMAT, keyRunId(consumed), location, e.getMessage()));
        } catch (UnreadableRecordException e) {
            return new Enveloped(
                    location, null, problem(Kind.UNREADABLE_RECORD, keyRunId(consumed), location, e.getMessage()));
        }
    }

    /**
     * A consumed record with its envelope read, or the problem that stopped it.
     *
     * @param location where it was read
     * @param record   the record, or null when {@code problem} says why not
     * @param problem  null when the envelope was read
     */
    public record Enveloped(LogLocation location, ChunkLogRecord record, Decoded problem) {

        /** The rest of the decoding: the value. */
        public Decoded decode() {
            return problem != null ? problem : RecordDecoder.decode(record, location);
        }
    }

    /** Decodes the value of a record whose envelope is already read. */
    public static Decoded decode(ChunkLogRecord record, LogLocation location) {
        String runId = record.runId();
        if (!record.envelope().isChunk()) {
            try {
                return new Decoded.Readable(
                        new RunRecord(location, record, null, LifecycleEvent.fromJson(record.type(), record.value())));
            } catch (UnreadableRecordException e) {
                return problem(Kind.UNREADABLE_RECORD, runId, location, e.getMessage());
            }
        }
        ParsedChunk parsed;
        try {
            parsed = ParsedChunk.of(record.value());
        } catch (MalformedChunkException e) {
            return skippedChunk(Kind.MALFORMED_CHUNK, record, location, e.getMessage());
        }
        ChunkPeek peek = parsed.peek();
        if (!MessageTypes.isKnown(peek.messageType(), record.envelope().sseEvent(), record.value())) {
            return skippedChunk(
                    Kind.UNKNOWN_MESSAGE_TYPE,
                    record,
                    location,
                    "message_type '" + peek.messageType() + "' is not a Letta chunk type this reader knows");
        }
        if (peek.runId() != null && !peek.runId().equals(runId)) {
            return problem(
                    Kind.UNREADABLE_RECORD,
                    runId,
                    location,
                    "chunk run_id " + peek.runId() + " does not match the record's run");
        }
        return new Decoded.Readable(new RunRecord(location, record, peek, null, parsed.json()));
    }

    private static String keyRunId(ConsumerRecord<byte[], byte[]> consumed) {
        return consumed.key() == null ? null : new String(consumed.key(), UTF_8);
    }

    private static Decoded skippedChunk(Kind kind, ChunkLogRecord record, LogLocation location, String detail) {
        return new Decoded.Unreadable(new ReadProblem(kind, record.runId(), location, detail), record.position());
    }

    private static Decoded problem(Kind kind, String runId, LogLocation location, String detail) {
        return new Decoded.Unreadable(new ReadProblem(kind, runId, location, detail));
    }
}
