package dev.lsr.recorder.internal.daemon;

import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.recorder.RecorderFailure;
import dev.lsr.recorder.RunOutcome;
import dev.lsr.recorder.internal.intake.RunRegistry;
import dev.lsr.recorder.internal.intake.RunStops;
import dev.lsr.recorder.testing.SessionHarness;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A recorder alone's attach checks {@code RunLog.owns} and, on false, keeps the run in
 * {@link GivenUpRuns} until the take. The check and the keep are two steps; a take that completes between them (its
 * slot put, so owns is true from then on, then PartitionSeat.assigned's takeOut, which finds nothing yet) leaves the
 * run kept until the partition is given up and taken once more, which may be never: nothing records it (no watcher,
 * an explicit attach), and its session never starts. The interleaving is forced here: the ownership check itself
 * runs the take right after reading "away".
 */
class GivenUpRunsTakeRaceTest {

    private final SessionHarness harness = new SessionHarness();
    private final List<RecorderFailure> fatal = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aRunAttachedWhileItsPartitionIsTakenAgainIsRecorded() throws Exception {
        String runId = harness.letta.serve("01-simple-reply", "completed");
        AtomicBoolean held = new AtomicBoolean(false); // the partition is away (given up after it stopped)
        AtomicBoolean taken = new AtomicBoolean(false);
        AtomicReference<GivenUpRuns> givenUpRef = new AtomicReference<>();
        AtomicReference<RunRegistry> registryRef = new AtomicReference<>();
        GivenUpRuns givenUp = new GivenUpRuns(id -> {
            boolean owned = held.get();
            if (!owned && taken.compareAndSet(false, true)) {
                // the retake thread, just after this read: acquire puts the slot (owns is true from now on), then
                // PartitionSeat.assigned takes out the kept runs and attaches them again
                held.set(true);
                givenUpRef
                        .get()
                        .takeOut(r -> true)
                        .forEach((r, mode) -> registryRef.get().attach(r, null, mode));
            }
            return owned;
        });
        givenUpRef.set(givenUp);
        RunRegistry registry = new RunRegistry(
                harness.context(), r -> Optional.empty(), fatal::add, givenUp, new RunStops(), Duration.ofSeconds(30));
        registryRef.set(registry);
        givenUp.attachWith((r, mode) -> registry.attach(r, null, mode), () -> false); // as Components does

        RunOutcome outcome = registry.attach(runId, null, "attach").get(5, TimeUnit.SECONDS);
        assertEquals(RunOutcome.Kind.FORWARDED, outcome.kind(), "kept: its partition looked away");

        // the partition is held now, and nothing else will attach the run (no watcher)
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (harness.log.chunks(runId).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(
                expectedChunks("01-simple-reply").size(),
                harness.log.chunks(runId).size(),
                "chunks recorded once its partition is back; still kept instead: " + givenUp.takeOut(r -> true));
    }
}
