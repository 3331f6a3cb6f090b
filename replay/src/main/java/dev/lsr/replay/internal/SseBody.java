package dev.lsr.replay.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An SSE response body: status 200 and {@code text/event-stream} (as Letta), chunked; frames are
 * buffered and go out on {@link #flush()}, which the streamer calls after each batch read from the
 * log and after each live frame.
 */
final class SseBody implements AutoCloseable {

    private final OutputStream out;

    SseBody(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        this.out = new BufferedOutputStream(exchange.getResponseBody(), 16 * 1024);
    }

    void write(byte[] frame) throws IOException {
        out.write(frame);
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Ends the body cleanly (the terminal chunk). */
    @Override
    public void close() throws IOException {
        out.close();
    }
}
