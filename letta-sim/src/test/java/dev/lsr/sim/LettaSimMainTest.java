package dev.lsr.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.settings.ExitCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator exits with the codes of the one table. */
class LettaSimMainTest {

    private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";

    private String logbackConfiguration;

    /** mainNoExit picks the standalone logging configuration unless one is set: keep the tests' own. */
    @BeforeEach
    void keepTheTestLogging() {
        logbackConfiguration = System.getProperty(LOGBACK_CONFIGURATION);
        if (logbackConfiguration == null) {
            System.setProperty(LOGBACK_CONFIGURATION, "logback-test.xml");
        }
    }

    @AfterEach
    void restoreTheLoggingProperty() {
        if (logbackConfiguration == null) {
            System.clearProperty(LOGBACK_CONFIGURATION);
        }
    }

    @Test
    void helpIsOk() {
        assertEquals(ExitCode.OK.code(), LettaSimMain.mainNoExit(new String[] {"--help"}));
    }

    @Test
    void aBadCommandLineIsUsage() {
        assertEquals(ExitCode.USAGE.code(), LettaSimMain.mainNoExit(new String[] {"--nope"}));
        assertEquals(ExitCode.USAGE.code(), LettaSimMain.mainNoExit(new String[] {"--keepalive", "20"}));
    }
}
