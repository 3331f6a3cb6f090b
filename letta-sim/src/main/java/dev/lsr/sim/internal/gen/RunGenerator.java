package dev.lsr.sim.internal.gen;

import dev.lsr.sim.internal.gen.ChunkJson.ToolCall;
import dev.lsr.sim.internal.gen.ChunkJson.Usage;
import dev.lsr.sim.internal.producer.ScriptEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a run's script from a {@link RunPlan} and a seeded generator: the same plan and seed give
 * the same frames. Frames carry {@code "seq_id":null} and the run id, as the agent writes them.
 */
public final class RunGenerator {

    private RunGenerator() {}

    /** The script of one run. */
    public static List<ScriptEntry> generate(RunPlan plan, SplittableRandom random) {
        return new Generation(plan, random).run();
    }

    private static final class Generation {
        private final RunPlan plan;
        private final SplittableRandom random;
        private final ScriptBuilder out;
        private final int budget;

        Generation(RunPlan plan, SplittableRandom random) {
            this.plan = plan;
            this.random = random;
            this.out = new ScriptBuilder(plan, new SeededIds(random.split()));
            this.budget = Math.max(4, plan.chunks());
        }

        List<ScriptEntry> run() {
            if (plan.includePings()) {
                out.ping();
            }
            for (int attempt = 1; attempt <= plan.retries(); attempt++) {
                out.providerRetry(attempt, plan.retries() + 1, plan.anthropic() ? "anthropic" : "openai");
            }
            switch (plan.shape()) {
                case REPLY -> {
                    out.newStep();
                    thinking(share(0.35));
                    answer(budget - share(0.35));
                    finish("end_turn");
                }
                case TOOL -> {
                    toolStep(share(0.4), 5 + random.nextInt(40));
                    out.newStep();
                    answer(budget - share(0.4));
                    finish("end_turn");
                }
                case APPROVALS -> approvals();
                case ERROR -> {
                    toolStep(share(0.3), 3 + random.nextInt(10));
                    out.newStep();
                    answer(budget - share(0.3));
                    out.stopReason("error");
                    out.stopReason("llm_api_error");
                    out.error(
                            out.json()
                                    .error(
                                            "internal_error",
                                            "An error occurred during agent execution.",
                                            "INTERNAL_SERVER_ERROR: Connection error during streaming: peer closed connection without"
                                                    + " sending complete message body (incomplete chunked read)"),
                            true);
                }
                case EARLY_ERROR -> earlyError();
                case CANCEL -> {
                    out.newStep();
                    thinking(share(0.3));
                    answer(share(0.2));
                    ToolCall call = serverTool();
                    List<String> fragments = TextBank.fragments(call.arguments(), random, Math.max(2, share(0.5)));
                    streamToolCall(call, false, fragments.subList(0, Math.max(1, fragments.size() * 2 / 3)));
                    out.cancelHere();
                }
                case COMPACTION -> {
                    toolStep(share(0.4), 3 + random.nextInt(10));
                    compaction();
                    out.newStep();
                    answer(budget - share(0.4));
                    finish("end_turn");
                }
                case LONG -> longRun();
            }
            return out.build();
        }

        private int share(double fraction) {
            return Math.max(1, (int) Math.round(budget * fraction));
        }

        private void thinking(int chunks) {
            if (!plan.anthropic()) {
                return;
            }
            List<String> deltas = TextBank.reasoning(random, chunks);
            if (plan.streamTokens()) {
                deltas.forEach(delta -> out.content(out.json().reasoning(out.envelope("reasoning_message"), delta)));
            } else {
                out.content(out.json().reasoning(out.envelope("reasoning_message"), String.join("", deltas)));
            }
        }

        private void answer(int chunks) {
            List<String> deltas = TextBank.answer(random, Math.max(1, chunks));
            if (plan.streamTokens()) {
                deltas.forEach(delta -> out.content(out.json().assistant(out.envelope("assistant_message"), delta)));
            } else {
                out.content(out.json().assistant(out.envelope("assistant_message"), String.join("", deltas)));
            }
        }

        private ToolCall serverTool() {
            String id = plan.anthropic()
                    ? out.ids().anthropicToolCallId()
                    : out.ids().openAiToolCallId();
            String query = TextBank.query(random);
            if (random.nextBoolean()) {
                String args = plan.anthropic()
                        ? "{\"query\": \"" + query + "\", \"num_results\": 3}"
                        : "{\"query\":\"" + query + "\",\"num_results\":3}";
                return new ToolCall(
                        "web_search",
                        args,
                        id,
                        "[{\"title\": \"" + query + "\", \"url\": "
                                + "\"https://example.org/" + query.replace(' ', '-') + "\", \"snippet\": \"Results for "
                                + query + ".\"}]");
            }
            String url = "https://example.org/" + query.replace(' ', '/');
            String args = plan.anthropic() ? "{\"url\": \"" + url + "\"}" : "{\"url\":\"" + url + "\"}";
            return new ToolCall(
                    "fetch_webpage",
                    args,
                    id,
                    "Fetched " + url + " (" + (2000 + random.nextInt(9000)) + " characters).");
        }

