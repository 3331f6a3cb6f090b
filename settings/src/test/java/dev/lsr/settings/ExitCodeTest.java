package dev.lsr.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExitCodeTest {

    @Test
    void everyCodeIsDistinct() {
        List<Integer> codes =
                Arrays.stream(ExitCode.values()).map(ExitCode::code).toList();
        assertEquals(codes.size(), codes.stream().distinct().count(), codes.toString());
    }

    /** docs/operations.md documents these for the recorder; scripts depend on them. */
    @Test
    void theRecordersDocumentedCodesStayPut() {
        assertEquals(0, ExitCode.OK.code());
        assertEquals(1, ExitCode.FAILED.code());
        assertEquals(2, ExitCode.USAGE.code());
        assertEquals(3, ExitCode.FENCED.code());
    }

    @Test
    void notFoundNoLongerSharesFencedsNumber() {
        assertEquals(7, ExitCode.NOT_FOUND.code());
        assertFalse(ExitCode.FENCED.usedBy(ExitCode.Tool.CONSUMER));
        assertFalse(ExitCode.NOT_FOUND.usedBy(ExitCode.Tool.RECORDER));
    }

    @Test
    void eachToolsHelpListsItsCodesInOrder() {
        Map<String, String> recorder = ExitCode.helpList(ExitCode.Tool.RECORDER);
        assertEquals(List.of("0", "1", "2", "3"), List.copyOf(recorder.keySet()));
        assertEquals(
                List.of("0", "1", "2", "4", "5", "6", "7"),
                List.copyOf(ExitCode.helpList(ExitCode.Tool.CONSUMER).keySet()));
        assertEquals(
                List.of("0", "1", "2"),
                List.copyOf(ExitCode.helpList(ExitCode.Tool.LETTA_SIM).keySet()));
        assertTrue(recorder.get("3").startsWith("fenced"));
    }
}
