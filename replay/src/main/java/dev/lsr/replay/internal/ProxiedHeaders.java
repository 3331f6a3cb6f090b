package dev.lsr.replay.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which headers {@link UpstreamProxy} passes on, each way: all but the hop-by-hop ones, those a {@code Connection}
 * header names (RFC 9110 7.6.1), and those the JDK client and server set themselves ({@code Content-Length} among
 * them: a streamed body gets its length, or goes chunked, from the JDK). A response that has no body but says its
 * length (a HEAD's, the GET's length; a 304's, the representation's: RFC 9110 8.6) keeps the upstream's {@code
 * Content-Length}: the JDK server sends none of its own for it, and keeps one set by hand ({@code
 * ExchangeImpl.sendResponseHeaders}: it sets {@code Content-length} only for a response that has a body). A 204 has
 * none (RFC 9110 8.6: must not).
 */
final class ProxiedHeaders {

    /** Hop-by-hop headers, and those the JDK client and server set themselves. */
    private static final Set<String> SKIPPED = Set.of(
            "host",
            "connection",
            "content-length",
            "expect",
            "upgrade",
            "keep-alive",
            "transfer-encoding",
            "te",
            "trailer",
            "proxy-connection",
            "proxy-authorization",
            "http2-settings");

    private static final String AUTHORIZATION = "authorization";

    private ProxiedHeaders() {}

    /**
     * Copies the client's request headers to {@code request}; its {@code Authorization} only when {@code
     * keepAuthorization}.
     *
     * @throws UnsendableHeaderException a header the JDK client refuses to send (a control character in its value,
     *     which the JDK server lets through): its message names the header, never its value (an {@code
     *     Authorization}'s holds a key; the JDK client's own exception holds the value)
     */
    static void copyRequest(Headers from, HttpRequest.Builder request, boolean keepAuthorization) {
        Set<String> hopByHop = connectionNamed(from.get("Connection"));
        for (Map.Entry<String, List<String>> header : from.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            boolean dropped = name.equals(AUTHORIZATION) && !keepAuthorization;
            if (!SKIPPED.contains(name) && !hopByHop.contains(name) && !dropped) {
                for (String value : header.getValue()) {
                    try {
                        request.header(header.getKey(), value);
                    } catch (IllegalArgumentException e) { // its message holds the value: not kept
                        throw new UnsendableHeaderException(header.getKey());
                    }
                }
            }
        }
    }

    /** Copies the upstream's response headers to the exchange's, before its {@code sendResponseHeaders}. */
    static void copyResponse(HttpHeaders from, int status, HttpExchange exchange) {
        Set<String> hopByHop = connectionNamed(from.allValues("connection"));
        Headers to = exchange.getResponseHeaders();
        from.map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!SKIPPED.contains(lower) && !hopByHop.contains(lower) && !name.startsWith(":")) {
                to.put(name, values);
            }
        });
        boolean saysItsLength = status == 304 || "HEAD".equals(exchange.getRequestMethod()) && status != 204;
        if (saysItsLength) {
            from.firstValue("content-length").ifPresent(length -> to.set("Content-Length", length));
        }
    }

    /** A request header the JDK client refuses to send; the message names it (printable), never its value. */
    static final class UnsendableHeaderException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final String name;

        UnsendableHeaderException(String name) {
            super("the request header " + printable(name) + " cannot be sent on");
            this.name = printable(name);
        }

        /** The header's name, its characters other than printable ASCII replaced by {@code ?}, at most 64. */
        String name() {
            return name;
        }

        private static String printable(String name) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < name.length() && i < 64; i++) {
                char c = name.charAt(i);
                out.append(c > ' ' && c < 0x7f ? c : '?');
            }
            return out.toString();
        }
    }

    /** The header names the {@code Connection} values list: for this hop only (RFC 9110 7.6.1), lower case. */
    private static Set<String> connectionNamed(List<String> values) {
        if (values == null || values.isEmpty()) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (String value : values) {
            for (String name : value.split(",")) {
                names.add(name.strip().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
