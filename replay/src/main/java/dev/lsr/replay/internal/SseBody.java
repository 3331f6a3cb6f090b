package dev.lsr.replay.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.lsr.kernel.http.WriteDeadline;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * An SSE response body: status 200 and {@code text/event-stream} (as Letta), chunked; frames are
 * buffered and go out on {@link #flush()}, which the streamer calls after each batch read from the
 * log and after each live frame. A write that stays blocked longer than the write timeout (a client that reads
 * nothing) fails with {@link WriteDeadline.StalledException} and closes the connection ({@link WriteDeadline}); the
 * response says {@code Connection: close}, so that a stalled one gives its connection slot back.
 */
final class SseBody implements AutoCloseable {

    private final WriteDeadline deadline;
    private final OutputStream out;

    SseBody(HttpExchange exchange, Duration writeTimeout) throws IOException {
        this.deadline = WriteDeadline.of(writeTimeout);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        try {
            deadline.sendResponseHeaders(exchange, 200, 0); // with Connection: close, see there
        } catch (IOException e) {
            deadline.close();
            throw e;
        }
        this.out = new BufferedOutputStream(exchange.getResponseBody(), 16 * 1024);
    }

    void write(byte[] frame) throws IOException {
        deadline.write(out, frame); // in slices: a large frame read slowly is no stall
    }

    void flush() throws IOException {
        deadline.write(out::flush);
    }

    /** Ends the body cleanly (the terminal chunk). */
    @Override
    public void close() throws IOException {
        try {
            deadline.write(out::close);
        } finally {
            deadline.close();
        }
    }
}
