package dev.lsr.consumer.analytics.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a Kafka call through a broker outage: retriable errors (timeouts, unavailable
 * coordinators...) are retried with a doubling backoff up to 5 s, logged once when the outage
 * starts and once when it ends. Anything else is thrown. Gives up (WakeupException) when the job
 * is asked to stop.
 */
final class Retry {

    private static final Logger log = LoggerFactory.getLogger(Retry.class);
    private static final Duration FIRST = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(5);

    private Retry() {
    }

    static <T> T untilDone(String what, BooleanSupplier running, Supplier<T> call) {
        Duration backoff = FIRST;
        int failures = 0;
        while (true) {
            try {
                T result = call.get();
                if (failures > 0) {
                    log.info("{}: succeeded after {} retries", what, failures);
                }
                return result;
            } catch (RetriableException e) {
                if (failures++ == 0) {
                    log.warn("{} failed, retrying until Kafka answers: {}", what, e.toString());
                }
                if (!running.getAsBoolean()) {
                    throw new WakeupException();
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX) > 0 ? MAX : backoff.multipliedBy(2);
            }
        }
    }

    static void untilDone(String what, BooleanSupplier running, Runnable call) {
        untilDone(what, running, () -> {
            call.run();
            return null;
        });
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
