package dev.lsr.replay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The watch closes the body once one read waited past the limit; time between reads does not count. */
class SilenceWatchTest {

    private static final Duration LIMIT = Duration.ofMillis(300);

    @Test
    void aReadThatWaitsPastTheLimitIsEndedByClosingTheBody() throws Exception {
        Body body = new Body(0);
        long start = System.nanoTime();
        try (SilenceWatch watch = SilenceWatch.of(body, LIMIT)) {
            assertThrows(IOException.class, () -> watch.read(new byte[1]));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(watch.expired());
            assertTrue(took.compareTo(LIMIT) >= 0 && took.compareTo(LIMIT.plusSeconds(5)) < 0, "ended after " + took);
        }
    }

    @Test
    void timeBetweenReadsDoesNotCount() throws Exception {
        Body body = new Body(3);
        try (SilenceWatch watch = SilenceWatch.of(body, LIMIT)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(1, watch.read(new byte[1]));
                Thread.sleep(LIMIT.multipliedBy(2)); // a write to a slow client, say
            }
            assertFalse(watch.expired());
            assertFalse(body.closed.await(0, TimeUnit.MILLISECONDS), "the body was closed");
        }
    }

    /** A limit of centuries ({@code Duration.toNanos} overflows past 292 years) is as good as none: no exception. */
    @Test
    void aLimitOfCenturiesDoesNotOverflow() throws Exception {
        Body body = new Body(1);
        try (SilenceWatch watch = SilenceWatch.of(body, ChronoUnit.FOREVER.getDuration())) {
            assertEquals(1, watch.read(new byte[1]));
            assertFalse(watch.expired());
        }
    }

    /** A body with {@code ready} bytes at once, then none: a read waits until it is closed. */
    private static final class Body extends InputStream {
        final CountDownLatch closed = new CountDownLatch(1);
        private int ready;

        Body(int ready) {
            this.ready = ready;
        }

        @Override
        public int read() throws IOException {
            if (ready > 0) {
                ready--;
                return 1;
            }
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("closed");
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }
}
