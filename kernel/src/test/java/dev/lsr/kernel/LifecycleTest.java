package dev.lsr.kernel;

import static dev.lsr.kernel.LifecycleState.CREATED;
import static dev.lsr.kernel.LifecycleState.FAILED;
import static dev.lsr.kernel.LifecycleState.RUNNING;
import static dev.lsr.kernel.LifecycleState.STARTING;
import static dev.lsr.kernel.LifecycleState.STOPPED;
import static dev.lsr.kernel.LifecycleState.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LifecycleTest {

    private final Logger logger = LoggerFactory.getLogger(LifecycleTest.class);
    private final Lifecycle lifecycle = new Lifecycle("test", logger);
    private final LogLines lines = LogLines.of(logger);

    @AfterEach
    void release() {
        lines.close();
    }

    @Test
    void theNormalPathIsLegalWithOneInfoLinePerTransition() {
        lifecycle.transition(CREATED, STARTING);
        lifecycle.transition(STARTING, RUNNING);
        lifecycle.transition(RUNNING, STOPPING);
        lifecycle.transition(STOPPING, STOPPED);
        assertEquals(STOPPED, lifecycle.state());
        assertTrue(lifecycle.state().isFinal());
        assertEquals(4, lines.count(Level.INFO));
        assertEquals("INFO test: RUNNING -> STOPPING", lines.atLeast(Level.INFO).get(2));
    }

    @Test
    void failingGoesThroughStopping() {
        lifecycle.transition(CREATED, STARTING);
        lifecycle.transition(STARTING, STOPPING);
        lifecycle.transition(STOPPING, FAILED);
        assertEquals(FAILED, lifecycle.state());
    }

    @Test
    void failedIsFinalAndReachableFromEveryLiveState() {
        for (LifecycleState live : EnumSet.of(STARTING, RUNNING, STOPPING)) {
            assertTrue(live.successors().contains(FAILED), live.name());
        }
        assertFalse(CREATED.successors().contains(FAILED), "what never started cannot fail");
        assertTrue(FAILED.isFinal());
        assertTrue(FAILED.successors().isEmpty());
        assertTrue(STOPPED.successors().isEmpty());
    }

    @Test
    void failMovesFromWhereverItIsOnce() {
        lifecycle.transition(CREATED, STARTING);
        lifecycle.transition(STARTING, RUNNING);
        assertEquals(RUNNING, lifecycle.fail());
        assertEquals(FAILED, lifecycle.state());
        assertNull(lifecycle.fail(), "already final: nothing changes");
        assertEquals(2 + 1, lines.count(Level.INFO));
    }

    @Test
    void illegalTransitionsAreLoud() {
        assertThrows(IllegalStateException.class, () -> lifecycle.transition(CREATED, RUNNING));
        assertThrows(IllegalStateException.class, () -> lifecycle.transition(RUNNING, STOPPING));
        assertThrows(IllegalStateException.class, () -> lifecycle.fail());
        lifecycle.transition(CREATED, STOPPED);
        assertThrows(IllegalStateException.class, () -> lifecycle.transition(STOPPED, STARTING));
        assertThrows(IllegalStateException.class, () -> lifecycle.tryTransition(FAILED, STOPPING));
        assertThrows(IllegalStateException.class, () -> lifecycle.tryTransition(STOPPED, FAILED));
    }

    @Test
    void tryTransitionReportsALostRace() {
        assertTrue(lifecycle.tryTransition(CREATED, STARTING));
        assertFalse(lifecycle.tryTransition(CREATED, STARTING));
        assertEquals(STARTING, lifecycle.state());
    }
}
