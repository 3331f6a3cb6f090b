package dev.lsr.consumer.analytics.internal;

import dev.lsr.kernel.Backoff;
import dev.lsr.kernel.OutageLog;
import dev.lsr.kernel.TransactionalErrors;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a Kafka call through a broker outage: errors the caller calls retriable (by default Kafka's
 * {@link RetriableException}s: timeouts, unavailable coordinators...) are retried with a doubling backoff
 * up to 5 s, the outage logged once when it starts, rarely while it lasts and once when it ends
 * ({@link OutageLog}). Anything else is thrown. Gives up (WakeupException) when the job is asked to stop.
 */
final class Retry {

    private static final Logger log = LoggerFactory.getLogger(Retry.class);
    private static final Backoff FIRST = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(5));

    private Retry() {}

    static <T> T untilDone(String what, BooleanSupplier running, Supplier<T> call) {
        return untilDone(what, running, call, RetriableException.class::isInstance);
    }

    static void untilDone(String what, BooleanSupplier running, Runnable call) {
        untilDone(what, running, call, RetriableException.class::isInstance);
    }

    static void untilDone(String what, BooleanSupplier running, Runnable call, Predicate<RuntimeException> retriable) {
        untilDone(
                what,
                running,
                () -> {
                    call.run();
                    return null;
                },
                retriable);
    }

    static <T> T untilDone(
            String what, BooleanSupplier running, Supplier<T> call, Predicate<RuntimeException> retriable) {
        Backoff backoff = FIRST;
        OutageLog outage = new OutageLog(
                log,
                new OutageLog.Wording(what, "failed", "retrying until Kafka answers", "succeeded"),
                Clock.systemUTC());
        while (true) {
            try {
                T result = call.get();
                outage.succeeded();
                return result;
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                if (!retriable.test(e)) {
                    throw e;
                }
                outage.failed(TransactionalErrors.describe(e));
                if (!running.getAsBoolean()) {
                    throw new WakeupException();
                }
                sleep(backoff.delay());
                backoff = backoff.next();
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }
}
