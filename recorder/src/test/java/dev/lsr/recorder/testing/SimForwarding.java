package dev.lsr.recorder.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Forwards one request of a protocol-speaking test front (a JDK {@code HttpServer} in front of
 * letta-sim) to the simulator and its answer back: method, path and query, body, the headers the
 * recorder sends, status and content type.
 */
public final class SimForwarding {

    private SimForwarding() {}

    /** Forwards the exchange; the answer is streamed through as it comes. */
    public static void forward(HttpExchange exchange, String simUrl, HttpClient upstream) throws IOException {
        HttpResponse<InputStream> response =
                send(exchange, simUrl, upstream, HttpResponse.BodyHandlers.ofInputStream());
        copyContentType(response, exchange);
        exchange.sendResponseHeaders(response.statusCode(), 0);
        try (InputStream in = response.body();
                OutputStream out = exchange.getResponseBody()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }

    /** Forwards the exchange; an event-stream answer is read whole and served as {@code rewrite} makes it. */
    public static void forward(HttpExchange exchange, String simUrl, HttpClient upstream, UnaryOperator<byte[]> rewrite)
            throws IOException {
        HttpResponse<byte[]> response = send(exchange, simUrl, upstream, HttpResponse.BodyHandlers.ofByteArray());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        byte[] body = contentType.startsWith("text/event-stream") ? rewrite.apply(response.body()) : response.body();
        copyContentType(response, exchange);
        exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static <T> HttpResponse<T> send(
            HttpExchange exchange, String simUrl, HttpClient upstream, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simUrl + exchange.getRequestURI()))
                .method(
                        exchange.getRequestMethod(),
                        HttpRequest.BodyPublishers.ofByteArray(
                                exchange.getRequestBody().readAllBytes()));
        for (String header : List.of("Content-Type", "Accept", "User-Agent", "Authorization")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        try {
            return upstream.send(request.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void copyContentType(HttpResponse<?> response, HttpExchange exchange) {
        response.headers()
                .firstValue("Content-Type")
                .ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
    }
}
