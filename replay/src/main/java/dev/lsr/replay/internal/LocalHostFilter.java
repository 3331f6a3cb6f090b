package dev.lsr.replay.internal;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Against DNS rebinding, on a server that asks no API key: a web page whose name the attacker now resolves
 * to this server's address sends same-origin requests, which name that page's host in {@code Host}. So a
 * request is admitted only when its {@code Host} names {@code localhost}, an IP address (a rebinding always
 * goes through a name), the {@code --bind} address or a name given with {@code --allowed-host} (the server's own
 * name behind a proxy or in DNS), any port; otherwise 421. A request that carries an
 * {@code Origin} (a browser's cross-site POST) must come from the same host and port, or from a loopback
 * one; otherwise 403. Neither value is needed when the server asks a key: a page cannot send it.
 */
public final class LocalHostFilter extends Filter {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]*:[0-9a-f:.]*]");
    private static final int SHOWN = 100;

    private final String bindAddress;
    private final Set<String> allowedHosts;
    private final Duration writeTimeout;

    /**
     * @param bindAddress  the address the server listens on
     * @param allowedHosts more names the server answers for (lower case, no port)
     * @param writeTimeout the server's write timeout, for its refusals ({@link Exchanges#json})
     */
    public LocalHostFilter(String bindAddress, Set<String> allowedHosts, Duration writeTimeout) {
        this.bindAddress = bindAddress == null ? "" : withoutFinalDot(bindAddress.toLowerCase(Locale.ROOT));
        this.allowedHosts = Set.copyOf(allowedHosts);
        this.writeTimeout = writeTimeout;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String host = exchange.getRequestHeaders().getFirst("Host");
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        HttpProblem refused = null;
        if (host != null && !admitsHost(hostName(host))) {
            refused = HttpProblem.detail(
                    421,
                    "Host " + shown(host) + " is not this server's: without an API key (--api-key-file) it"
                            + " answers only requests for localhost, an IP address, its --bind address or a name"
                            + " given with --allowed-host (a guard against DNS rebinding).");
        } else if (origin != null && !admitsOrigin(origin, host)) {
            refused = HttpProblem.detail(
                    403,
                    "Origin " + shown(origin) + " is another site: without an API key (--api-key-file) the"
                            + " server answers only its own pages and loopback ones.");
        }
        if (refused == null) {
            chain.doFilter(exchange);
            return;
        }
        try (exchange) {
            Exchanges.problem(exchange, refused, writeTimeout);
        }
    }

    private boolean admitsHost(String hostName) {
        String name = withoutFinalDot(hostName);
        return name.equals("localhost")
                || name.equals(bindAddress)
                || allowedHosts.contains(name)
                || IPV4.matcher(name).matches()
                || IPV6.matcher(name).matches();
    }

    /** The same host and port as the request's {@code Host}, or a loopback host. */
    private static boolean admitsOrigin(String origin, String host) {
        URI uri;
        try {
            uri = URI.create(origin.strip());
        } catch (IllegalArgumentException e) {
            return false; // "null" (a sandboxed frame, a file) parses, but has no host: refused below
        }
        String authority = uri.getRawAuthority();
        if (authority == null || uri.getHost() == null) {
            return false;
        }
        if (host != null && authority.equalsIgnoreCase(host.strip())) {
            return true;
        }
        String name = hostName(authority);
        return name.equals("localhost")
                || name.equals("[::1]")
                || name.startsWith("127.") && IPV4.matcher(name).matches();
    }

    /** {@code name.} as {@code name}: the absolute form of a DNS name is the same name. */
    public static String withoutFinalDot(String name) {
        return name.length() > 1 && name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** {@code host[:port]} without its port, lower case; an IPv6 literal keeps its brackets. */
    static String hostName(String hostAndPort) {
        String value = hostAndPort.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? value : value.substring(0, end + 1);
        }
        int colon = value.lastIndexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    private static String shown(String value) {
        return value.length() > SHOWN ? value.substring(0, SHOWN) + "…" : value;
    }

    @Override
    public String description() {
        return "Host and Origin check (no API key)";
    }
}
