package dev.lsr.consumer.projection.transcript;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.projection.RunLogEntries;
import java.io.UncheckedIOException;
import java.util.List;

/** Builds transcripts and writes them as JSON or terminal text. */
public final class Transcripts {

    private static final ObjectWriter PRETTY = Json.MAPPER
            .writer()
            .with(SerializationFeature.INDENT_OUTPUT)
            .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Transcripts() {}

    /** The transcript of one run's records (chunks and lifecycle records) in log order. */
    public static Transcript ofRecords(List<ChunkLogRecord> records) {
        return new TranscriptFold().applyAll(RunLogEntries.ofRecords(records)).transcript();
    }

    /** The transcript of one run's chunks in arrival order (e.g. a JSONL import); timing is unknown. */
    public static Transcript ofChunks(List<Chunk> chunks) {
        return new TranscriptFold().applyAll(RunLogEntries.ofChunks(chunks)).transcript();
    }

    public static JsonNode toJson(Transcript transcript) {
        return Json.MAPPER.valueToTree(transcript);
    }

    /** Deterministic, indented JSON (null fields omitted). */
    public static String toJsonText(Transcript transcript) {
        try {
            return PRETTY.writeValueAsString(transcript);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The terminal rendering ({@code show RUN}). */
    public static String toText(Transcript transcript) {
        return new TranscriptText(TranscriptText.DEFAULT_MAX_TOOL_RETURN_CHARS).render(transcript);
    }
}
