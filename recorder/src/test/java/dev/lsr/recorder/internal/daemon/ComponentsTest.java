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

    private static RecorderConfig config(Duration catchUp) {
        return RecorderConfig.builder("http://127.0.0.1:8283").catchUp(catchUp).build();
    }
}
