package dev.lsr.recorder.internal.daemon;

import dev.lsr.recorder.internal.intake.RunWatcher;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The run watcher's thread, started and stopped as a whole: at start by a recorder alone, in a fleet by the
 * member that owns partition 0 (so the fleet lists Letta's runs once per poll interval, whatever its size).
 * Each start makes a new watcher (its first round catches up), each stop ends it. Any thread.
 */
final class Watching {

    private final Function<BooleanSupplier, RunWatcher> watchers;
    private Thread thread;
    private AtomicBoolean stopped;

    /** @param watchers makes a watcher that ends once the given flag says so; null: no watching at all */
    Watching(Function<BooleanSupplier, RunWatcher> watchers) {
        this.watchers = watchers;
    }

    synchronized void start() {
        if (watchers == null || thread != null) {
            return;
        }
        AtomicBoolean flag = new AtomicBoolean();
        stopped = flag;
        thread = Thread.ofVirtual().name("run-watcher").start(watchers.apply(flag::get));
    }

    synchronized void stop() {
        if (thread == null) {
            return;
        }
        stopped.set(true);
        thread.interrupt();
        thread = null;
    }
}
