package dev.lsr.sim.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * An SSE response body on Jetty: every frame is written as its own chunk and flushed before the
 * call returns (blocking, on the request's virtual thread). The body ends either cleanly (terminal
 * chunk) or by abort: failing the handler callback after the response is committed makes Jetty
 * close the connection without the terminal chunk, so the client sees an I/O error.
 */
final class SseSink {

    private final Response response;
    private final Callback callback;

    SseSink(Response response, Callback callback) {
        this.response = response;
        this.callback = callback;
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    }

    /** Writes and flushes one frame. */
    void write(byte[] frame) throws IOException {
        try (Blocker.Callback blocker = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(frame), blocker);
            blocker.block();
        }
    }

    /** Sends the headers now (an empty chunk write commits the response). */
    void commit() throws IOException {
        try (Blocker.Callback blocker = Blocker.callback()) {
            response.write(false, ByteBuffer.allocate(0), blocker);
            blocker.block();
        }
    }

    /** Ends the body cleanly. */
    void end() {
        response.write(true, null, callback);
    }

    /** Aborts the connection mid-body. */
    void abort(String why) {
        callback.failed(new EofException("letta-sim fault: " + why));
    }
}
