package dev.lsr.kernel.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * A handler some of whose responses are held open for as long as their client wants (a page's live event stream):
 * each holds a thread and a connection all that time. It says which requests those are, so that a server that bounds
 * its open streams (the replay server's {@code --max-streams}) counts them with its own, and refuses one beyond the
 * bound as it refuses its own; every other request of the handler is never refused by that bound. Asked before the
 * handler runs, with nothing of the request body read. It counts its streams that stalled, so that such a server counts
 * them with its own too.
 */
public interface StreamingHandler extends HttpHandler {

    /** Whether the response to {@code exchange} is held open (a stream), by its method, path and query alone. */
    boolean streams(HttpExchange exchange);

    /**
     * How many of its streams ended because their client read nothing while a write to it stayed blocked for the write
     * timeout ({@link WriteDeadline}).
     */
    long stalledStreams();
}
