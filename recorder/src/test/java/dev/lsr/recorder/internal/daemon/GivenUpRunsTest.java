package dev.lsr.recorder.internal.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class GivenUpRunsTest {

    private final Set<String> away = ConcurrentHashMap.newKeySet();
    private final GivenUpRuns runs = new GivenUpRuns(runId -> !away.contains(runId));

    @Test
    void aRunOfAPartitionGivenUpIsNotOwnedAndIsKeptUntilTheTake() {
        away.add("run-a");
        assertFalse(runs.owns("run-a"), "its partition is away: no session starts for it");
        assertTrue(runs.owns("run-b"));

        runs.offer("run-a", "attach");
        runs.handOver("run-c", "watch");
        away.clear();

        assertEquals(Map.of("run-a", "attach"), runs.takeOut("run-a"::equals));
        assertEquals(Map.of("run-c", "watch"), runs.takeOut(runId -> true));
        assertEquals(Map.of(), runs.takeOut(runId -> true), "taken out once");
    }
}
