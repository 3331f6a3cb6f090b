package dev.lsr.chunklog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LettaRunStatusTest {

    @ParameterizedTest
    @CsvSource({
        "end_turn, completed",
        "requires_approval, completed",
        "max_steps, completed",
        "tool_rule, completed",
        "cancelled, cancelled",
        "error, failed",
        "llm_api_error, failed",
        "invalid_tool_call, failed",
        "no_tool_call, failed",
        "a_reason_letta_adds_later, failed"
    })
    void aStopReasonLeadsToLettasStatus(String stopReason, String status) {
        assertEquals(status, LettaRunStatus.ofStopReason(stopReason));
    }

    @ParameterizedTest
    @CsvSource({"completed, true", "failed, true", "cancelled, true", "running, false", "created, false"})
    void terminalStatuses(String status, boolean terminal) {
        assertEquals(terminal, LettaRunStatus.isTerminal(status));
        assertFalse(LettaRunStatus.isTerminal(null));
        assertTrue(LettaRunStatus.isTerminal(LettaRunStatus.ofStopReason("end_turn")));
    }
}
