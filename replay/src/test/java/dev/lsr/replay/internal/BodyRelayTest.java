package dev.lsr.replay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BodyRelayTest {

    /** A source that records whether anything read it, and blocks for ever if so (a client that stopped). */
    private static final class Stopped extends InputStream {
        final AtomicBoolean read = new AtomicBoolean();

        @Override
        public int read() throws IOException {
            read.set(true);
            try {
                Thread.sleep(Duration.ofDays(1));
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return -1;
        }
    }

    @Test
    void aRelayLetGoBeforeItStartedNeverStarts() {
        Stopped source = new Stopped();
        BodyRelay relay = new BodyRelay(source, 100, Duration.ofDays(1));
        relay.letGo(Duration.ofMillis(10));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            IOException e = assertThrows(IOException.class, () -> relay.stream().read(new byte[10]));
            assertEquals("the client's request body is no longer passed on", e.getMessage());
            assertFalse(relay.discardWithin(100, Duration.ofDays(1)), "ended");
        });
        assertFalse(source.read.get(), "the source was read after the relay was let go");
    }

    @Test
    void theBodyIsHandedOnOnce() throws IOException {
        BodyRelay relay = new BodyRelay(new ByteArrayInputStream(new byte[] {1, 2, 3}), 3, Duration.ofSeconds(5));
        assertEquals(1, relay.stream().read());
        IOException e = assertThrows(IOException.class, () -> relay.stream().read());
        assertEquals("the client's request body was passed on once already: not again", e.getMessage());
    }
}
