package dev.lsr.recorder.internal.letta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.recorder.RecorderListener;
import dev.lsr.recorder.testing.ListingOnlyLetta;
import dev.lsr.recorder.testing.MutableClock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code letta} readiness check asks Letta's listing itself, only when the last outcome is old, once at a time. */
class LettaReadinessTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T20:00:00Z"));
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final LettaCallHealth health = new LettaCallHealth(clock::nanoTime);

    @AfterEach
    void stopProbes() {
        stopping.set(true);
    }

    /**
     * No listing yet: the check asks. Then it keeps that outcome while it is younger than the bound, and asks again
     * once it is older: Letta answering 500 meanwhile is found then.
     */
    @Test
    void asksTheListingOnlyWhenTheLastOutcomeIsOlderThanTheBound() {
        AtomicInteger asks = new AtomicInteger();
        AtomicReference<IOException> next = new AtomicReference<>();
        LettaReadiness readiness = readiness(() -> {
            asks.incrementAndGet();
            IOException failure = next.get();
            if (failure != null) {
                throw failure;
            }
        });

        assertEquals(Optional.empty(), readiness.failure());
        assertEquals(1, asks.get(), "no listing yet: asked");

        next.set(new LettaHttpException("GET /v1/runs/?limit=1", 500, "boom", null, null));
        clock.advance(LettaReadiness.ASK_AFTER.minusSeconds(1));
        assertEquals(Optional.empty(), readiness.failure(), "a recent answer is kept");
        assertEquals(1, asks.get(), "not asked again while the outcome is recent");

        clock.advance(Duration.ofSeconds(2));
        assertEquals(Optional.of("HTTP 500 on GET /v1/runs/"), readiness.failure());
        assertEquals(2, asks.get(), "asked again once the outcome is older than the bound");
    }

    /**
     * The wall clock is stepped back (NTP, a VM resumed): the age of the last outcome is measured on it, so the
     * outcome looks younger than it is, by the step, and the check does not ask for that long. Here, stepped back an
     * hour, Letta answering 500 is not found 31 s later (nor for the hour after).
     */
    @Test
    void aWallClockSteppedBackDoesNotStopTheCheckFromAsking() {
        AtomicReference<IOException> next = new AtomicReference<>();
        LettaReadiness readiness = readiness(() -> {
            IOException failure = next.get();
            if (failure != null) {
                throw failure;
            }
        });
        assertEquals(Optional.empty(), readiness.failure(), "asked: Letta answered");

        clock.advance(Duration.ofHours(-1));
        next.set(new LettaHttpException("GET /v1/runs/?limit=1", 500, "boom", null, null));
        clock.advance(LettaReadiness.ASK_AFTER.plusSeconds(1));
        assertEquals(
                Optional.of("HTTP 500 on GET /v1/runs/"),
                readiness.failure(),
                "31 s after the last ask, the wall clock stepped back an hour meanwhile");
    }

    /**
     * The ask runs on a thread of its own: while Letta takes its time, the check answers with the last outcome at once
     * (before the first one, none: not checked yet), and with the ask's once it ended.
     */
    @Test
    void asksInTheBackgroundAndAnswersWithTheLastOutcomeAtOnce() throws Exception {
        AtomicInteger asks = new AtomicInteger();
        AtomicInteger asksEnded = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        LettaReadiness readiness = readiness(
                () -> {
                    if (asks.incrementAndGet() > 1) {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                        throw new LettaHttpException("GET /v1/runs/?limit=1", 500, "boom", null, null);
                    }
                },
                inTheBackgroundCounting(asksEnded));
        try {
            readiness.failure(); // no outcome yet: asks (not checked yet, or the ask's answer if it came first)
            // ended, not only its outcome kept: until the ask ends, the clock advanced below reads it as waiting 31 s
            awaitUntil(() -> asksEnded.get() == 1, "the first ask ended");

            clock.advance(LettaReadiness.ASK_AFTER.plusSeconds(1));
            assertEquals(
                    Optional.empty(),
                    assertTimeoutPreemptively(Duration.ofSeconds(5), readiness::failure),
                    "the last outcome, at once, while Letta takes its time");
            awaitUntil(() -> asks.get() == 2, "asked again");
            release.countDown();
            awaitUntil(() -> readiness.failure().isPresent(), "the ask's outcome");
            assertEquals(Optional.of("HTTP 500 on GET /v1/runs/"), readiness.failure());
            assertEquals(2, asks.get());
        } finally {
            release.countDown();
        }
    }

    /**
     * A Letta that takes the connection and never answers: the ask waits for the request timeout (up to an hour with
     * {@code --request-timeout}), and the check would read the last outcome, up, all that time. Once the ask has been
     * waiting longer than the bound the check reads down.
     */
    @Test
    void anAskWithoutAnAnswerForLongerThanTheBoundReadsDown() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger asks = new AtomicInteger();
        AtomicInteger asksEnded = new AtomicInteger();
        LettaReadiness readiness = readiness(
                () -> {
                    if (asks.incrementAndGet() > 1) {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }
                },
                inTheBackgroundCounting(asksEnded));
        try {
            readiness.failure(); // no outcome yet: asks (not checked yet, or the ask's answer if it came first)
            // ended, not only its outcome kept: until the ask ends, the clock advanced below reads it as waiting 31 s
            awaitUntil(() -> asksEnded.get() == 1, "the first ask ended");

            clock.advance(LettaReadiness.ASK_AFTER.plusSeconds(1));
            assertEquals(Optional.empty(), readiness.failure(), "the ask just started: the last outcome");
            awaitUntil(() -> asks.get() == 2, "asked again");
            clock.advance(LettaReadiness.ASK_AFTER.plusSeconds(1));
            assertEquals(
                    Optional.of("no answer on GET /v1/runs/ within 30 s"),
                    readiness.failure(),
                    "the ask has waited 31 s for Letta");

            release.countDown();
            awaitUntil(() -> readiness.failure().isEmpty(), "up again once Letta answered");
        } finally {
            release.countDown();
        }
    }

    /** An ask that ends in an unexpected (unchecked) exception is down, not the last outcome kept for good. */
    @Test
    void anAskThatFailsUnexpectedlyReadsDown() {
        AtomicBoolean broken = new AtomicBoolean();
        LettaReadiness readiness = readiness(() -> {
            if (broken.get()) {
                throw new IllegalStateException("a bug in the client, with https://letta.example/?key=sk-secret");
            }
        });
        assertEquals(Optional.empty(), readiness.failure(), "asked: Letta answered");

        broken.set(true);
        clock.advance(LettaReadiness.ASK_AFTER.plusSeconds(1));
        assertEquals(
                Optional.of("the check of GET /v1/runs/ failed: IllegalStateException"),
                readiness.failure(),
                "the exception's type only: its message may hold a URL or a key");

        broken.set(false);
        clock.advance(LettaReadiness.ASK_AFTER.plusSeconds(1));
        assertEquals(Optional.empty(), readiness.failure(), "answered again");
    }

    /**
     * The recorder closes while an ask waits for Letta: closing the check interrupts that ask, as it does a run's calls,
     * so no ask outlives the recorder (to log, or to call its HTTP client once closed). Before, nothing stopped it: it
     * waited for Letta's answer, or the request timeout, after the recorder had stopped.
     */
    @Test
    void closingStopsTheAskInFlight() throws Exception {
        CountDownLatch asking = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        LettaReadiness readiness = readiness(
                () -> {
                    asking.countDown();
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw new InterruptedIOException("interrupted"); // as okio ends an interrupted call
                    }
                },
                LettaReadiness.IN_THE_BACKGROUND);
        try {
            readiness.failure();
            assertTrue(asking.await(5, TimeUnit.SECONDS), "the check asks");
            readiness.close();
            assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the ask in flight was interrupted by close");
        } finally {
            never.countDown();
        }
    }

    /** A check closed (the recorder stopping) asks no more, however old the last outcome. */
    @Test
    void aClosedCheckAsksNoMore() {
        AtomicInteger asks = new AtomicInteger();
        LettaReadiness readiness = readiness(asks::incrementAndGet);
        readiness.close();
        clock.advance(LettaReadiness.ASK_AFTER.plusSeconds(1));
        readiness.failure();
        assertEquals(0, asks.get(), "asks after close");
    }

    /** {@link LettaReadiness#IN_THE_BACKGROUND}, counting in {@code ended} the asks that ended, their cleanup too. */
    private static Executor inTheBackgroundCounting(AtomicInteger ended) {
        return ask -> LettaReadiness.IN_THE_BACKGROUND.execute(() -> {
            try {
                ask.run();
            } finally {
                ended.incrementAndGet();
            }
        });
    }

    private static void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    /** While one ask waits for Letta, another caller does not ask too: it gets the last outcome at once. */
    @Test
    void asksOnceAtATime() throws Exception {
        AtomicInteger asks = new AtomicInteger();
        CountDownLatch asking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LettaReadiness readiness = readiness(() -> {
            asks.incrementAndGet();
            asking.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                Future<Optional<String>> first = executor.submit(readiness::failure);
                assertTrue(asking.await(5, TimeUnit.SECONDS), "the first caller asks");
                assertEquals(Optional.of(LettaCallHealth.NOT_CHECKED_YET), readiness.failure(), "no outcome yet");
                assertEquals(1, asks.get(), "the second caller did not ask");
                release.countDown();
                assertEquals(Optional.empty(), first.get(5, TimeUnit.SECONDS));
            } finally {
                release.countDown(); // before the executor's close waits for the first caller
            }
        }
        assertEquals(1, asks.get());
    }

    /**
     * The listing of a Letta whose start check's route ({@code GET /v1/runs/?limit=1}) does {@code checkServer}, asked
     * on the caller's thread, so the call that asks returns the ask's outcome.
     */
    private LettaReadiness readiness(ListingOnlyLetta.Listing checkServer) {
        return readiness(checkServer, Runnable::run);
    }

    private LettaReadiness readiness(ListingOnlyLetta.Listing checkServer, Executor asks) {
        OutageTrackingLettaApi tracked = new OutageTrackingLettaApi(
                ListingOnlyLetta.of(checkServer),
                RecorderListener.NONE,
                clock,
                Duration.ofSeconds(10),
                stopping::get,
                health);
        return new LettaReadiness(tracked, health, asks);
    }
}
