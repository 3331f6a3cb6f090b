package dev.lsr.consumer.projection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Envelope;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.MalformedChunkException;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.PositionAssigner;
import dev.lsr.chunklog.UnreadableRecordException;
import dev.lsr.consumer.reader.ReadProblem;
import dev.lsr.consumer.reader.ReplayEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Turns chunk-log records, or plain chunks, into {@link RunLogEntry}s. */
public final class RunLogEntries {

    private RunLogEntries() {}

    /** One record of the chunk topic; never throws for a bad value (it becomes an {@link RunLogEntry.UnreadableEntry}). */
    public static RunLogEntry of(ChunkLogRecord record) {
        return of(record, null);
    }

    /**
     * One record of the chunk topic whose chunk value may already be parsed ({@code json}, read-only;
     * null: parse it here); never throws for a bad value.
     */
    public static RunLogEntry of(ChunkLogRecord record, ObjectNode json) {
        Envelope envelope = record.envelope();
        if (envelope.isChunk()) {
            try {
                Chunk chunk = json != null
                        ? new Chunk(json, envelope.sseEvent())
                        : Chunk.parse(record.value(), envelope.sseEvent());
                return new RunLogEntry.ChunkEntry(
                        envelope.runId(),
                        chunk,
                        envelope.position(),
                        envelope.receivedAt(),
                        record.value().length,
                        envelope.agentId(),
                        envelope.conversationId());
            } catch (MalformedChunkException e) {
                return new RunLogEntry.UnreadableEntry(
                        envelope.runId(), envelope.type(), envelope.position(), envelope.receivedAt(), e.getMessage());
            }
        }
        try {
            LifecycleEvent event = LifecycleEvent.fromJson(envelope.type(), record.value());
            return new RunLogEntry.LifecycleEntry(
                    envelope.runId(),
                    envelope.type(),
                    event,
                    envelope.position(),
                    envelope.receivedAt(),
                    envelope.agentId(),
                    envelope.conversationId());
        } catch (UnreadableRecordException e) {
            return new RunLogEntry.UnreadableEntry(
                    envelope.runId(), envelope.type(), envelope.position(), envelope.receivedAt(), e.getMessage());
        }
    }

    /**
     * A reader's event as an entry: a chunk or lifecycle record (repeats included: the folds judge
     * them), a skipped record of a run as an unreadable entry; null for gaps and ends, which describe
     * the run rather than a record, and for a skipped record that names no run.
     */
    public static RunLogEntry of(ReplayEvent event) {
        return switch (event) {
            case ReplayEvent.Chunk chunk ->
                of(chunk.record().record(), chunk.record().json());
            case ReplayEvent.Lifecycle lifecycle -> of(lifecycle.record().record());
            case ReplayEvent.Unreadable unreadable -> {
                ReadProblem problem = unreadable.problem();
                yield problem.runId() == null
                        ? null
                        : new RunLogEntry.UnreadableEntry(
                                problem.runId(),
                                null,
                                null,
                                null,
                                problem.kind().label() + ": " + problem.detail());
            }
            case ReplayEvent.Gap gap -> null;
            case ReplayEvent.End end -> null;
        };
    }

    public static List<RunLogEntry> ofRecords(List<ChunkLogRecord> records) {
        return records.stream().map(RunLogEntries::of).toList();
    }

    /** Fixture-style JSONL lines of one run (see {@link Chunk#fromJsonLine}); sizes are the lines' UTF-8 bytes. */
    public static List<RunLogEntry> ofJsonLines(List<String> lines) {
        List<String> nonBlank = lines.stream().filter(line -> !line.isBlank()).toList();
        List<RunLogEntry> entries =
                ofChunks(nonBlank.stream().map(Chunk::fromJsonLine).toList());
        List<RunLogEntry> sized = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            RunLogEntry.ChunkEntry entry = (RunLogEntry.ChunkEntry) entries.get(i);
            sized.add(new RunLogEntry.ChunkEntry(
                    entry.runId(),
                    entry.chunk(),
                    entry.position(),
                    null,
                    nonBlank.get(i).getBytes(StandardCharsets.UTF_8).length,
                    null,
                    null));
        }
        return sized;
    }

    /**
     * Chunks of one run in arrival order (a JSONL import): positions follow chunk-log's {@link Position}
     * rule, receipt times are unknown; sizes are of the re-serialized JSON.
     */
    public static List<RunLogEntry> ofChunks(List<Chunk> chunks) {
        List<RunLogEntry> entries = new ArrayList<>(chunks.size());
        PositionAssigner positions = PositionAssigner.fromStart();
        for (Chunk chunk : chunks) {
            Position position = positions.next(chunk.seqId());
            int size = chunk.json().toString().getBytes(StandardCharsets.UTF_8).length;
            entries.add(new RunLogEntry.ChunkEntry(chunk.runId(), chunk, position, null, size, null, null));
        }
        return entries;
    }
}
