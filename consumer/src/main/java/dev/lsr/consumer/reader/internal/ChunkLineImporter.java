package dev.lsr.consumer.reader.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.MalformedChunkException;
import dev.lsr.chunklog.PositionAssigner;
import dev.lsr.chunklog.Utf8;
import dev.lsr.consumer.reader.LogLocation;
import dev.lsr.consumer.reader.ReadProblem;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns chunk lines (one SSE {@code data:} payload per line, as in an exported file or a fixture)
 * into chunk-log records, as the recorder would have written them: run id from the chunk (or, for
 * chunks without one such as {@code stop_reason}, the previous chunk's run in the same file),
 * positions by the chunk-log rule continued across files, each file counted as a new connection resuming
 * after the last seq read (as the recorder numbers seq-less chunks), receive time from the chunk's
 * {@code date} (else the run's previous time), SSE event {@code error} for error frames.
 */
public final class ChunkLineImporter {

    private static final String DONE = "[DONE]";

    private final Map<String, PositionAssigner> positions = new HashMap<>();
    private final Map<String, Instant> lastTimes = new HashMap<>();
    private String source = "file:";
    private String currentRun;

    /**
     * Starts the next file: a new drain, so a chunk without run id cannot inherit across it, and a new connection
     * for each run, resuming after its last seq: the seq-less chunks after that seq that Letta replays (stop_reason,
     * usage_statistics) take the positions they had, and the reader finds those it read as duplicates.
     */
    public void startFile(String file) {
        source = "file:" + file;
        currentRun = null;
        positions.replaceAll((run, assigner) -> PositionAssigner.resumingAfter(assigner.lastSeq()));
    }

    /**
     * Decodes one line of a file as read, its bytes: a line that is no UTF-8 (the recorder's rule for frames,
     * {@link Utf8}) is a malformed chunk; null for a blank line and for the SSE terminator {@code [DONE]}, which are no
     * chunks.
     */
    public Decoded importLine(byte[] line, LogLocation location) {
        if (!Utf8.isValid(line)) {
            return problem(ReadProblem.Kind.MALFORMED_CHUNK, currentRun, location, "line is not UTF-8");
        }
        String text = new String(line, UTF_8);
        return text.isBlank() || isDone(text) ? null : importValue(line, location);
    }

    /** Decodes one non-blank line; null for the SSE terminator {@code [DONE]}, which is no chunk. */
    public Decoded importLine(String line, LogLocation location) {
        return isDone(line) ? null : importValue(line.getBytes(UTF_8), location);
    }

    private static boolean isDone(String line) {
        return line.strip().equals(DONE);
    }

    /** Decodes one chunk, its bytes as the line held them. */
    private Decoded importValue(byte[] value, LogLocation location) {
        ChunkPeek peek;
        JsonNode tree;
        try {
            peek = ChunkPeek.of(value);
            tree = Json.MAPPER.readTree(value);
        } catch (MalformedChunkException | IOException e) {
            return problem(ReadProblem.Kind.MALFORMED_CHUNK, currentRun, location, e.getMessage());
        }
        String runId = peek.runId() != null ? peek.runId() : currentRun;
        if (runId == null) {
            return problem(
                    ReadProblem.Kind.UNREADABLE_RECORD,
                    null,
                    location,
                    "chunk has no run_id and no earlier chunk of this file names its run");
        }
        currentRun = runId;
        Instant receivedAt = dateOf(tree);
        if (receivedAt == null) {
            receivedAt = lastTimes.getOrDefault(runId, Instant.EPOCH);
        }
        lastTimes.put(runId, receivedAt);
        var position = positions
                .computeIfAbsent(runId, id -> PositionAssigner.fromStart())
                .next(peek.seqId());
        Envelope envelope = Envelope.chunk(source, runId, position, sseEventOf(peek, tree), receivedAt, null, null);
        return RecordDecoder.decode(new ChunkLogRecord(envelope, value), location);
    }

    private static String sseEventOf(ChunkPeek peek, JsonNode tree) {
        if (MessageTypes.ERROR_MESSAGE.equals(peek.messageType())
                || (peek.messageType() == null && tree.has("error"))) {
            return "error";
        }
        if (peek.messageType() == null && tree.has("message")) {
            return "cancelled";
        }
        return null;
    }

    private static Instant dateOf(JsonNode tree) {
        JsonNode date = tree.get("date");
        if (date == null || !date.isTextual()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(date.asText()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Decoded problem(ReadProblem.Kind kind, String runId, LogLocation location, String detail) {
        return new Decoded.Unreadable(new ReadProblem(kind, runId, location, detail));
    }
}
