package dev.lsr.consumer.analytics.spans;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.Position;
import dev.lsr.consumer.projection.summary.RunSummaries;
import dev.lsr.consumer.projection.summary.RunSummaryFold;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A {@link RunTrace} as the bytes the spans job stores beside each record ({@code lsr_fold_state}): JSON
 * holding the run summary's own saved state and the steps, tools and events. Version {@value #VERSION}.
 */
final class RunTraceCodec {

    static final int VERSION = 1;

    /** The saved form. {@code written}: the tree is in this record or an earlier one. */
    record Saved(
            @JsonProperty("version") int version,
            @JsonProperty("run_id") String runId,
            @JsonProperty("summary") JsonNode summary,
            @JsonProperty("last_chunk") String lastChunk,
            @JsonProperty("last_heard_at") Long lastHeardAt,
            @JsonProperty("steps") List<RunTrace.Step> steps,
            @JsonProperty("tools") List<RunTrace.Tool> tools,
            @JsonProperty("events") List<RunTrace.Event> events,
            @JsonProperty("complete") boolean complete,
            @JsonProperty("written") boolean written) {}

    private RunTraceCodec() {}

    /**
     * The state as stored with a record of the run. It says {@code written} once the run is complete: the
     * record it is stored with carries the tree (or an earlier one did), whichever of value and state the job
     * takes first.
     */
    static byte[] save(RunTrace trace) {
        try {
            Saved saved = new Saved(
                    VERSION,
                    trace.runId,
                    Json.MAPPER.readTree(RunSummaries.stateToJson(trace.summary.state())),
                    trace.lastChunk == null ? null : trace.lastChunk.toString(),
                    trace.lastHeardAt,
                    List.copyOf(trace.steps.values()),
                    List.copyOf(trace.tools.values()),
                    List.copyOf(trace.events),
                    trace.complete,
                    trace.written || trace.complete);
            return Json.MAPPER.writeValueAsBytes(saved);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RunTrace restore(String runId, byte[] bytes) {
        try {
            Saved saved = Json.MAPPER.readValue(bytes, Saved.class);
            if (saved.version() > VERSION) {
                throw new IllegalArgumentException(
                        "run trace state version " + saved.version() + " is newer than " + VERSION);
            }
            RunTrace trace = new RunTrace(
                    runId,
                    RunSummaryFold.fromState(
                            RunSummaries.stateFromJson(Json.MAPPER.writeValueAsBytes(saved.summary()))));
            trace.lastChunk = saved.lastChunk() == null ? null : Position.parse(saved.lastChunk());
            trace.lastHeardAt = saved.lastHeardAt();
            saved.steps().forEach(step -> trace.steps.put(step.id(), step));
            saved.tools().forEach(tool -> trace.tools.put(tool.id(), tool));
            trace.events.addAll(saved.events());
            trace.complete = saved.complete();
            trace.written = saved.written();
            return trace;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
