package dev.lsr.replay.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import dev.lsr.kernel.http.Refusals;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The few things every handler does with an exchange: JSON answers, problems, query parameters. */
final class Exchanges {

    private Exchanges() {}

    static void json(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** A problem, answered before the request body matters, which the handler may have left unread ({@link Refusals}). */
    static void problem(HttpExchange exchange, HttpProblem problem) throws IOException {
        Refusals.answer(exchange, () -> json(exchange, problem.status(), problem.body()));
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
