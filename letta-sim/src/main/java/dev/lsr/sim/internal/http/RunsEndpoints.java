package dev.lsr.sim.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.sim.internal.Json;
import dev.lsr.sim.internal.SimEngine;
import dev.lsr.sim.internal.store.Run;
import dev.lsr.sim.internal.store.RunQuery;
import dev.lsr.sim.internal.store.RunStatus;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.util.Fields;

/** {@code GET /v1/runs/}, {@code GET /v1/runs/{id}} and {@code POST /v1/runs/{id}/stream}. */
final class RunsEndpoints {

    private final SimEngine engine;
    private final StreamService streams;

    RunsEndpoints(SimEngine engine, StreamService streams) {
        this.engine = engine;
        this.streams = streams;
    }

    void register(Router router) {
        router.add("GET", "/v1/runs", this::list)
                .add("GET", "/v1/runs/", this::list)
                .add("GET", "/v1/runs/active", this::active)
                .add("GET", "/v1/runs/{run_id}", this::get)
                .add("POST", "/v1/runs/{run_id}/stream", this::stream);
    }

    Run find(String runId) {
        return engine.registry().find(runId).orElseThrow(() -> HttpProblem.notFound("Run " + runId + " not found"));
    }

    private void get(Exchange exchange) {
        exchange.json(200, Json.write(RunJson.of(find(exchange.path(0)))));
    }

    private void stream(Exchange exchange) throws Exception {
        Run run = find(exchange.path(0));
        ObjectNode body = exchange.jsonBody();
        if (body == null) {
            throw new HttpProblem(
                    500, "Internal Server Error: the runs stream route needs a JSON body (send at least {})");
        }
        streams.checkResumable(run, true);
        streams.resume(exchange, run, readRequest(body, true));
    }

    /** The RetrieveStreamRequest fields every resume route shares. */
    static ReadRequest readRequest(ObjectNode body, boolean pingsByDefault) {
        long startingAfter = Params.integer(body, "starting_after", 0);
        long batchSize = Params.integer(body, "batch_size", 100);
        if (batchSize < 1) {
            throw HttpProblem.unprocessable("Field 'batch_size' must be >= 1.");
        }
        return new ReadRequest(startingAfter, Params.bool(body, "include_pings", pingsByDefault), true);
    }

    /** The deprecated {@code GET /v1/runs/active}: created/running runs, optionally of one agent. */
    private void active(Exchange exchange) {
        String agentId = exchange.query().getValue("agent_id");
        exchange.json(
                200,
                RunJson.list(engine.registry()
                        .active(run ->
                                agentId == null || agentId.equals(run.info().agentId()))));
    }

    private void list(Exchange exchange) {
        exchange.json(200, RunJson.list(engine.registry().list(query(exchange.query()))));
    }

    static RunQuery query(Fields query) {
        Set<String> agents = new LinkedHashSet<>(values(query, "agent_ids"));
        if (query.getValue("agent_id") != null) {
            agents.add(query.getValue("agent_id"));
        }
        Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
        for (String value : values(query, "statuses")) {
            RunStatus status = RunStatus.fromWire(value);
            if (status == null) {
                throw HttpProblem.unprocessable("Unknown run status '" + value + "'.");
            }
            statuses.add(status);
        }
        if (statuses.isEmpty() && Boolean.TRUE.equals(Params.queryBool(query.getValue("active"), "active"))) {
            statuses.add(RunStatus.CREATED);
            statuses.add(RunStatus.RUNNING);
        }
        String order = query.getValue("order");
        Boolean ascendingFlag = Params.queryBool(query.getValue("ascending"), "ascending");
        boolean ascending = order == null
                ? Boolean.TRUE.equals(ascendingFlag)
                : switch (order) {
                    case "asc" -> true;
                    case "desc" -> false;
                    default -> throw HttpProblem.unprocessable("Query parameter 'order' must be 'asc' or 'desc'.");
                };
        return new RunQuery(
                agents,
                query.getValue("conversation_id"),
                statuses,
                Params.queryBool(query.getValue("background"), "background"),
                query.getValue("stop_reason"),
                ascending,
                Params.queryInt(query.getValue("limit"), "limit", 100, 1, 1000),
                query.getValue("after"),
                query.getValue("before"));
    }

    private static List<String> values(Fields query, String name) {
        List<String> values = query.getValues(name);
        return values == null ? List.of() : values;
    }
}
