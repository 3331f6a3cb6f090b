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

    private RecordDecoder() {
    }

    public static Decoded decode(ConsumerRecord<byte[], byte[]> consumed) {
        LogLocation location = LogLocation.kafka(consumed.topic(), consumed.partition(), consumed.offset());
        ChunkLogRecord record;
        try {
            record = ChunkLogRecord.fromConsumerRecord(consumed);
        } catch (NewerFormatException e) {
            return problem(Kind.NEWER_FORMAT, keyRunId(consumed), location, e.getMessage());
        } catch (UnreadableRecordException e) {
            return problem(Kind.UNREADABLE_RECORD, keyRunId(consumed), location, e.getMessage());
        }
        return decode(record, location);
    }

    /** Decodes the value of a record whose envelope is already read. */
    public static Decoded decode(ChunkLogRecord record, LogLocation location) {
        String runId = record.runId();
        if (!record.envelope().isChunk()) {
            try {
                return new Decoded.Readable(new RunRecord(location, record, null,
                        LifecycleEvent.fromJson(record.type(), record.value())));
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
            return skippedChunk(Kind.UNKNOWN_MESSAGE_TYPE, record, location,
                    "message_type '" + peek.messageType() + "' is not a Letta chunk type this reader knows");
        }
        if (peek.runId() != null && !peek.runId().equals(runId)) {
            return problem(Kind.UNREADABLE_RECORD, runId, location,
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
