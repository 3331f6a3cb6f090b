package dev.lsr.recorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.recorder.metrics.RecorderMetrics;
import dev.lsr.recorder.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoggedMetricsTest {

    @Test
    void closingLogsTheMetersThatMovedOnTheMetricsLogger() {
        try (LogCapture logs = LogCapture.capture()) {
            try (LoggedMetrics metrics = LoggedMetrics.start(Duration.ofMinutes(10))) {
                new RecorderMetrics(metrics.registry()).chunkAppended("run-1", 42);
            }
            List<String> lines = logs.events().stream()
                    .filter(e -> e.getLoggerName().equals(LoggedMetrics.LOGGER))
                    .map(e -> e.getFormattedMessage())
                    .toList();
            assertTrue(
                    lines.stream().anyMatch(line -> line.startsWith("lsr.recorder.chunks.appended")), lines.toString());
            assertTrue(lines.stream().noneMatch(line -> line.contains("run-1")), lines.toString());
        }
    }

    @Test
    void aZeroIntervalLogsNothing() {
        try (LogCapture logs = LogCapture.capture()) {
            try (LoggedMetrics metrics = LoggedMetrics.start(Duration.ZERO)) {
                new RecorderMetrics(metrics.registry()).chunkAppended("run-1", 42);
            }
            assertEquals(
                    0,
                    logs.events().stream()
                            .filter(e -> e.getLoggerName().equals(LoggedMetrics.LOGGER))
                            .count());
        }
    }
}
