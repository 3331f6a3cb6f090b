package dev.lsr.recorder.internal.letta;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Whether Letta answered the last call about no run in particular: the recorder's {@code letta} readiness check. Those
 * calls are the listing ({@code GET /v1/runs/}: the watcher's, the probe's, the check's own, {@link LettaReadiness}); a
 * call about one run or conversation that fails on Letta's side has Letta's listing asked instead ({@link
 * OutageTrackingLettaApi}), so one broken run among healthy ones does not mark the recorder down at its retry cadence.
 * The last call is the one that started last, of those that ended: listings overlap (a slow watcher page, a probe), and
 * one started earlier that ends later found an older Letta. Down while that call found a server error (any 5xx: Letta
 * Cloud's 503 refusal while it deploys too, as no call gets through meanwhile) or no Letta (no connection, a page that
 * is not Letta's, no answer in time); up again with the next one Letta answers, an error about the request itself (a
 * 404, a 409) included. The reason names only the status or the exception's type and the route's template, never a URL,
 * an id or a body. Keeping an outcome and telling the outage log of it are one step ({@link #keep}): a listing's
 * outcome that is not kept (one that started later ended first) is not told to the outage log either, and of two
 * listings that end at once the outage log is told in the order they are kept ({@link OutageTrackingLettaApi}). The outcome's age ({@link #outcomeOlderThan}) is measured on a monotonic
 * time ({@link System#nanoTime}), which a wall clock stepped back (NTP, a VM resumed) does not move.
 */
public final class LettaCallHealth {

    /** A listing that started: its order among the listings (from 1), and when (nanoTime), to hand in with its outcome. */
    record Listing(long order, long startedNanos) {}

    /** What the listing that started last of those that ended found: its reason when it failed, else null. */
    private record Outcome(Listing listing, String failure) {}

    /** Before the first listing ends: no failure found (for the probe), none read either ({@link #failure}). */
    private static final Outcome NONE = new Outcome(new Listing(0, 0), null);

    /** What {@link #failure} reads before the first listing ended (the start check's, in the recorder). */
    static final String NOT_CHECKED_YET = OutageTrackingLettaApi.RUNS + " not checked yet";

    private final LongSupplier nanoTime;
    private final AtomicLong listings = new AtomicLong();
    /** Written only in {@link #keep}, under its lock. */
    private volatile Outcome last = NONE;

    public LettaCallHealth() {
        this(System::nanoTime);
    }

    /** @param nanoTime a monotonic time in nanoseconds ({@link System#nanoTime}; the tests' own) */
    public LettaCallHealth(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Why the last call failed ({@code HTTP 500 on GET /v1/runs/}), or empty: it was answered. Before the first listing
     * ended, {@value #NOT_CHECKED_YET}: nothing says Letta answers (the recorder's start check is its first listing).
     */
    public Optional<String> failure() {
        Outcome outcome = last;
        return outcome == NONE ? Optional.of(NOT_CHECKED_YET) : Optional.ofNullable(outcome.failure());
    }

    /**
     * Asks Letta's listing ({@link LettaApi#checkServer}) and keeps its outcome like any listing's, telling no outage
     * log: the recorder's start check, whose failure stops the recorder before anything else starts. So the check's
     * first outcome is the start check's, while the recorder starts too.
     *
     * @throws IOException as {@code letta} threw it
     */
    public void checkServer(LettaApi letta) throws IOException {
        Listing listing = started();
        try {
            letta.checkServer();
        } catch (IOException e) {
            if (!OutageTrackingLettaApi.endedByInterrupt(e)) {
                failed(listing, OutageTrackingLettaApi.RUNS, e, () -> {});
            }
            throw e;
        }
        answered(listing, () -> {});
    }

    /** A listing starts now: hand what this returns in with its outcome. */
    Listing started() {
        return new Listing(listings.incrementAndGet(), nanoTime.getAsLong());
    }

    /**
     * Letta answered {@code listing}.
     *
     * @param tell tells the outage log, when the answer is kept, before any other listing's outcome is kept
     * @return whether the answer is kept: false when a listing that started later ended already
     */
    boolean answered(Listing listing, Runnable tell) {
        return keep(new Outcome(listing, null), tell);
    }

    /**
     * A call to {@code route} (a template: {@code GET /v1/runs/}) failed with {@code e}.
     *
     * @param tell tells the outage log, when the failure is kept, before any other listing's outcome is kept
     * @return whether the failure is kept: false when a listing that started later ended already
     */
    boolean failed(Listing listing, String route, IOException e, Runnable tell) {
        return keep(new Outcome(listing, reason(route, e)), tell);
    }

    /**
     * Kept unless a listing that started later ended already: the one rule of which listing decides. Telling the
     * outage log is part of the same step, so it follows the outcomes in the order they are kept: two listings ending
     * at once cannot have the log told of the older outcome after the newer one was kept.
     */
    private synchronized boolean keep(Outcome outcome, Runnable tell) {
        if (outcome.listing().order() <= last.listing().order()) {
            return false;
        }
        last = outcome;
        tell.run();
        return true;
    }

    private static String reason(String route, IOException e) {
        if (!lettasFault(e)) {
            return null;
        }
        if (e instanceof LettaHttpException http) {
            return "HTTP " + http.status() + " on " + route;
        }
        return "no answer on " + route + ": " + e.getClass().getSimpleName();
    }

    /** A server error (any 5xx) or no answer from Letta, not an error about the request (a 404, a 409). */
    static boolean lettasFault(IOException e) {
        return !(e instanceof LettaHttpException http) || http.status() >= 500;
    }

    boolean down() {
        return last.failure() != null;
    }

    /** The monotonic time this health measures ages on, in nanoseconds. */
    long nanoTime() {
        return nanoTime.getAsLong();
    }

    /** No listing that started within the last {@code age} has ended (none at all, or all started before). */
    boolean outcomeOlderThan(Duration age) {
        Listing listing = last.listing();
        return listing.order() == 0 || nanoTime.getAsLong() - listing.startedNanos() > age.toNanos();
    }
}
