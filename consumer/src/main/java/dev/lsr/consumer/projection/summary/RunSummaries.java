package dev.lsr.consumer.projection.summary;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.reader.ReplayEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Builds run summaries and (de)serialises summaries and fold states as JSON. */
public final class RunSummaries {

    private RunSummaries() {}

    /** The summary of one run's records in log order (replayed by {@link ReplayEvents}). */
    public static RunSummary ofRecords(List<ChunkLogRecord> records) {
        return new RunSummaryFold().applyAll(ReplayEvents.of(records)).summary();
    }

    public static byte[] toJson(RunSummary summary) {
        return write(summary);
    }

    public static byte[] stateToJson(RunSummaryState state) {
        return write(state);
    }

    public static RunSummaryState stateFromJson(byte[] json) {
        try {
            return Json.MAPPER.readValue(json, RunSummaryState.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable run summary state: " + e.getMessage(), e);
        }
    }

    public static RunSummary fromJson(byte[] json) {
        try {
            return Json.MAPPER.readValue(json, RunSummary.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable run summary: " + e.getMessage(), e);
        }
    }

    private static byte[] write(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
