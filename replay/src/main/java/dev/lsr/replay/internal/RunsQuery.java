package dev.lsr.replay.internal;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.lsr.chunklog.LettaRunStatus;
import dev.lsr.chunklog.LettaTimes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code GET /v1/runs/} (protocol §3.7, §3.8): filters {@code agent_id} (and the deprecated repeated
 * {@code agent_ids}), {@code conversation_id}, repeated {@code statuses}, {@code background},
 * {@code stop_reason}, {@code active}; order by {@code (created_at, id)}, {@code desc} by default;
 * {@code after}/{@code before} are run ids looked up ignoring the filters (an unknown id means no
 * cursor) and mean "after/before it in the chosen order"; {@code limit} 1..1000, default 100.
 */
record RunsQuery(
        Set<String> agentIds,
        String conversationId,
        Set<String> statuses,
        Boolean background,
        String stopReason,
        boolean ascending,
        int limit,
        String after,
        String before) {

    static RunsQuery parse(Map<String, List<String>> query) {
        Set<String> agents = new LinkedHashSet<>(query.getOrDefault("agent_ids", List.of()));
        first(query, "agent_id").ifPresent(agents::add);
        Set<String> statuses = new LinkedHashSet<>();
        for (String status : query.getOrDefault("statuses", List.of())) {
            if (!LettaRunStatus.ALL.contains(status)) {
                throw HttpProblem.invalid(
                        "query",
                        "statuses",
                        "enum",
                        "Input should be 'created', 'running', 'completed', 'failed' or 'cancelled'",
                        TextNode.valueOf(status));
            }
            statuses.add(status);
        }
        if (statuses.isEmpty() && Boolean.TRUE.equals(bool(query, "active"))) {
            statuses.add("created");
            statuses.add("running");
        }
        Optional<String> order = first(query, "order");
        boolean ascending;
        if (order.isEmpty()) {
            ascending = Boolean.TRUE.equals(bool(query, "ascending"));
        } else if (order.get().equals("asc") || order.get().equals("desc")) {
            ascending = order.get().equals("asc");
        } else {
            throw HttpProblem.invalid(
                    "query",
                    "order",
                    "literal_error",
                    "Input should be 'asc' or 'desc'",
                    TextNode.valueOf(order.get()));
        }
        int limit = first(query, "limit").map(v -> parseLimit(v)).orElse(100);
        return new RunsQuery(
                agents,
                first(query, "conversation_id").orElse(null),
                statuses,
                bool(query, "background"),
                first(query, "stop_reason").orElse(null),
                ascending,
                limit,
                first(query, "after").orElse(null),
                first(query, "before").orElse(null));
    }

    /** The page of runs this query answers, from every run the index knows. */
    List<IndexedRun.Snapshot> apply(
            Collection<IndexedRun.Snapshot> all, Function<String, Optional<IndexedRun.Snapshot>> byId) {
        // each run's sort key once (created_at is parsed from the recorded Run), not once per comparison
        record Keyed(Instant createdAt, IndexedRun.Snapshot run) {}
        Comparator<Keyed> byCreation = Comparator.comparing(Keyed::createdAt)
                .thenComparing(k -> k.run().runId());
        Comparator<Keyed> order = ascending ? byCreation : byCreation.reversed();
        Keyed afterRun = after == null
                ? null
                : byId.apply(after).map(r -> new Keyed(createdAt(r), r)).orElse(null);
        Keyed beforeRun = before == null
                ? null
                : byId.apply(before).map(r -> new Keyed(createdAt(r), r)).orElse(null);
        List<Keyed> page = new ArrayList<>();
        for (IndexedRun.Snapshot run : all) {
            if (matches(run)) {
                Keyed keyed = new Keyed(createdAt(run), run);
                if ((afterRun == null || order.compare(keyed, afterRun) > 0)
                        && (beforeRun == null || order.compare(keyed, beforeRun) < 0)) {
                    page.add(keyed);
                }
            }
        }
        page.sort(order);
        return page.stream().limit(limit).map(Keyed::run).toList();
    }

    boolean matches(IndexedRun.Snapshot run) {
        return (agentIds.isEmpty() || agentIds.contains(run.agentId()))
                && (conversationId == null || conversationId.equals(run.conversationId()))
                && (statuses.isEmpty() || statuses.contains(RunJson.status(run)))
                && (background == null || background.equals(run.background()))
                && (stopReason == null || stopReason.equals(run.lastStopReason()));
    }

    static Instant createdAt(IndexedRun.Snapshot run) {
        Instant recorded = LettaTimes.parse(Json.text(run.recordedRun(), "created_at"));
        // an absent or unparseable server time: the log's own time
        return recorded != null ? recorded : run.firstRecordAt();
    }

    private static int parseLimit(String value) {
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw HttpProblem.invalid(
                "query", "limit", "int_range", "Input should be an integer from 1 to 1000", TextNode.valueOf(value));
    }

    private static Boolean bool(Map<String, List<String>> query, String name) {
        Optional<String> value = first(query, name);
        if (value.isEmpty()) {
            return null;
        }
        return switch (value.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default ->
                throw HttpProblem.invalid(
                        "query",
                        name,
                        "bool_parsing",
                        "Input should be a valid boolean",
                        TextNode.valueOf(value.get()));
        };
    }

    private static Optional<String> first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
