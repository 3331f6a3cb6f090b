package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import dev.lsr.kernel.http.Answers;
import dev.lsr.kernel.http.Refusals;
import java.io.IOException;
import java.net.URLDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The few things every handler does with an exchange: JSON answers, problems, query parameters. */
final class Exchanges {

    private Exchanges() {}

    /**
     * A JSON answer (the runs list, a run, a problem: every one the server makes goes through here), each write
     * under the server's write timeout: a client that asks for a large answer and reads nothing held the handler's
     * thread and connection until TCP gave up (about 15 minutes). A stall is logged, counted and thrown on ({@link
     * Answers}): the JDK server then drops the connection.
     */
    static void json(HttpExchange exchange, int status, byte[] body, Duration writeTimeout) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        Answers.send(exchange, status, body, writeTimeout);
    }

    /** A problem, answered before the request body matters, which the handler may have left unread ({@link Refusals}). */
    static void problem(HttpExchange exchange, HttpProblem problem, Duration writeTimeout) throws IOException {
        Refusals.answer(exchange, () -> json(exchange, problem.status(), problem.body(), writeTimeout));
    }

    /**
     * Ends the response without its end (no last chunk, not its whole length): its connection is closed, so the
     * client sees a cut, as after any lost connection, not a complete answer. The connection's channel is
     * interruptible: with the thread's interrupt set, closing the exchange closes the channel at its first operation,
     * before a byte goes out; the interrupt is then cleared.
     */
    static void cut(HttpExchange exchange) {
        Thread.currentThread().interrupt();
        try {
            exchange.close();
        } finally {
            Thread.interrupted();
        }
    }

    /** The query string's parameters, repeated keys kept in order ({@code statuses=a&statuses=b}). */
    static Map<String, List<String>> query(HttpExchange exchange) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (key.endsWith("[]")) {
                key = key.substring(0, key.length() - 2); // some clients encode arrays as statuses[]=...
            }
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.invalid("query", null, "url_decoding", "Malformed query string", null);
        }
    }
}
