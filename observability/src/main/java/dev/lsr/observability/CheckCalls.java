package dev.lsr.observability;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One check's calls, single flight: a new call, on a virtual thread of its own, only once the last one returned;
 * while it has not, whoever asks gets that same call. So a check that never returns is called once, and holds one
 * thread, however many runs ask for it ({@link SharedChecks}).
 */
final class CheckCalls {

    /** A call of the check: its result once it returns, and when it started ({@link System#nanoTime}). */
    record Call(CompletableFuture<HealthCheck.Result> result, long startedNanos) {}

    private final String name;
    private final HealthCheck check;
    private final AtomicReference<Call> last = new AtomicReference<>();

    CheckCalls(String name, HealthCheck check) {
        this.name = name;
        this.check = check;
    }

    /** The call still running, or a new one when the last returned (or none was made). */
    Call call() {
        while (true) {
            Call current = last.get();
            if (current != null && !current.result().isDone()) {
                return current;
            }
            Call mine = new Call(new CompletableFuture<>(), System.nanoTime());
            if (last.compareAndSet(current, mine)) {
                start(mine.result());
                return mine;
            }
        }
    }

    private void start(CompletableFuture<HealthCheck.Result> result) {
        Thread.ofVirtual().name("health-check-" + name).start(() -> {
            try {
                result.complete(HealthReport.resultOf(check));
            } catch (Throwable e) {
                result.completeExceptionally(e);
                throw e;
            }
        });
    }
}
