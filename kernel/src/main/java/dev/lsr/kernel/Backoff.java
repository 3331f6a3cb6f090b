package dev.lsr.kernel;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The one backoff of the product: immutable, {@link #next()} returns the successor (okhttp, LaunchDarkly
 * eventsource), so a retry loop holds its current backoff as a value and nothing is shared.
 *
 * @param initial    the first base delay
 * @param max        the largest base delay
 * @param multiplier how much the base grows per step (at least 1)
 * @param jitter     the fraction of the base that is randomised away, 0 (none) to 1 (full jitter)
 * @param base       the current base delay
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter, Duration base) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(base, "base");
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 <= initial <= max: " + initial + ", " + max);
        }
        if (multiplier < 1 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("need multiplier >= 1 and 0 <= jitter <= 1");
        }
    }

    /**
     * Doubling from {@code initial} up to {@code max}, with half of each delay randomised: for many
     * clients of one server (Letta's runs and watcher), so that they do not retry in step.
     */
    public static Backoff exponential(Duration initial, Duration max) {
        return new Backoff(initial, max, 2.0, 0.5, initial);
    }

    /**
     * Doubling from {@code initial} up to {@code max}, each delay exactly the base: for one client's
     * retries of one call (a partition's transaction, a job's commit), where there is nobody to spread out.
     */
    public static Backoff doubling(Duration initial, Duration max) {
        return new Backoff(initial, max, 2.0, 0.0, initial);
    }

    /** The backoff after one more failure. */
    public Backoff next() {
        double grown = base.toNanos() * multiplier;
        Duration nextBase = grown >= max.toNanos() ? max : Duration.ofNanos((long) grown);
        return new Backoff(initial, max, multiplier, jitter, nextBase);
    }

    /** Back to the first step (after progress). */
    public Backoff reset() {
        return new Backoff(initial, max, multiplier, jitter, initial);
    }

    /** The delay to wait now: the base minus a random share of up to {@code jitter} of it. */
    public Duration delay(RandomGenerator random) {
        long nanos = base.toNanos();
        return Duration.ofNanos(nanos - (long) (nanos * jitter * random.nextDouble()));
    }

    /** The delay to wait now, for a backoff without jitter (the base). */
    public Duration delay() {
        if (jitter != 0) {
            throw new IllegalStateException("a backoff with jitter needs a random generator");
        }
        return base;
    }
}
