package dev.lsr.consumer.projection.transcript;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.projection.Chunk;
import dev.lsr.consumer.reader.ReplayEvents;
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
        return new TranscriptFold().applyAll(ReplayEvents.of(records)).transcript();
    }

    /**
     * The transcript of one run's chunks in arrival order, read as a chunk file is
     * ({@link ReplayEvents#ofChunkLines}): times are the chunks' own {@code date}s, there is no
     * attach or finish.
     */
    public static Transcript ofChunks(List<Chunk> chunks) {
        List<String> lines =
                chunks.stream().map(chunk -> chunk.json().toString()).toList();
        return new TranscriptFold().applyAll(ReplayEvents.ofChunkLines(lines)).transcript();
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
