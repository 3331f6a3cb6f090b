package dev.lsr.observability;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** No HTTP server starts here: the property is read by the JDK only when a process's first server starts. */
class ConnectionLimitTest {

    private String before;

    @BeforeEach
    void keep() {
        before = System.getProperty(ConnectionLimit.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(ConnectionLimit.PROPERTY);
        } else {
            System.setProperty(ConnectionLimit.PROPERTY, before);
        }
    }

    @Test
    void aLimitTheUserSetThatLeavesTheStreamsNoRoomIsRefused() {
        System.setProperty(ConnectionLimit.PROPERTY, "100");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ConnectionLimit.applyDefaultAbove(1000));
        assertEquals(
                "jdk.httpserver.maxConnections=100 leaves no room above 1000 streams: the streams could take every"
                        + " connection, and the server would refuse the next ones without an answer, its probes' too;"
                        + " set it to at least 1016 (or leave it unset: 256 above the streams), or allow fewer"
                        + " streams",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConnectionLimit.applyDefaultAbove(85));
        assertEquals("100", System.getProperty(ConnectionLimit.PROPERTY), "the user's value is left as it is");
    }

    /**
     * A server without streams (the recorder's metrics port) needs the same room for its probes and scrapes: a limit
     * the user set below {@link ConnectionLimit#LEAST_ROOM} is refused there too, as {@code consumer serve} refuses it.
     * Before, any limit was taken, 1 too: a scrape holding the one connection failed every probe meanwhile.
     */
    @Test
    void aLimitTheUserSetWithTooFewConnectionsIsRefusedForAServerWithoutStreams() {
        System.setProperty(ConnectionLimit.PROPERTY, "1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ConnectionLimit::applyDefault);
        assertEquals(
                "jdk.httpserver.maxConnections=1 leaves too few connections: a scrape or a slow client could take"
                        + " every one, and the server would refuse the next ones without an answer, its probes' too;"
                        + " set it to at least 16 (or leave it unset: 256)",
                e.getMessage());
        assertEquals("1", System.getProperty(ConnectionLimit.PROPERTY), "the user's value is left as it is");
        System.setProperty(ConnectionLimit.PROPERTY, "16");
        assertDoesNotThrow(ConnectionLimit::applyDefault);
        System.setProperty(ConnectionLimit.PROPERTY, "0"); // the JDK's "no limit"
        assertDoesNotThrow(ConnectionLimit::applyDefault);
        System.clearProperty(ConnectionLimit.PROPERTY);
        assertDoesNotThrow(ConnectionLimit::applyDefault);
        assertEquals("256", System.getProperty(ConnectionLimit.PROPERTY));
    }

    @Test
    void aLimitWithRoomAboveTheStreamsNoLimitOrNoneSetIsTaken() {
        System.setProperty(ConnectionLimit.PROPERTY, "100");
        assertDoesNotThrow(() -> ConnectionLimit.applyDefaultAbove(84));
        System.setProperty(ConnectionLimit.PROPERTY, "0"); // the JDK's "no limit"
        assertDoesNotThrow(() -> ConnectionLimit.applyDefaultAbove(1000));
        System.clearProperty(ConnectionLimit.PROPERTY);
        assertDoesNotThrow(() -> ConnectionLimit.applyDefaultAbove(1000));
        assertEquals("1256", System.getProperty(ConnectionLimit.PROPERTY));
    }

    /**
     * The JDK reads the property with {@link Integer#getInteger} ({@code Integer.decode}): {@code 0x20} and {@code #20}
     * are 32 connections to it, {@code 0100} is 64 (octal). The check reads it the same way, so each is refused: each
     * leaves fewer than 16 connections above the streams, as the JDK reads it. (Read with {@code Long.parseLong}, the
     * hex ones were "not a number, so no limit" and the octal one 100: all three were taken.)
     */
    @Test
    void aLimitTheJdkReadsAsTooFewIsRefusedWhateverItsNotation() {
        for (String set : new String[] {"0x20", "#20", "0100"}) {
            System.setProperty(ConnectionLimit.PROPERTY, set);
            int jdk = Integer.getInteger(ConnectionLimit.PROPERTY, -1);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> ConnectionLimit.applyDefaultAbove(50),
                    ConnectionLimit.PROPERTY + "=" + set + ", which the JDK reads as " + jdk + ", above 50 streams");
        }
    }

    /**
     * The recorder's CLI sets the default for its metrics port; a {@code consumer serve} started later in the same
     * process (a test JVM, an embedding) with more streams must not take that default for a limit the user set: it was
     * refused ("jdk.httpserver.maxConnections=256 leaves no room above 1000 streams").
     */
    @Test
    void aDefaultOfOursIsNoLimitTheUserSet() {
        System.clearProperty(ConnectionLimit.PROPERTY);
        ConnectionLimit.applyDefault();
        assertEquals("256", System.getProperty(ConnectionLimit.PROPERTY));

        assertDoesNotThrow(() -> ConnectionLimit.applyDefaultAbove(1000));
        assertEquals("1256", System.getProperty(ConnectionLimit.PROPERTY), "ours, replaced by the later default");

        System.setProperty(ConnectionLimit.PROPERTY, "100"); // the user's, set after ours
        assertThrows(IllegalArgumentException.class, () -> ConnectionLimit.applyDefaultAbove(1000));
        assertEquals("100", System.getProperty(ConnectionLimit.PROPERTY), "the user's value is left as it is");
    }
}
