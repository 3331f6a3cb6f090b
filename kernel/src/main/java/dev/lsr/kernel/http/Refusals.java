package dev.lsr.kernel.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;

/**
 * How the replay server and the viewer answer a request they refuse (an error status), before its body matters and
 * without reading it: with {@code Connection: close} when the request has a body, and at most {@link #BODY_TIME}
 * spent on what is left of that body once the answer is out (the JDK's server drains up to 64 KiB of an unread body
 * on closing, at the client's pace, then closes a connection whose body goes on). So a large, endless or trickling
 * body sent into a refused request holds no thread or connection for long.
 */
public final class Refusals {

    /** How long answering a refusal may spend reading the rest of the request body. */
    public static final Duration BODY_TIME = Duration.ofSeconds(2);

    /** Sends the answer: status, headers and a small body, all of it, closing the response body. */
    @FunctionalInterface
    public interface Answer {
        void send() throws IOException;
    }

    private Refusals() {}

    /** Sends {@code answer} under the rule above; the request body is left unread. */
    public static void answer(HttpExchange exchange, Answer answer) throws IOException {
        if (hasBody(exchange)) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        ReadDeadline deadline = ReadDeadline.after(BODY_TIME);
        try {
            answer.send();
        } finally {
            deadline.close();
        }
    }

    private static boolean hasBody(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        return exchange.getRequestHeaders().containsKey("Transfer-Encoding")
                || length != null && !length.strip().equals("0");
    }
}
