package dev.lsr.recorder.internal.daemon;

import dev.lsr.recorder.DaemonState;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The daemon's state, changed only by compare-and-set along {@link DaemonState#successors()}; one INFO line per change. */
public final class Lifecycle {

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private final AtomicReference<DaemonState> state = new AtomicReference<>(DaemonState.NEW);
    private final String name;

    public Lifecycle(String name) {
        this.name = name;
    }

    public DaemonState state() {
        return state.get();
    }

    /**
     * Moves from {@code from} to {@code to}.
     *
     * @throws IllegalStateException when the state is not {@code from}, or {@code to} may not follow it
     */
    public void transition(DaemonState from, DaemonState to) {
        if (!from.successors().contains(to)) {
            throw illegal(from, to, "is not a legal transition");
        }
        if (!state.compareAndSet(from, to)) {
            throw illegal(from, to, "found the state " + state.get());
        }
        log.info("{}: {} -> {}", name, from, to);
    }

    /** Moves from {@code from} to {@code to} if the state is {@code from}; false (and nothing logged) otherwise. */
    public boolean tryTransition(DaemonState from, DaemonState to) {
        if (!from.successors().contains(to)) {
            throw illegal(from, to, "is not a legal transition");
        }
        if (state.compareAndSet(from, to)) {
            log.info("{}: {} -> {}", name, from, to);
            return true;
        }
        return false;
    }

    private IllegalStateException illegal(DaemonState from, DaemonState to, String why) {
        IllegalStateException e = new IllegalStateException(name + ": " + from + " -> " + to + " " + why);
        log.error("Illegal lifecycle transition", e);
        return e;
    }
}
