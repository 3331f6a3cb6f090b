package dev.lsr.recorder.internal.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.recorder.DaemonState;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    private final Lifecycle lifecycle = new Lifecycle("test");

    @Test
    void theNormalPathIsLegal() {
        lifecycle.transition(DaemonState.NEW, DaemonState.STARTING);
        lifecycle.transition(DaemonState.STARTING, DaemonState.RUNNING);
        lifecycle.transition(DaemonState.RUNNING, DaemonState.STOPPING);
        lifecycle.transition(DaemonState.STOPPING, DaemonState.STOPPED);
        assertEquals(DaemonState.STOPPED, lifecycle.state());
        assertTrue(lifecycle.state().isFinal());
    }

    @Test
    void failingGoesThroughStopping() {
        lifecycle.transition(DaemonState.NEW, DaemonState.STARTING);
        lifecycle.transition(DaemonState.STARTING, DaemonState.STOPPING);
        lifecycle.transition(DaemonState.STOPPING, DaemonState.FAILED);
        assertEquals(DaemonState.FAILED, lifecycle.state());
    }

    @Test
    void illegalTransitionsAreLoud() {
        assertThrows(IllegalStateException.class, () -> lifecycle.transition(DaemonState.NEW, DaemonState.RUNNING));
        assertThrows(IllegalStateException.class, () -> lifecycle.transition(DaemonState.RUNNING, DaemonState.STOPPING));
        lifecycle.transition(DaemonState.NEW, DaemonState.STOPPED);
        assertThrows(IllegalStateException.class, () -> lifecycle.transition(DaemonState.STOPPED, DaemonState.STARTING));
    }

    @Test
    void tryTransitionReportsALostRace() {
        assertTrue(lifecycle.tryTransition(DaemonState.NEW, DaemonState.STARTING));
        assertFalse(lifecycle.tryTransition(DaemonState.NEW, DaemonState.STARTING));
        assertEquals(DaemonState.STARTING, lifecycle.state());
    }
}
