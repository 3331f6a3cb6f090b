package dev.lsr.viewer.model;

import dev.lsr.consumer.projection.summary.RunSummary;
import dev.lsr.consumer.projection.transcript.Transcript;
import java.util.List;

/**
 * Everything the run page shows, computed from the run's events.
 *
 * @param summary    the header: ids, status, stop reason, usage, timing
 * @param transcript the messages in order
 * @param recording  no end in the log yet: the page follows it live
 * @param problems   what the reader could not use (skipped records, gaps, truncation), one line each
 */
public record RunView(
        RunSummary summary,
        Transcript transcript,
        Timeline timeline,
        Cadence cadence,
        boolean recording,
        List<String> problems) {

    public RunView {
        problems = List.copyOf(problems);
    }
}
