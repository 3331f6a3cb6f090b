package dev.lsr.recorder.internal.letta;

import dev.lsr.recorder.RecorderListener;
import dev.lsr.recorder.SendMessage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Tells an outage of Letta from the failures of single calls: a call that finds no Letta (no
 * connection, a gateway's 502/503/504, a page that is not Letta's) starts an outage, the next call
 * Letta answers ends it; a stream open that waited in vain for its headers does neither
 * ({@link #waitedInVainForHeaders}). One WARN line per outage, one INFO line when it ends, however many runs and polls
 * retry meanwhile (each with its own backoff): {@link LettaOutageLog}. Also tells {@link LettaCallHealth} how Letta's
 * listing answered, in one step with the outage log (only the outcome it keeps is told), and has it asked when a call
 * about one run or conversation fails on Letta's side ({@link #askLettaUnlessAskedLately}). Decides nothing else:
 * every call's result or exception passes through unchanged.
 */
public final class OutageTrackingLettaApi implements LettaApi {

    private final LettaApi api;
    private final LettaOutageLog outage;
    /** True while a probe runs: one at a time, whatever the number of outages a flapping Letta starts. */
    private final AtomicBoolean probing = new AtomicBoolean();
    /** The thread of the probe running now, for {@link #close} to interrupt, or null. */
    private final AtomicReference<Thread> prober = new AtomicReference<>();
    /** Set by {@link #close}: no probe starts or asks. */
    private volatile boolean closed;

    /** How often an outage asks Letta itself whether it answers again ({@link #probeUntilLettaAnswers}). */
    public static final Duration PROBE_EVERY = Duration.ofSeconds(10);

    /** The listing's route template, for the readiness reasons ({@link LettaCallHealth}, {@link LettaReadiness}). */
    static final String RUNS = "GET /v1/runs/";

    /** How often at most the failures of calls about one run or conversation have Letta's listing asked. */
    static final Duration ASK_AT_MOST_EVERY = Duration.ofSeconds(1);

    private final Duration probeEvery;
    private final BooleanSupplier stopping;
    private final LettaCallHealth lastCall;

    public OutageTrackingLettaApi(LettaApi api, RecorderListener listener, Clock clock) {
        this(api, listener, clock, PROBE_EVERY, () -> false, new LettaCallHealth());
    }

    public OutageTrackingLettaApi(
            LettaApi api, RecorderListener listener, Clock clock, Duration probeEvery, BooleanSupplier stopping) {
        this(api, listener, clock, probeEvery, stopping, new LettaCallHealth());
    }

    /**
     * @param probeEvery how often an outage asks Letta whether it answers again
     * @param stopping   true once the recorder stops: an outage stops asking
     * @param lastCall   told how each call ended
     */
    public OutageTrackingLettaApi(
            LettaApi api,
            RecorderListener listener,
            Clock clock,
            Duration probeEvery,
            BooleanSupplier stopping,
            LettaCallHealth lastCall) {
        this.probeEvery = probeEvery;
        this.stopping = stopping;
        this.lastCall = lastCall;
        this.api = api;
        this.outage = new LettaOutageLog(listener, clock);
    }

    /** A call whose result shows nothing about Letta's reachability by itself. */
    @FunctionalInterface
    private interface Call<T> {
        T call() throws IOException;
    }

    /**
     * Stops probing, for good: the probe's ask in flight, if any, is interrupted, and no probe starts after this. The
     * recorder calls it when it stops, so that no probe outlives it, to log or to call its HTTP client; the calls of its
     * own it still makes pass through as before. The interrupted ask ends as {@link LettaReadiness#close} tells (its
     * outcome told to no one: {@link #endedByInterrupt}; a DNS lookup is not interrupted), and is interrupted rather
     * than cancelled for the reason told there.
     */
    public void close() {
        closed = true;
        Thread asking = prober.get();
        if (asking != null) {
            asking.interrupt();
        }
    }

    @Override
    public void checkServer() throws IOException {
        track(true, () -> {
            api.checkServer();
            return null;
        });
    }

    @Override
    public Optional<Duration> serverClockAhead() {
        return api.serverClockAhead();
    }

    @Override
    public Run getRun(String runId) throws IOException {
        return track(false, () -> api.getRun(runId));
    }

    @Override
    public List<Run> listRuns(RunQuery query) throws IOException {
        return track(true, () -> api.listRuns(query));
    }

    @Override
    public SseStream streamRun(String runId, long startingAfter) throws IOException {
        return trackStreamOpen(() -> api.streamRun(runId, startingAfter));
    }

    @Override
    public SseStream streamByOtid(SendMessage message) throws IOException {
        return trackStreamOpen(() -> api.streamByOtid(message));
    }

    @Override
    public SseStream send(SendMessage message) throws IOException {
        return trackStreamOpen(() -> api.send(message));
    }

    /** @param listing a call about no run in particular: its outcome is {@link LettaCallHealth}'s */
    private <T> T track(boolean listing, Call<T> call) throws IOException {
        return track(call, listing, false);
    }

    private SseStream trackStreamOpen(Call<SseStream> call) throws IOException {
        return track(call, false, true);
    }

    private <T> T track(Call<T> call, boolean listing, boolean opensStream) throws IOException {
        LettaCallHealth.Listing started = listing ? lastCall.started() : null;
        T result;
        try {
            result = call.call();
        } catch (IOException e) {
            if (endedByInterrupt(e)) {
                throw e; // the caller stopped it (a revoked partition, shutdown): nothing learnt about Letta
            }
            if (opensStream && waitedInVainForHeaders(e)) {
                throw e; // a live run with nothing new looks the same: the calls that answer at once tell
            }
            // this call's own outcome first: a probe started below reports its own, on its own thread
            if (!listing) {
                outage.failed(e);
            } else if (!lastCall.failed(started, RUNS, e, () -> outage.failed(e))) {
                throw e; // a listing that started later ended already: it told the outage log of a newer Letta
            }
            if (!listing && LettaCallHealth.lettasFault(e)) {
                askLettaUnlessAskedLately();
            }
            if (lettaDown()) {
                startProbeUnlessOneRuns(false); // a 500 is no outage, and a recorder may make no call that ends it
            }
            throw e;
        }
        if (listing) {
            // not when a listing that started later ended already: it told the outage log of a newer Letta
            lastCall.answered(started, outage::answered);
        } else {
            outage.answered();
        }
        return result;
    }

    /**
     * The calling thread was interrupted: a socket closed under it, or okio's "interrupted". Not a
     * timeout: OkHttp's call timeout is an {@code InterruptedIOException("timeout")} and a read timeout a
     * {@code SocketTimeoutException}, and both mean Letta did not answer.
     */
    static boolean endedByInterrupt(IOException e) {
        return e instanceof ClosedByInterruptException
                || e instanceof InterruptedIOException
                        && !(e instanceof SocketTimeoutException)
                        && "interrupted".equals(e.getMessage())
                || Thread.currentThread().isInterrupted();
    }

    /**
     * A stream open that waited in vain for its response headers: a read timeout before them, or a proxy's 504
     * (the same wait, cut short by the proxy's own timeout). Letta sends a stream's headers with its first
     * frame, so this is also what a live run with nothing new looks like, and it says nothing about Letta: the
     * calls that Letta answers at once (a Run GET, a listing) tell. The one rule for it: neither the outage log
     * here nor a run's abandon time takes it as Letta's absence (or presence); a run asks for its Run object.
     */
    public static boolean waitedInVainForHeaders(IOException streamOpenFailure) {
        return streamOpenFailure instanceof SocketTimeoutException
                || streamOpenFailure instanceof LettaHttpException http && http.status() == 504;
    }

    /**
     * No Letta answered: no connection, a gateway without its backend, or somebody else's page. The one
     * rule for it: the outage log here, and a run's abandon time, which does not run while Letta is away.
     * A 503 counts, Letta's own "database unavailable" too (the runs' streams live on in Redis meanwhile),
     * except the two that are Letta's own answers about the request: Cloud's refusal of a send while an
     * instance shuts down ({@link LettaHttpException#notAdmittedRetryable()}) and a Letta without Redis
     * ({@link LettaHttpException#backgroundStreamingUnavailable()}).
     */
    public static boolean isOutage(IOException e) {
        if (e instanceof LettaHttpException http) {
            return switch (http.status()) {
                case 502, 504 -> true;
                case 503 -> !http.notAdmittedRetryable() && !http.backgroundStreamingUnavailable();
                default -> false;
            };
        }
        return true;
    }

    /**
     * A call about one run or conversation (its Run GET, its stream open, a send) failed on Letta's side: that may be
     * the run (one broken among healthy ones) or Letta. Letta's listing decides, asked at once by the probe unless the
     * outcome {@link LettaCallHealth} keeps is of a listing started less than {@link #ASK_AT_MOST_EVERY} ago (its age,
     * on a monotonic time), so a run retrying with backoff asks at most once a second, and a Letta that fails
     * everything is {@code DOWN} within moments without a watcher too.
     */
    private void askLettaUnlessAskedLately() {
        if (lastCall.outcomeOlderThan(ASK_AT_MOST_EVERY)) {
            startProbeUnlessOneRuns(true);
        }
    }

    private void startProbeUnlessOneRuns(boolean askFirst) {
        if (!stopped() && probing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("letta-outage-probe").start(() -> probeWhileOutagesLast(askFirst));
        }
    }

    /** Probes; once it ends, starts again if an outage began while it was ending (its start saw this probe). */
    private void probeWhileOutagesLast(boolean askFirst) {
        prober.set(Thread.currentThread()); // then reads closed: close() sees this thread, or this probe sees it closed
        try {
            if (askFirst && !stopped()) {
                ask();
            }
            probeUntilLettaAnswers();
        } finally {
            prober.set(null);
            probing.set(false);
        }
        if (lettaDown() && !stopped()) {
            startProbeUnlessOneRuns(false);
        }
    }

    /**
     * Asks Letta ({@link #checkServer}, the start check's route) every {@link #probeEvery} while an outage lasts, or
     * Letta's listing last ended in a server error ({@link LettaCallHealth}; the outage that started it or a later
     * one: one probe at a time). An
     * outage ends with the next call Letta answers, and a recorder may make none: a fleet member whose runs left
     * during the outage, with no watcher of its own. Its unreachable gauge and {@code letta} readiness check then
     * stayed failing after Letta was back.
     */
    private void probeUntilLettaAnswers() {
        while (lettaDown() && !stopped()) {
            try {
                Thread.sleep(probeEvery);
            } catch (InterruptedException e) {
                return;
            }
            if (!lettaDown() || stopped()) {
                return;
            }
            ask();
        }
    }

    /** Asks Letta's listing ({@link #checkServer}), which tells {@link LettaCallHealth} and the outage log. */
    private void ask() {
        try {
            checkServer();
        } catch (IOException e) {
            // still out (counted by the outage log), or an answer, which ended the outage
        }
    }

    /** The recorder stops, or this was closed: no probe asks any more. */
    private boolean stopped() {
        return closed || stopping.getAsBoolean();
    }

    /** In an outage, or Letta's listing last failed on Letta's side. */
    private boolean lettaDown() {
        return outage.inOutage() || lastCall.down();
    }
}
