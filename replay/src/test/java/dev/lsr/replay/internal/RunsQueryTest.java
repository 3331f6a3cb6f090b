package dev.lsr.replay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.RecordType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunsQueryTest {

    private final List<IndexedRun.Snapshot> runs = List.of(
            run("run-a", 1, "agent-1", "conv-1", true, null),
            run("run-b", 2, "agent-1", "conv-2", true, "end_turn"),
            run("run-c", 3, "agent-2", null, false, "cancelled"),
            run("run-d", 4, "agent-2", "conv-1", true, "llm_api_error"),
            run("run-e", 4, "agent-1", "conv-1", true, "end_turn"));

    @Test
    void newestFirstByDefaultTiesByIdAndLimit() {
        assertEquals(List.of("run-e", "run-d", "run-c", "run-b", "run-a"), ids(""));
        assertEquals(List.of("run-a", "run-b", "run-c", "run-d", "run-e"), ids("order=asc"));
        assertEquals(List.of("run-e", "run-d"), ids("limit=2"));
    }

    @Test
    void filters() {
        assertEquals(List.of("run-e", "run-b", "run-a"), ids("agent_id=agent-1"));
        assertEquals(List.of("run-e", "run-d", "run-c", "run-b", "run-a"), ids("agent_ids=agent-1&agent_ids=agent-2"));
        assertEquals(List.of("run-e", "run-d", "run-a"), ids("conversation_id=conv-1"));
        assertEquals(List.of("run-d", "run-c"), ids("statuses=failed&statuses=cancelled"));
        assertEquals(List.of("run-a"), ids("statuses=running"));
        assertEquals(List.of("run-a"), ids("active=true"));
        assertEquals(List.of("run-c"), ids("background=false"));
        assertEquals(List.of("run-e", "run-b"), ids("stop_reason=end_turn"));
    }

    @Test
    void cursorsAreRunIdsInTheChosenOrderLookedUpIgnoringTheFilters() {
        assertEquals(List.of("run-c", "run-b"), ids("after=run-d&limit=2"));
        assertEquals(List.of("run-e"), ids("before=run-d"));
        assertEquals(List.of("run-d", "run-e"), ids("order=asc&after=run-c"));
        assertEquals(List.of("run-b", "run-a"), ids("agent_id=agent-1&after=run-c"));
        assertEquals(List.of("run-d"), ids("after=run-e&before=run-c"));
        assertEquals(ids(""), ids("after=run-unknown"));
    }

    @Test
    void badValuesAre422() {
        for (String query :
                List.of("statuses=done", "order=up", "limit=0", "limit=1001", "limit=x", "background=maybe")) {
            assertEquals(422, assertThrows(HttpProblem.class, () -> ids(query)).status(), query);
        }
    }

    private List<String> ids(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=", 2);
                params.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
            }
        }
        List<String> ids = new ArrayList<>();
        RunsQuery.parse(params)
                .apply(
                        runs,
                        id -> runs.stream().filter(r -> r.runId().equals(id)).findFirst())
                .forEach(r -> ids.add(r.runId()));
        return ids;
    }

    private static IndexedRun.Snapshot run(
            String id, int minute, String agent, String conversation, boolean background, String stopReason) {
        ObjectNode recorded = Json.MAPPER.createObjectNode().put("id", id);
        Instant created = Instant.parse("2026-03-14T17:00:00Z").plusSeconds(60L * minute);
        recorded.put("created_at", created.toString().replace("Z", ""));
        return new IndexedRun.Snapshot(
                id,
                0,
                minute,
                minute,
                created,
                created,
                agent,
                conversation,
                background,
                stopReason,
                stopReason == null ? null : RecordType.RUN_FINISHED,
                null,
                stopReason == null ? null : created.plusSeconds(5),
                recorded,
                null,
                false,
                1,
                1,
                1,
                false);
    }
}
