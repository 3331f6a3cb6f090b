package dev.lsr.kernel;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Logs an outage once, not once per retry: a WARN at the first failure, DEBUG for the retries, a WARN
 * "still failing" at most once per {@link #STILL_FAILING_EVERY} while it lasts, and one INFO when a call
 * succeeds again. The callers' own hooks (metrics) hang off {@link #failed}'s and {@link #succeeded}'s
 * results, so they fire exactly when the lines are written. Thread-safe: one outage may be seen by many
 * threads (every run polling Letta), and a success costs one volatile read when nothing is failing.
 */
public final class OutageLog {

    /** How often a long outage is logged again. */
    public static final Duration STILL_FAILING_EVERY = Duration.ofMinutes(1);

    /**
     * The words of the lines: {@code <subject> <failing> (<detail>); <plan>} when it starts,
     * {@code <subject> still failing after ...} while it lasts, {@code <subject> <recovered> after N ms and M
     * failed attempts} when it ends.
     *
     * @param subject   what fails, e.g. {@code Letta}
     * @param failing   e.g. {@code is unreachable}
     * @param plan      what happens meanwhile, e.g. {@code runs retry with backoff until it answers again}
     * @param recovered e.g. {@code answers again}
     */
    public record Wording(String subject, String failing, String plan, String recovered) {
        public Wording {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(failing, "failing");
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(recovered, "recovered");
        }
    }

    /** How an outage ended. */
    public record Recovery(Duration outage, int failedAttempts) {}

    private final Logger log;
    private final Wording words;
    private final InstantSource clock;
    private final Duration stillFailingEvery;
    private volatile Instant since;
    private Instant lastReported;
    private int failures;

    public OutageLog(Logger log, Wording words, InstantSource clock) {
        this(log, words, clock, STILL_FAILING_EVERY);
    }

    public OutageLog(Logger log, Wording words, InstantSource clock, Duration stillFailingEvery) {
        this.log = Objects.requireNonNull(log, "log");
        this.words = Objects.requireNonNull(words, "words");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stillFailingEvery = Objects.requireNonNull(stillFailingEvery, "stillFailingEvery");
    }

    /**
     * One more failed attempt.
     *
     * @param detail what failed, one line without secrets (e.g. {@code TimeoutException: ...})
     * @return true when this failure started the outage (once per outage)
     */
    public synchronized boolean failed(String detail) {
        failures++;
        Instant now = clock.instant();
        if (since == null) {
            since = now;
            lastReported = now;
            log.warn("{} {} ({}); {}", words.subject(), words.failing(), detail, words.plan());
            return true;
        }
        if (Duration.between(lastReported, now).compareTo(stillFailingEvery) >= 0) {
            lastReported = now;
            log.warn(
                    "{} still failing after {} s and {} failed attempts ({})",
                    words.subject(),
                    Duration.between(since, now).toSeconds(),
                    failures,
                    detail);
        } else {
            log.debug("{}: attempt {} failed ({})", words.subject(), failures, detail);
        }
        return false;
    }

    /** A call succeeded: ends the outage, if there was one (once per outage). */
    public Optional<Recovery> succeeded() {
        return ended(words.recovered());
    }

    /**
     * Ends the outage, if there was one, without a success: nothing is tried any more (the caller stopped).
     *
     * @param how what happened instead, for the log line
     */
    public Optional<Recovery> ended(String how) {
        if (since == null) {
            return Optional.empty();
        }
        synchronized (this) {
            if (since == null) {
                return Optional.empty();
            }
            Recovery recovery = new Recovery(Duration.between(since, clock.instant()), failures);
            since = null;
            failures = 0;
            log.info(
                    "{} {} after {} ms and {} failed attempts",
                    words.subject(),
                    how,
                    recovery.outage().toMillis(),
                    recovery.failedAttempts());
            return Optional.of(recovery);
        }
    }

    /** When the current outage began (its first failed attempt); empty between outages. */
    public Optional<Instant> since() {
        return Optional.ofNullable(since);
    }

    /** True between the first failure and the next success. */
    public boolean inOutage() {
        return since != null;
    }
}
