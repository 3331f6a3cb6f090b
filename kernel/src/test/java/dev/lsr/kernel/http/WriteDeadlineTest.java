package dev.lsr.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** On a real blocking socket channel whose peer reads nothing, as a JDK server's handler writes to one. */
class WriteDeadlineTest {

    private static final Duration LIMIT = Duration.ofMillis(500);

    @Test
    void aWriteBlockedPastTheLimitFailsAndClosesTheChannel() throws Exception {
        try (ServerSocketChannel listener =
                        ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                SocketChannel writer = SocketChannel.open(listener.getLocalAddress());
                SocketChannel peer = listener.accept();
                WriteDeadline deadline = WriteDeadline.of(LIMIT)) {
            ByteBuffer data = ByteBuffer.allocate(64 * 1024);
            long start = System.nanoTime();
            assertThrows(WriteDeadline.StalledException.class, () -> {
                while (true) { // the peer reads nothing: once the buffers are full a write blocks
                    deadline.write(() -> writer.write(data.clear()));
                }
            });
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(LIMIT.plusSeconds(5)) < 0, "failed after " + took);
            assertTrue(deadline.expired());
            assertTrue(peer.isOpen(), "the peer never read nor closed");
            assertFalse(writer.isOpen(), "the channel is closed");
            assertFalse(Thread.currentThread().isInterrupted(), "the interrupt is cleared once the stall is thrown");
            assertThrows(WriteDeadline.StalledException.class, () -> deadline.write(() -> {}), "and stays failed");
        }
    }

    @Test
    void writesThatComeThroughAreLeftAlone() throws Exception {
        try (WriteDeadline deadline = WriteDeadline.of(LIMIT)) {
            for (int i = 0; i < 3; i++) {
                deadline.write(() -> {});
                Thread.sleep(LIMIT.toMillis()); // idle between writes is not a blocked write
            }
            assertFalse(deadline.expired());
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    /**
     * {@code consumer serve --write-timeout} took any duration ({@code 200000d}, {@code PT9999999H}), and so did {@link
     * WriteDeadline#of}; one beyond about 292 years overflowed {@code limit.toNanos()} in the watchdog, which died with
     * an uncaught {@link ArithmeticException} at the first write of every response, the write then watched by nothing.
     * A limit above a day is refused now, where it is given.
     */
    @Test
    void aLimitOfCenturiesIsRefused() {
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> WriteDeadline.of(Duration.ofDays(200_000)));
        assertEquals("the write timeout must be positive and at most PT24H (got PT4800000H)", refused.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> WriteDeadline.checkedLimit(Duration.ofDays(1).plusNanos(1), "--write-timeout"));
        assertThrows(IllegalArgumentException.class, () -> WriteDeadline.of(Duration.ZERO));
    }

    /** The longest limit taken is watched by a watchdog that lives. */
    @Test
    void aLimitOfADayIsWatchedWithoutItsWatchdogDying() throws Exception {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> uncaught.compareAndSet(null, e));
        try (WriteDeadline deadline = WriteDeadline.of(Duration.ofDays(1))) {
            deadline.write(() -> {
                try {
                    Thread.sleep(500); // a write under way: the watchdog computes its deadline
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread.sleep(200);
            assertNull(uncaught.get(), "the watchdog of a write timeout of a day died");
            assertFalse(deadline.expired());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }
}
