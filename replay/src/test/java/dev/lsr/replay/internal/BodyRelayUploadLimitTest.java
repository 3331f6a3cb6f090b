package dev.lsr.replay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client trickling its body, each wait for its next byte just under the read limit, held the upstream's read of it
 * (and the handler, the relay's and the JDK client's threads, the upstream connection) for as long as it liked: only
 * each wait was bounded. The upload limit bounds the waits in all.
 */
class BodyRelayUploadLimitTest {

    /** One byte every 200 ms, of a body of a million: each wait well under the read limit. */
    private static final class Trickle extends InputStream {
        @Override
        public int read() throws IOException {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            b[off] = (byte) read();
            return 1;
        }
    }

    @Test
    void aTrickledBodyEndsAtTheUploadLimit() {
        BodyRelay relay = new BodyRelay(new Trickle(), 1_000_000, Duration.ofSeconds(1), Duration.ofMillis(1500));
        InputStream body = relay.stream();
        long start = System.nanoTime();
        IOException e = assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () -> assertThrows(IOException.class, () -> body.transferTo(OutputStream.nullOutputStream())),
                "a body trickled in, each wait under the read limit, was read for 10 s");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("the client did not send its request body within its upload limit", e.getMessage());
        assertTrue(relay.stalled() && relay.overdue(), "stalled and overdue");
        assertTrue(millis >= 1400 && millis < 5000, "ended after " + millis + " ms");
    }

    @Test
    void aBodySentSteadilyWithinTheUploadLimitIsPassedOn() throws IOException {
        BodyRelay relay = new BodyRelay(
                new ByteArrayInputStream(new byte[1_000_000]), 1_000_000, Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertEquals(1_000_000, relay.stream().readAllBytes().length);
    }
}
