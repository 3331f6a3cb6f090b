package dev.lsr.recorder.internal.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.log.ActiveRunListing;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ComponentsTest {

    /**
     * A checkpoint of an ended run is kept past the catch-up window (and Letta's 3-hour stream retention) by a margin
     * for the clocks: the catch-up compares Letta's {@code created_at} with the recorder's clock, the tombstones the
     * checkpoint's time with the same clock, so at exactly the window a skew makes one run both caught up and
     * tombstoned.
     */
    @Test
    void checkpointsOfEndedRunsOutliveTheCatchUpWindowByTheClockMargin() {
        assertEquals(
                Duration.ofHours(4),
                Components.runLogConfig(config(Duration.ofHours(3)), "127.0.0.1:9092", ActiveRunListing.NONE)
                        .tombstoneAfter());
        assertEquals(
                Duration.ofHours(4),
                Components.runLogConfig(config(Duration.ZERO), "127.0.0.1:9092", ActiveRunListing.NONE)
                        .tombstoneAfter(),
                "at least Letta's stream retention, whatever the catch-up");
        assertEquals(
                Duration.ofHours(13),
                Components.runLogConfig(config(Duration.ofHours(12)), "127.0.0.1:9092", ActiveRunListing.NONE)
                        .tombstoneAfter());
    }

    /**
     * A run the log removed the checkpoint of is refused when asked for by id ({@code ENDED_LONG_AGO}), even with
     * Letta's clock ahead of the recorder's by up to the margin: the log removes a checkpoint by the recorder's time
     * of its last commit, the refusal goes by Letta's {@code completed_at}. Before, both used the same window, so a
     * run whose checkpoint was just removed and whose Letta end read a few seconds later was recorded a second time.
     */
    @Test
    void aRunWhoseCheckpointWasRemovedIsRefusedByIdWhateverTheClocksWithinTheMargin() {
        RecorderConfig config = config(Duration.ofHours(3));
        java.time.Instant now = java.time.Instant.parse("2026-12-07T12:00:00Z");
        java.time.Instant lastCommit = now.minus(
                        Components.runLogConfig(config, "127.0.0.1:9092", ActiveRunListing.NONE)
                                .tombstoneAfter())
                .minusSeconds(1); // its checkpoint was just removed
        java.time.Instant endByLettasClock =
                lastCommit.plus(Components.CLOCK_MARGIN).minusSeconds(2);

        org.junit.jupiter.api.Assertions.assertTrue(
                Components.checkpointLookup(config, runId -> java.util.Optional.empty())
                        .mayHaveForgotten(endByLettasClock, now));
    }

    private static RecorderConfig config(Duration catchUp) {
        return RecorderConfig.builder("http://127.0.0.1:8283").catchUp(catchUp).build();
    }
}
