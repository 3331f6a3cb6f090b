package dev.lsr.replay.internal;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;

/**
 * Admits a request only with {@code Authorization: Bearer <the server's key>}; otherwise 401 in Letta's
 * error shape. The header's value is never logged or echoed.
 */
public final class AuthFilter extends Filter {

    private final BearerToken token;
    private final Duration writeTimeout;

    /** @param writeTimeout the server's write timeout, for its refusals ({@link Exchanges#json}) */
    public AuthFilter(BearerToken token, Duration writeTimeout) {
        this.token = token;
        this.writeTimeout = writeTimeout;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (token.admits(exchange.getRequestHeaders().getFirst("Authorization"))) {
            chain.doFilter(exchange);
            return;
        }
        try (exchange) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            Exchanges.problem(exchange, HttpProblem.detail(401, "Invalid or missing API key."), writeTimeout);
        }
    }

    @Override
    public String description() {
        return "bearer token check";
    }
}
