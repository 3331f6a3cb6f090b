package dev.lsr.observability;

/**
 * How many connections the JDK's HTTP server keeps open at a time. Without a limit (the JDK's default) a client that
 * opens thousands of connections (a broken scraper, anyone on the port) holds a file descriptor of the process for
 * each, until the same process's Kafka and Letta connections fail for want of one. With it the server closes every
 * connection beyond the limit at once (JDK 18+).
 *
 * <p>The JDK reads its limit from the system property {@value #PROPERTY}, once per process, when its first server
 * starts: the only knob, and one for every JDK HTTP server of the process. So it is set here, in one place, before a
 * server of ours is created, and only when the user has not set it ({@code -Djdk.httpserver.maxConnections=N}, e.g.
 * in {@code JDK_JAVA_OPTIONS}; 0 or less: no limit).
 */
public final class ConnectionLimit {

    /** The JDK's system property for the limit (module {@code jdk.httpserver}). */
    public static final String PROPERTY = "jdk.httpserver.maxConnections";

    /**
     * The limit unless the user sets another: far more than probes and scrapers need, far fewer than a process's usual
     * file descriptor limit (1,024 or more). A server whose port also carries clients' streams ({@code consumer
     * serve}) bounds its streams itself and takes this many more ({@link #applyDefaultAbove}): the JDK refuses beyond
     * the limit silently, its probes too, so the streams alone must never reach it.
     */
    public static final int DEFAULT = 256;

    private ConnectionLimit() {}

    /**
     * Sets {@value #PROPERTY} to {@link #DEFAULT} unless it is set. Call before the process's first JDK HTTP server is
     * created: one created earlier has fixed the limit for the process.
     */
    public static void applyDefault() {
        applyDefaultAbove(0);
    }

    /**
     * Sets {@value #PROPERTY} to {@link #DEFAULT} more than {@code streams} unless it is set: for a server that answers
     * at most {@code streams} long-lived responses at once (it refuses more with an answer of its own), the headroom
     * for its probes, scrapes and short requests. Call before the process's first JDK HTTP server is created.
     */
    public static void applyDefaultAbove(int streams) {
        long limit = Math.min(Integer.MAX_VALUE, (long) streams + DEFAULT);
        System.getProperties().putIfAbsent(PROPERTY, Long.toString(limit));
    }
}
