package dev.lsr.recorder.internal.letta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.recorder.RecorderListener;
import dev.lsr.recorder.SendMessage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OutageTrackingLettaApiTest {

    private final AtomicInteger outages = new AtomicInteger();
    private final RecorderListener listener = new RecorderListener() {
        @Override
        public void lettaOutageStarted(Throwable cause) {
            outages.incrementAndGet();
        }

        @Override
        public void lettaOutageEnded(Duration outage) {}
    };

    /**
     * A fleet member whose partition is revoked interrupts that partition's sessions; their pending
     * calls then fail with "Closed by interrupt" or OkHttp's "interrupted". That says nothing about
     * Letta: it logged "Letta is unreachable" on every revocation (seen in FleetIT's output).
     */
    @Test
    void aCallEndedByItsOwnInterruptIsNoOutage() {
        for (IOException interrupted :
                List.of(new ClosedByInterruptException(), new InterruptedIOException("interrupted"))) {
            OutageTrackingLettaApi api =
                    new OutageTrackingLettaApi(failingWith(interrupted), listener, Clock.systemUTC());
            assertThrows(IOException.class, () -> api.getRun("run-1"));
        }
        assertEquals(0, outages.get());
    }

    @Test
    void noConnectionOrNoAnswerIsAnOutage() {
        OutageTrackingLettaApi refused = new OutageTrackingLettaApi(
                failingWith(new ConnectException("Connection refused")), listener, Clock.systemUTC());
        assertThrows(IOException.class, () -> refused.getRun("run-1"));
        OutageTrackingLettaApi silent = new OutageTrackingLettaApi(
                failingWith(new SocketTimeoutException("timeout")), listener, Clock.systemUTC());
        assertThrows(IOException.class, () -> silent.getRun("run-1"));
        assertEquals(2, outages.get());
    }

    /**
     * A gateway's 503 and Letta's own "database unavailable" 503 mean Letta cannot serve now (the runs' streams
     * live on in Redis); Letta without Redis, or Cloud refusing a send, answered: no outage.
     */
    @Test
    void aServiceUnavailableIsAnOutageUnlessLettaRefusedForGood() {
        String stream = "POST /v1/runs/run-1/stream";
        assertTrue(OutageTrackingLettaApi.isOutage(
                new LettaHttpException(stream, 503, LettaHttpException.Body.NONE, null)));
        assertTrue(OutageTrackingLettaApi.isOutage(new LettaHttpException(
                stream, 503, "The database is temporarily unavailable. Please try again later.", null, null)));
        assertTrue(OutageTrackingLettaApi.isOutage(new LettaHttpException(stream, 502, null, null, null)));
        assertTrue(OutageTrackingLettaApi.isOutage(new LettaHttpException(stream, 504, null, null, null)));

        assertFalse(OutageTrackingLettaApi.isOutage(new LettaHttpException(
                stream,
                503,
                "Background streaming requires Redis to be running. Please ensure Redis is properly configured.",
                null,
                null)));
        assertFalse(OutageTrackingLettaApi.isOutage(new LettaHttpException(
                "POST /v1/conversations/default/messages",
                503,
                new LettaHttpException.Body(
                        "Service temporarily unavailable", null, LettaHttpException.SHUTTING_DOWN, false, true),
                null)));
        assertFalse(OutageTrackingLettaApi.isOutage(new LettaHttpException(stream, 500, "boom", null, null)));
    }

    /**
     * Letta sends a stream's headers with its first frame, so a stream open that times out waiting for them (or a
     * gateway's 504, the same wait cut short by a proxy) is also what a live run with nothing new looks like:
     * no verdict about Letta, neither the start nor the end of an outage. The Run GETs and listings, which
     * answer at once, tell. A gateway's 502 on a stream open still is an outage.
     */
    @Test
    void aStreamOpenThatWaitedInVainForItsHeadersSaysNothingAboutLetta() throws Exception {
        AtomicInteger ended = new AtomicInteger();
        RecorderListener counting = counting(ended);
        String stream = "POST /v1/runs/run-1/stream";
        for (IOException waited :
                List.of(new SocketTimeoutException("timeout"), new LettaHttpException(stream, 504, null, null, null))) {
            OutageTrackingLettaApi api = new OutageTrackingLettaApi(failingWith(waited), counting, Clock.systemUTC());
            assertThrows(IOException.class, () -> api.streamRun("run-1", 3));
            assertThrows(IOException.class, () -> api.send(null));
            assertThrows(IOException.class, () -> api.streamByOtid(null));
        }
        assertEquals(0, outages.get(), "no outage started");

        AtomicReference<IOException> next = new AtomicReference<>(new ConnectException("Connection refused"));
        OutageTrackingLettaApi api = new OutageTrackingLettaApi(failingWith(next::get), counting, Clock.systemUTC());
        assertThrows(IOException.class, () -> api.getRun("run-1"));
        assertEquals(1, outages.get(), "a refused connection starts one");
        next.set(new SocketTimeoutException("timeout"));
        assertThrows(IOException.class, () -> api.streamRun("run-1", 3));
        assertEquals(0, ended.get(), "a stream open that waited in vain does not end it either");
        next.set(new LettaHttpException(stream, 502, null, null, null));
        assertThrows(IOException.class, () -> api.streamRun("run-1", 3));
        assertEquals(1, outages.get());
        assertEquals(0, ended.get(), "a gateway's 502 on a stream open is part of the outage");
    }

    /**
     * A recorder that makes no call after an outage began (a fleet member whose runs left, with no watcher of its
     * own) still learns that Letta is back: the outage asks Letta itself until it answers. Before, the outage ended
     * only with the next call, so the unreachable gauge and the letta readiness check stayed failing for good.
     */
    @Test
    void anOutageAsksLettaItselfUntilItAnswersAgain() throws Exception {
        AtomicInteger ended = new AtomicInteger();
        RecorderListener counting = counting(ended);
        AtomicReference<IOException> next = new AtomicReference<>(new ConnectException("Connection refused"));
        AtomicInteger checks = new AtomicInteger();
        LettaApi letta = checkingAndGetting(
                () -> {
                    checks.incrementAndGet();
                    IOException failure = next.get();
                    if (failure != null) {
                        throw failure;
                    }
                    return null;
                },
                () -> {
                    throw new ConnectException("Connection refused");
                });
        OutageTrackingLettaApi api =
                new OutageTrackingLettaApi(letta, counting, Clock.systemUTC(), Duration.ofMillis(20), () -> false);

        assertThrows(IOException.class, () -> api.getRun("run-1"));
        assertEquals(1, outages.get());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (checks.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(checks.get() >= 2, "asked while the outage lasts: " + checks.get());
        assertEquals(0, ended.get());
        next.set(null);
        while (ended.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, ended.get(), "ended without another call of the recorder's");
        int asked = checks.get();
        Thread.sleep(100);
        assertEquals(asked, checks.get(), "no more asking once Letta answered");
        assertEquals(1, outages.get());
    }

    /**
     * Letta that flaps (every other call fails) starts an outage at every failure; each used to start a probe of its
     * own, and a probe that woke inside a later outage went on, so they piled up: 50 flaps, 50 probes asking Letta
     * at once. One probe at a time asks now.
     */
    @Test
    void aFlappingLettaIsProbedByOneProbeAtATime() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean(true);
        LettaApi flapping = checkingAndGetting(
                () -> {
                    checks.incrementAndGet();
                    throw new ConnectException("Connection refused");
                },
                () -> {
                    if (failing.get()) {
                        throw new ConnectException("Connection refused");
                    }
                    return null;
                });
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        OutageTrackingLettaApi api = new OutageTrackingLettaApi(
                flapping, listener, Clock.systemUTC(), Duration.ofMillis(100), stopping::get);
        try {
            for (int flap = 0; flap < 50; flap++) {
                failing.set(true);
                assertThrows(IOException.class, () -> api.getRun("run-1"));
                failing.set(false);
                api.getRun("run-1");
            }
            failing.set(true);
            assertThrows(IOException.class, () -> api.getRun("run-1"));
            assertEquals(51, outages.get());

            Thread.sleep(300); // every probe started sleeps its first 100 ms and asks
            int before = checks.get();
            Thread.sleep(1_000);
            int asked = checks.get() - before;
            assertTrue(asked <= 25, "one probe asks about 10 times a second; asked " + asked + " times");
            assertTrue(asked >= 1, "the outage is still probed");
        } finally {
            stopping.set(true);
        }
    }

    /**
     * One run whose Run GET answers 500 (retried with backoff) while Letta's listing answers: Letta is up. Before,
     * the readiness check followed whichever call ended last, so each of that run's retries marked the whole recorder
     * down until the next listing. A run's server error asks Letta's listing instead, at most once a second.
     */
    @Test
    void oneRunsServerErrorsAskLettaAndDoNotMarkItDown() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        LettaCallHealth health = new LettaCallHealth();
        LettaApi letta = checkingAndGetting(
                () -> {
                    checks.incrementAndGet();
                    return null;
                },
                () -> {
                    throw new LettaHttpException("GET /v1/runs/run-1", 500, "boom", null, null);
                });
        OutageTrackingLettaApi api = new OutageTrackingLettaApi(
                letta, listener, Clock.systemUTC(), Duration.ofSeconds(10), () -> false, health);

        for (int retry = 0; retry < 20; retry++) {
            assertThrows(IOException.class, () -> api.getRun("run-1"));
            assertFalse(health.down(), "a run's 500 is not Letta down");
        }
        awaitUntil(() -> checks.get() >= 1, "the run's 500 asked Letta");
        Thread.sleep(100);
        assertEquals(1, checks.get(), "asked once for 20 retries within a second");
        assertEquals(Optional.empty(), health.failure(), "Letta's listing answered");
    }

    /**
     * The recorder stops while the probe a run's failure started waits for Letta's listing: closing interrupts that
     * ask, as the readiness check's own, so no probe outlives the recorder (to log "answers again" or "still failing",
     * or to call its HTTP client). Before, the probe checked the stop only between asks, and waited out the one in
     * flight, up to the request timeout.
     */
    @Test
    void closingStopsTheProbesAskInFlight() throws Exception {
        CountDownLatch asking = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        LettaApi letta = checkingAndGetting(
                () -> {
                    asking.countDown();
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw new InterruptedIOException("interrupted"); // as okio ends an interrupted call
                    }
                    return null;
                },
                () -> {
                    throw new LettaHttpException("GET /v1/runs/run-1", 500, "boom", null, null);
                });
        OutageTrackingLettaApi api = new OutageTrackingLettaApi(
                letta, listener, Clock.systemUTC(), Duration.ofSeconds(10), () -> false, new LettaCallHealth());
        try {
            assertThrows(IOException.class, () -> api.getRun("run-1"));
            assertTrue(asking.await(5, TimeUnit.SECONDS), "the run's 500 has the probe ask Letta's listing");
            api.close();
            assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the probe's ask in flight was interrupted by close");
        } finally {
            never.countDown();
        }
    }

    /** A Letta that answers every call with 500 is down within moments of a run's first one, watcher or not. */
    @Test
    void aRunsServerErrorFindsABrokenLettaAtOnce() throws Exception {
        LettaCallHealth health = new LettaCallHealth();
        LettaApi broken = checkingAndGetting(
                () -> {
                    throw new LettaHttpException("GET /v1/runs/?limit=1", 500, "boom", null, null);
                },
                () -> {
                    throw new LettaHttpException("GET /v1/runs/run-1", 500, "boom", null, null);
                });
        AtomicBoolean stopping = new AtomicBoolean();
        OutageTrackingLettaApi api = new OutageTrackingLettaApi(
                broken, listener, Clock.systemUTC(), Duration.ofSeconds(10), stopping::get, health);
        try {
            assertThrows(IOException.class, () -> api.getRun("run-1"));
            awaitUntil(health::down, "Letta down");
            assertEquals(Optional.of("HTTP 500 on GET /v1/runs/"), health.failure());
        } finally {
            stopping.set(true);
        }
    }

    /**
     * A slow listing (the watcher's) and a probe overlap: the probe starts after the listing and ends first. The
     * outcome kept is the probe's, the call that started last, whichever ends last: Letta's answer then is newer than
     * the one a call started before it finds. Before, the last to end won, so the listing's 500 overwrote the
     * probe's newer answer (and an answer started earlier overwrote a newer 500).
     */
    @Test
    void theListingThatStartedLastDecidesNotTheOneThatEndedLast() throws Exception {
        LettaHttpException serverError = new LettaHttpException("GET /v1/runs/", 500, "boom", null, null);
        assertEquals(
                Optional.empty(),
                afterOverlap(serverError, null),
                "a listing started first failed after a newer one answered");
        assertEquals(
                Optional.of("HTTP 500 on GET /v1/runs/"),
                afterOverlap(null, serverError),
                "a listing started first answered after a newer one failed");
    }

    /**
     * The outage log follows the order readiness follows: a slow listing (the watcher's) that times out after a probe
     * started later got Letta's answer found an older Letta, so it starts no outage (no WARN "Letta is unreachable", no
     * {@code lettaOutageStarted}, no probe) while readiness, rightly, stays UP. Before, the outage log took the last to
     * end: an outage was logged and counted while {@code letta} read UP.
     */
    @Test
    void anOlderListingsTimeoutStartsNoOutageAfterANewerOneAnswered() throws Exception {
        AtomicInteger ended = new AtomicInteger();
        assertEquals(
                Optional.empty(),
                afterOverlap(new SocketTimeoutException("timeout"), null, counting(ended)),
                "readiness: the newer listing answered");
        assertEquals(0, outages.get(), "outages started by a listing older than one Letta answered");
    }

    /**
     * The other way: an older listing's answer does not end the outage a newer listing found (no INFO "answers
     * again", no {@code lettaOutageEnded}, while {@code letta} reads DOWN; the probe's next failure then starts a
     * second outage for one).
     */
    @Test
    void anOlderListingsAnswerDoesNotEndTheOutageANewerOneFound() throws Exception {
        AtomicInteger ended = new AtomicInteger();
        assertEquals(
                Optional.of("no answer on GET /v1/runs/: ConnectException"),
                afterOverlap(null, new ConnectException("Connection refused"), counting(ended)),
                "readiness: the newer listing found no Letta");
        assertEquals(1, outages.get(), "the newer listing started an outage");
        assertEquals(0, ended.get(), "outages ended by a listing older than the one that found no Letta");
    }

    /**
     * Keeping a listing's outcome and telling the outage log are one step. Two listings end at once: the older one
     * (a watcher's page) fails, is kept (no newer one had ended) and is telling the outage log when the newer one (a
     * probe) answers, is kept and tells it first. Before, the two steps interleaved so: the newer answer found no
     * outage to end, the older failure then started one, and the outage log stayed in an outage (WARN, gauge, probe)
     * that followed an outcome no longer kept, while {@code letta} read UP. The outage log's clock, read when it is
     * told of a failure, holds the older listing there; latches, no sleeps.
     */
    @Test
    void theOutageLogFollowsTheKeptOutcomeWhenTwoListingsEndAtOnce() throws Exception {
        AtomicInteger ended = new AtomicInteger();
        LettaCallHealth health = new LettaCallHealth();
        CountDownLatch olderInLetta = new CountDownLatch(1);
        CountDownLatch olderAnswered = new CountDownLatch(1);
        CountDownLatch newerInLetta = new CountDownLatch(1);
        CountDownLatch newerAnswered = new CountDownLatch(1);
        CountDownLatch newerReturns = new CountDownLatch(1);
        CountDownLatch olderTelling = new CountDownLatch(1);
        CountDownLatch olderTells = new CountDownLatch(1);
        AtomicReference<Thread> older = new AtomicReference<>();
        Clock holdingTheOlderListing = new Clock() {
            @Override
            public Instant instant() {
                if (Thread.currentThread() == older.get() && olderTelling.getCount() > 0) {
                    olderTelling.countDown();
                    await(olderTells);
                }
                return Instant.now();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        LettaApi letta = checkingAndListing(
                () -> {
                    newerInLetta.countDown();
                    await(newerAnswered);
                    newerReturns.countDown();
                    return null;
                },
                () -> {
                    olderInLetta.countDown();
                    await(olderAnswered);
                    throw new ConnectException("Connection refused");
                });
        AtomicBoolean stopping = new AtomicBoolean();
        OutageTrackingLettaApi api = new OutageTrackingLettaApi(
                letta, counting(ended), holdingTheOlderListing, Duration.ofSeconds(10), stopping::get, health);
        Thread olderListing = Thread.ofPlatform().unstarted(() -> {
            try {
                api.listRuns(null);
            } catch (IOException e) {
                // told health and the outage log
            }
        });
        older.set(olderListing);
        Thread newerListing = Thread.ofPlatform().unstarted(() -> {
            try {
                api.checkServer();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        try {
            olderListing.start();
            assertTrue(olderInLetta.await(5, TimeUnit.SECONDS), "the older listing started");
            newerListing.start();
            assertTrue(newerInLetta.await(5, TimeUnit.SECONDS), "the newer listing started");
            olderAnswered.countDown();
            assertTrue(olderTelling.await(5, TimeUnit.SECONDS), "the older listing's failure is being told");
            newerAnswered.countDown();
            assertTrue(newerReturns.await(5, TimeUnit.SECONDS), "Letta answered the newer listing");
            awaitUntil(
                    () -> EnumSet.of(Thread.State.BLOCKED, Thread.State.WAITING, Thread.State.TERMINATED)
                            .contains(newerListing.getState()),
                    "the newer listing ended, or waits for the older one's step");
            olderTells.countDown();
            newerListing.join(5_000);
            olderListing.join(5_000);
            assertFalse(newerListing.isAlive() || olderListing.isAlive(), "both listings ended");

            assertEquals(Optional.empty(), health.failure(), "kept: the newer listing's answer");
            assertEquals(1, outages.get(), "the older listing's failure, told first");
            assertEquals(1, ended.get(), "outages ended by the newer listing's answer, the outcome kept");
        } finally {
            olderTells.countDown();
            olderAnswered.countDown();
            newerAnswered.countDown();
            stopping.set(true);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("not released within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Optional<String> afterOverlap(IOException first, IOException second) throws Exception {
        return afterOverlap(first, second, listener);
    }

    /**
     * What {@link LettaCallHealth} holds once a listing that ends with {@code first} (an answer when null) started, a
     * probe that ends with {@code second} started and ended, and then the listing ended.
     */
    private Optional<String> afterOverlap(IOException first, IOException second, RecorderListener listener)
            throws Exception {
        LettaCallHealth health = new LettaCallHealth();
        CountDownLatch listing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LettaApi letta = new LettaApi() {
            @Override
            public void checkServer() throws IOException {
                if (second != null) {
                    throw second;
                }
            }

            @Override
            public List<Run> listRuns(RunQuery query) throws IOException {
                listing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                if (first != null) {
                    throw first;
                }
                return List.of();
            }

            @Override
            public Run getRun(String runId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SseStream streamRun(String runId, long startingAfter) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SseStream streamByOtid(SendMessage message) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SseStream send(SendMessage message) {
                throw new UnsupportedOperationException();
            }
        };
        AtomicBoolean stopping = new AtomicBoolean();
        OutageTrackingLettaApi api = new OutageTrackingLettaApi(
                letta, listener, Clock.systemUTC(), Duration.ofSeconds(10), stopping::get, health);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> slow = executor.submit(() -> {
                try {
                    return api.listRuns(null);
                } catch (IOException e) {
                    return null; // told health
                }
            });
            assertTrue(listing.await(5, TimeUnit.SECONDS), "the listing started");
            try {
                api.checkServer();
            } catch (IOException e) {
                // told health
            }
            release.countDown();
            slow.get(5, TimeUnit.SECONDS);
            return health.failure();
        } finally {
            stopping.set(true);
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    /** Counts outages started in {@link #outages} and ended in {@code ended}. */
    private RecorderListener counting(AtomicInteger ended) {
        return new RecorderListener() {
            @Override
            public void lettaOutageStarted(Throwable cause) {
                outages.incrementAndGet();
            }

            @Override
            public void lettaOutageEnded(Duration outage) {
                ended.incrementAndGet();
            }
        };
    }

    /** A call of the fake Letta below. */
    @FunctionalInterface
    private interface Answer<T> {
        T call() throws IOException;
    }

    /** Letta whose start check and Run GET answer as given; its other routes are not called. */
    private static LettaApi checkingAndGetting(Answer<Void> checkServer, Answer<Run> getRun) {
        return new LettaApi() {
            @Override
            public void checkServer() throws IOException {
                checkServer.call();
            }

            @Override
            public Run getRun(String runId) throws IOException {
                return getRun.call();
            }

            @Override
            public List<Run> listRuns(RunQuery query) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SseStream streamRun(String runId, long startingAfter) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SseStream streamByOtid(SendMessage message) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SseStream send(SendMessage message) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** Letta whose start check and listing answer as given; its other routes are not called. */
    private static LettaApi checkingAndListing(Answer<Void> checkServer, Answer<List<Run>> listRuns) {
        return new LettaApi() {
            @Override
            public void checkServer() throws IOException {
                checkServer.call();
            }

            @Override
            public List<Run> listRuns(RunQuery query) throws IOException {
                return listRuns.call();
            }

            @Override
            public Run getRun(String runId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SseStream streamRun(String runId, long startingAfter) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SseStream streamByOtid(SendMessage message) {
                throw new UnsupportedOperationException();
            }

            @Override
            public SseStream send(SendMessage message) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static LettaApi failingWith(IOException failure) {
        return failingWith(() -> failure);
    }

    /** A Letta whose every call fails, the start check's too (the probe a run's failure starts asks it). */
    private static LettaApi failingWith(java.util.function.Supplier<IOException> failures) {
        return new LettaApi() {
            @Override
            public void checkServer() throws IOException {
                throw failures.get();
            }

            @Override
            public Run getRun(String runId) throws IOException {
                throw failures.get();
            }

            @Override
            public List<Run> listRuns(RunQuery query) throws IOException {
                throw failures.get();
            }

            @Override
            public SseStream streamRun(String runId, long startingAfter) throws IOException {
                throw failures.get();
            }

            @Override
            public SseStream streamByOtid(SendMessage message) throws IOException {
                throw failures.get();
            }

            @Override
            public SseStream send(SendMessage message) throws IOException {
                throw failures.get();
            }
        };
    }
}
