package dev.lsr.recorder.log.internal;

import dev.lsr.kernel.TransactionalErrors;
import dev.lsr.recorder.log.RunLogStartException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaFuture;

/** Waits for an admin call at start, within the start deadline; every failure is a start failure. */
final class AdminCalls {

    private AdminCalls() {}

    static <T> T await(KafkaFuture<T> future, String what, Deadline deadline) {
        try {
            return future.get(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new RunLogStartException(
                    "could not " + what + ": " + TransactionalErrors.describe(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new RunLogStartException("could not " + what + " within the start timeout", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunLogStartException("interrupted while trying to " + what, e);
        }
    }
}
