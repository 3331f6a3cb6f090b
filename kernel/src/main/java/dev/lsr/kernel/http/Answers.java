package dev.lsr.kernel.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the project's servers send a whole answer (a JSON answer, a problem, a page, an asset: everything but a
 * stream): {@link WriteDeadline#send} under the server's write timeout, and the one place its stall is logged (WARN,
 * once, with the method and path, not the query), counted, and thrown on (the JDK server takes a response of known
 * length cut short off its connection count only when the stall escapes the handler, see {@link
 * WriteDeadline#sendResponseHeaders}). The count is the process's: the replay server and the viewer it mounts share
 * one port and one metric ({@code lsr_replay_answers_stalled_total}).
 */
public final class Answers {

    private static final Logger LOG = LoggerFactory.getLogger(Answers.class);
    private static final AtomicLong STALLED = new AtomicLong();

    private Answers() {}

    /** As {@link WriteDeadline#send}; a stall is logged and counted, then thrown on. */
    public static void send(HttpExchange exchange, int status, byte[] body, Duration writeTimeout) throws IOException {
        try {
            WriteDeadline.send(exchange, status, body, writeTimeout);
        } catch (WriteDeadline.StalledException e) {
            STALLED.incrementAndGet();
            LOG.warn(
                    "{} {}: the client read nothing of its answer ({} bytes) for {}; the answer ends and its"
                            + " connection is closed",
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    body.length,
                    writeTimeout);
            throw e;
        }
    }

    /** How many answers of this process ended because their client read nothing for the write timeout. */
    public static long stalled() {
        return STALLED.get();
    }
}
