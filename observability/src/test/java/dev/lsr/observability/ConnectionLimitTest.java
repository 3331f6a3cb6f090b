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
}
