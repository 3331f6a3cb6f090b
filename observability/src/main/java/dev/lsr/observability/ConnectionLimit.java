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
 * in {@code JDK_JAVA_OPTIONS}; 0 or less: no limit). A value this class set is no user's: a later call replaces it.
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

    /**
     * The fewest connections a limit the user set must leave above the streams (a server without streams, the
     * recorder's metrics port: the fewest in all): the probes, a scrape and a few short requests at once.
     */
    public static final int LEAST_ROOM = 16;

    /**
     * The value this class set {@value #PROPERTY} to, or null: a default of ours, which a later call replaces by its own
     * and never refuses. Without it the recorder's 256 read as a limit the user set, and a {@code consumer serve}
     * started later in the same process with more than 240 streams was refused.
     */
    private static String ours;

    private ConnectionLimit() {}

    /**
     * Sets {@value #PROPERTY} to {@link #DEFAULT} unless it is set: for a server without long-lived responses (the
     * recorder's metrics and probes). Call before the process's first JDK HTTP server is created: one created earlier
     * has fixed the limit for the process.
     *
     * @throws IllegalArgumentException when the user set a limit with fewer than {@link #LEAST_ROOM} connections
     */
    public static void applyDefault() {
        applyDefaultAbove(0);
    }

    /**
     * Sets {@value #PROPERTY} to {@link #DEFAULT} more than {@code streams} unless it is set: for a server that answers
     * at most {@code streams} long-lived responses at once (it refuses more with an answer of its own), the headroom
     * for its probes, scrapes and short requests. Call before the process's first JDK HTTP server is created.
     *
     * @throws IllegalArgumentException when the user set a limit with fewer than {@link #LEAST_ROOM} connections above
     *     {@code streams}
     */
    public static synchronized void applyDefaultAbove(int streams) {
        requireRoomAbove(streams);
        if (!setByUser()) {
            ours = Long.toString(Math.min(Integer.MAX_VALUE, (long) streams + DEFAULT));
            System.setProperty(PROPERTY, ours);
        }
    }

    /**
     * Refuses a limit the user set ({@value #PROPERTY}) that leaves fewer than {@link #LEAST_ROOM} connections above
     * {@code streams} (0: in all): the streams alone could then take every connection, and the JDK would refuse the
     * next ones without an answer, the probes' too (a liveness probe failing while the server is well).
     *
     * @throws IllegalArgumentException naming the property, its value and the streams
     */
    static synchronized void requireRoomAbove(int streams) {
        if (!setByUser()) {
            return;
        }
        // read as the JDK reads it (Integer.getInteger: hex and octal too; a value it cannot read is no limit)
        Integer limit = Integer.getInteger(PROPERTY);
        if (limit == null) {
            return;
        }
        if (limit <= 0 || limit >= (long) streams + LEAST_ROOM) {
            return;
        }
        if (streams == 0) {
            throw new IllegalArgumentException(PROPERTY + "=" + limit + " leaves too few connections: a scrape or a"
                    + " slow client could take every one, and the server would refuse the next ones without an answer,"
                    + " its probes' too; set it to at least " + LEAST_ROOM + " (or leave it unset: " + DEFAULT + ")");
        }
        throw new IllegalArgumentException(PROPERTY + "=" + limit + " leaves no room above " + streams
                + " streams: the streams could take every connection, and the server would refuse the next ones"
                + " without an answer, its probes' too; set it to at least " + ((long) streams + LEAST_ROOM)
                + " (or leave it unset: " + DEFAULT + " above the streams), or allow fewer streams");
    }

    /** Whether {@value #PROPERTY} holds a value the user set: set, and not the default this class set. */
    private static boolean setByUser() {
        String set = System.getProperty(PROPERTY);
        return set != null && !set.equals(ours);
    }
}
