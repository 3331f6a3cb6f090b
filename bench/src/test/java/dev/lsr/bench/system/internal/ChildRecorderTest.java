package dev.lsr.bench.system.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recorder child that dies is reported at once, with how it ended and its last error, not after a long wait. */
class ChildRecorderTest {

    @TempDir
    Path workDir;

    @Test
    void aChildThatDiesBeforeItIsReadyIsReportedWithItsLastError() throws Exception {
        try (ChildRecorder child = ChildRecorder.start(diesAtOnce(), workDir.resolve("child.log"))) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> child.awaitReady(Duration.ofSeconds(120)));

            assertTrue(e.getMessage().contains("exited with 1"), e.getMessage());
            assertTrue(
                    e.getMessage().contains("java.lang.ArrayIndexOutOfBoundsException: Index 4 out of bounds"),
                    e.getMessage());
        }
    }

    @Test
    void aChildThatDiesWhileAScenarioWaitsForItsRunsEndsTheWaitWithItsLastError() throws Exception {
        try (ChildRecorder child = ChildRecorder.start(diesAtOnce(), workDir.resolve("child.log"))) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> RecoveryProbe.await(() -> 0, 1, 120_000, child));

            assertTrue(e.getMessage().contains("ArrayIndexOutOfBoundsException"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> child.sleep(120_000));
        }
    }

    @Test
    void theLastErrorIsTheDeepestCauseOrErrorLineNotAStackFrame() throws Exception {
        Path log = workDir.resolve("recorder.log");
        java.nio.file.Files.write(
                log,
                List.of(
                        "12:00:00.000 ERROR [lsr-commit-0] TransactionalRunLog  - run log stopped: fenced",
                        "recorder child: stopping (RUNNING)",
                        "Exception in thread \"main\" java.lang.IllegalStateException: boom",
                        "\tat dev.lsr.X.y(X.java:1)",
                        "Caused by: java.io.IOException: disk full",
                        "\tat dev.lsr.X.z(X.java:2)",
                        "\t... 3 more",
                        ""));

        assertEquals("Caused by: java.io.IOException: disk full", ChildLog.lastError(log));
    }

    /** The recorder child without its arguments: it fails on its first line. */
    private static List<String> diesAtOnce() {
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RecorderChild.class.getName());
    }
}
