package dev.lsr.observability;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One check's calls, single flight: a new call, on a virtual thread of its own, only once the last one returned;
 * while it has not, whoever asks gets that same call. So a check that never returns is called once, and holds one
 * thread, however many runs ask for it ({@link SharedChecks}).
 */
final class CheckCalls {

    /** A call of the check: its result once it returns, and when it started ({@link System#nanoTime}). */
    record Call(CompletableFuture<HealthCheck.Result> result, long startedNanos) {}

    private final HealthCheck check;
    private final ThreadFactory threads;
    private final AtomicReference<Call> last = new AtomicReference<>();

    CheckCalls(String name, HealthCheck check) {
        this(check, Thread.ofVirtual().name("health-check-" + name).factory());
    }

    /** @param threads makes each call's thread (virtual, named after the check) */
    CheckCalls(HealthCheck check, ThreadFactory threads) {
        this.check = check;
        this.threads = threads;
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

    /** On a thread of its own; a call whose thread does not start ends with that failure, not "still running". */
    private void start(CompletableFuture<HealthCheck.Result> result) {
        try {
            threads.newThread(() -> {
                        try {
                            result.complete(HealthReport.resultOf(check));
                        } catch (Throwable e) {
                            result.completeExceptionally(e);
                            throw e;
                        }
                    })
                    .start();
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
        }
    }
}
