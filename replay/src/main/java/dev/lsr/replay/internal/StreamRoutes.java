package dev.lsr.replay.internal;

import com.sun.net.httpserver.HttpExchange;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Letta's routes that answer with a stream, as the replay server's bound on open streams counts them ({@link
 * StreamLimit}): a {@code POST} to {@code /v1/runs/{run_id}/stream} (served from the log), and, passed to the
 * upstream, {@code /v1/conversations/{id}/stream} and the sends {@code /v1/agents/{id}/messages[/stream]} and {@code
 * /v1/conversations/{id}/messages} (they stream unless their body asks otherwise, which is not read here).
 */
public final class StreamRoutes implements Predicate<HttpExchange> {

    private static final Pattern STREAM_ROUTE = Pattern.compile(
            "/v1/(runs/[^/]+/stream|conversations/[^/]+/(stream|messages)|agents/[^/]+/messages(/stream)?)");

    @Override
    public boolean test(HttpExchange exchange) {
        return "POST".equals(exchange.getRequestMethod())
                && STREAM_ROUTE.matcher(exchange.getRequestURI().getPath()).matches();
    }
}