        private void streamToolCall(ToolCall call, boolean approval, List<String> fragments) {
            if (plan.streamTokens()) {
                out.toolCallDeltas(call, approval, plan.anthropic(), fragments);
            } else {
                out.content(out.json()
                        .toolCallStep(
                                approval ? out.approvalEnvelope() : out.envelope("tool_call_message"),
                                approval,
                                List.of(call)));
            }
        }

        /** One step: thinking, a server tool call, a pause while it runs, its return. */
        private void toolStep(int chunks, int pauseTicks) {
            out.newStep();
            thinking(Math.max(1, chunks / 2));
            ToolCall call = serverTool();
            streamToolCall(call, false, TextBank.fragments(call.arguments(), random, Math.max(2, chunks / 2)));
            out.pause(pauseTicks);
            out.message(out.json().toolReturn(out.ownEnvelope(call.name()), List.of(call), "success"));
        }

        private void approvals() {
            out.newStep();
            thinking(share(0.3));
            answer(share(0.15));
            int count = 2 + random.nextInt(2);
            List<ToolCall> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                calls.add(clientTool(i));
            }
            if (plan.streamTokens()) {
                int per = Math.max(2, share(0.55) / count);
                calls.forEach(call -> out.toolCallDeltas(
                        call, true, plan.anthropic(), TextBank.fragments(call.arguments(), random, per)));
            } else {
                out.content(out.json().toolCallStep(out.approvalEnvelope(), true, calls));
            }
            finish("requires_approval");
        }

        private ToolCall clientTool(int index) {
            String id = plan.anthropic()
                    ? out.ids().anthropicToolCallId()
                    : out.ids().openAiToolCallId();
            return switch (index % 3) {
                case 0 -> new ToolCall("Read", "{\"file_path\": \"/home/dev/app/package.json\"}", id, null);
                case 1 ->
                    new ToolCall(
                            "Bash",
                            "{\"command\": \"npm test -- --reporter=dot\", \"description\": "
                                    + "\"Run the test suite\"}",
                            id,
                            null);
                default -> new ToolCall("Grep", "{\"pattern\": \"TODO\", \"path\": \"src\"}", id, null);
            };
        }

        private void earlyError() {
            String[][] kinds = {
                {"llm_error", "An error occurred with the LLM request.", "LLM_ERROR: upstream returned 500"},
                {"llm_rate_limit", "Rate limited by the LLM provider.", "RATE_LIMIT_EXCEEDED: 429 Too Many Requests"},
                {"llm_timeout", "The LLM request timed out.", "TIMEOUT: no response within 60 seconds"},
                {
                    "llm_authentication",
                    "Authentication with the LLM provider failed.",
                    "AUTHENTICATION_ERROR: invalid x-api-key"
                }
            };
            String[] kind = kinds[random.nextInt(kinds.length)];
            out.stopReason("llm_api_error");
            out.error(out.json().error(kind[0], kind[1], kind[2]), plan.background());
            if (!plan.background()) {
                out.done();
            }
        }

        private void compaction() {
            int window = 200_000;
            int before = 160_000 + random.nextInt(30_000);
            int after = 20_000 + random.nextInt(10_000);
            String summary =
                    "The user asked about " + TextBank.query(random) + "; I searched and summarized the results.";
            if (plan.compactionEvents()) {
                out.message(out.json().compactionEvent(out.eventEnvelope(), before, window));
                out.pause(2 + random.nextInt(5));
                out.message(out.json()
                        .summary(
                                out.ownEnvelope(null),
                                summary,
                                before,
                                after,
                                window,
                                40 + random.nextInt(60),
                                4 + random.nextInt(4)));
            } else {
                out.pause(2 + random.nextInt(5));
                out.message(out.json().legacySummary(out.ownEnvelope(null), summary));
            }
        }

        private void longRun() {
            out.newStep();
            if (plan.anthropic()) {
                out.message(out.json()
                        .hiddenReasoning(
                                out.envelope("hidden_reasoning_message"),
                                "redacted",
                                out.ids().opaque(60)));
            } else {
                out.message(out.json().hiddenReasoning(out.envelope("hidden_reasoning_message"), "omitted", null));
            }
            thinking(share(0.15));
            answer(share(0.05));
            ToolCall call = serverTool();
            streamToolCall(call, false, TextBank.fragments(call.arguments(), random, share(0.1)));
            out.pause(40 + random.nextInt(40));
            out.message(out.json().toolReturn(out.ownEnvelope(call.name()), List.of(call), "success"));
            out.newStep();
            thinking(share(0.1));
            out.pause(20 + random.nextInt(20));
            answer(budget - share(0.4));
            finish("end_turn");
        }

        private void finish(String stopReason) {
            out.stopReason(stopReason);
            out.usage(usage());
            out.done();
        }

        private Usage usage() {
            int steps = Math.max(1, out.steps());
            int completion = out.contentChunks() * 2 + random.nextInt(40);
            int prompt = steps * (3000 + random.nextInt(12_000));
            int context = prompt / steps + completion;
            if (plan.anthropic()) {
                return new Usage(completion, prompt, steps, prompt * 8 / 10, 100 + random.nextInt(2000), null, context);
            }
            return new Usage(completion, prompt, steps, prompt * 7 / 10, null, 0, context);
        }
    }
}
