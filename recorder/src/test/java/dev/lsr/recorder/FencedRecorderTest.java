package dev.lsr.recorder;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Checkpoint;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RunState;
import dev.lsr.recorder.log.RunLog;
import dev.lsr.recorder.log.RunLogClosedException;
import dev.lsr.recorder.log.RunLogFailure;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.Workload;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A lone recorder fenced by another one says how several recorders share a topic, whichever thread learns of the
 * fencing first: the log's committer (its failure callback) or a run whose append finds the log closed. The
 * second path once lost the hint (seen in {@code CrashRestartIT}, 1 of 30 repetitions).
 */
class FencedRecorderTest {

    private static final String FENCED = "fenced: another recorder took over partition 0 of letta.chunks";

    @Test
    void aFencingFirstSeenByARunsAppendSaysHowToShareTheTopic() throws Exception {
        Workload workload = Workload.builder(3)
                .runs(1)
                .chunksPerRun(50)
                .chunksPerSecond(100)
                .build();
        try (LettaSim sim = LettaSim.builder().workload(workload).start()) {
            RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                    .bootstrapServers("127.0.0.1:1")
                    .pollInterval(Duration.ofMillis(50))
                    .build();
            RecorderDaemon daemon = RecorderDaemon.builder(config)
                    .runLogs(ignored -> new FencedLog())
                    .build();
            Thread thread = Thread.ofPlatform().start(daemon);
            thread.join(Duration.ofSeconds(60));
            assertFalse(thread.isAlive(), "a fenced recorder stops");

            RecorderFailure failure = daemon.failure().orElseThrow();
            assertInstanceOf(RecorderFailure.Fenced.class, failure, failure.message());
            assertTrue(failure.message().startsWith(FENCED), failure.message());
            assertTrue(failure.message().contains("start every one with --fleet"), failure.message());
        }
    }

    /** A log another recorder fenced, whose committer has not called back yet: appends find it closed. */
    private static final class FencedLog implements RunLog {

        @Override
        public void start() {}

        @Override
        public Map<String, Checkpoint> activeRuns() {
            return Map.of();
        }

        @Override
        public Optional<Checkpoint> checkpoint(String runId) {
            return Optional.empty();
        }

        @Override
        public void append(ChunkLogRecord record, RunState stateAfter) {
            throw new RunLogClosedException(FENCED);
        }

        @Override
        public void flush() {}

        @Override
        public Optional<RunLogFailure> failure() {
            return Optional.of(new RunLogFailure(RunLogFailure.Kind.FENCED, 0, FENCED, null));
        }

        @Override
        public void whenFailed(Consumer<RunLogFailure> callback) {}

        @Override
        public void close() {}
    }
}
