package dev.lsr.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Backoff START = Backoff.exponential(Duration.ofMillis(250), Duration.ofSeconds(5));

    @Test
    void nextReturnsADoubledSuccessorAndLeavesTheOriginalAlone() {
        Backoff next = START.next();
        assertNotSame(START, next);
        assertEquals(Duration.ofMillis(250), START.base());
        assertEquals(Duration.ofMillis(500), next.base());
        assertEquals(Duration.ofMillis(1000), next.next().base());
    }

    @Test
    void theBaseStopsGrowingAtTheCap() {
        Backoff backoff = START;
        for (int i = 0; i < 40; i++) {
            backoff = backoff.next();
        }
        assertEquals(Duration.ofSeconds(5), backoff.base());
    }

    @Test
    void resetGoesBackToTheFirstStep() {
        assertEquals(START, START.next().next().reset());
    }

    @Test
    void jitterTakesAtMostItsShareOffTheBase() {
        Backoff backoff = START.next().next();
        RandomGenerator random = new Random(1);
        for (int i = 0; i < 1000; i++) {
            Duration delay = backoff.delay(random);
            assertTrue(
                    delay.compareTo(Duration.ofMillis(500)) >= 0 && delay.compareTo(Duration.ofMillis(1000)) <= 0,
                    delay.toString());
        }
        assertEquals(Duration.ofMillis(1000), backoff.delay(constant(0.0)));
        assertEquals(Duration.ofMillis(500), backoff.delay(constant(1.0)));
    }

    @Test
    void withoutJitterTheDelayIsTheBase() {
        Backoff plain = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 3.0, 0.0, Duration.ofMillis(100));
        assertEquals(Duration.ofMillis(300), plain.next().delay(new Random()));
    }

    @Test
    void doublingHasNoJitterAndStopsAtItsCap() {
        Backoff backoff = Backoff.doubling(Duration.ofMillis(100), Duration.ofMillis(500));
        assertEquals(Duration.ofMillis(100), backoff.delay());
        assertEquals(Duration.ofMillis(200), backoff.next().delay());
        assertEquals(Duration.ofMillis(400), backoff.next().next().delay());
        assertEquals(Duration.ofMillis(500), backoff.next().next().next().delay());
        assertEquals(Duration.ofMillis(500), backoff.next().next().next().next().delay());
        assertEquals(Duration.ofMillis(400), backoff.next().next().delay(new Random()), "no jitter to take off");
    }

    @Test
    void aJitteredBackoffNeedsItsRandomGenerator() {
        assertThrows(IllegalStateException.class, () -> START.delay());
    }

    @Test
    void nonsenseIsRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0.5, 0.1, Duration.ZERO));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2, 1.5, Duration.ZERO));
    }

    private static RandomGenerator constant(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }
}
