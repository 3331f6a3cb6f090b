package dev.lsr.recorder.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.ChunkPeek;
import dev.lsr.chunklog.Json;
import dev.lsr.recorder.SendMessage;
import dev.lsr.recorder.internal.letta.LettaApi;
import dev.lsr.recorder.internal.letta.LettaHttpException;
import dev.lsr.recorder.internal.letta.Run;
import dev.lsr.recorder.internal.letta.RunQuery;
import dev.lsr.recorder.internal.letta.SseStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A scripted Letta server for unit tests: serves stored fixture runs over {@link #streamRun}: from
 * the start as recorded live (keepalive pings included), after a {@code starting_after} the way the
 * server replays them (exclusive cursor, no pings), with a queue of faults per run for the next
 * connection attempts. Not an HTTP server: for the session logic only.
 *
 * <p>Like okhttp's recording fakes it is checked at the end of a test ({@link #assertExhausted()}, done by
 * {@link SessionHarness#close()}): every scripted step was used, and no call came that the test had not set
 * up (a send or an otid lookup without a handler).
 */
public final class FakeLetta implements LettaApi {

    /** One scripted connection attempt. */
    public sealed interface Step {
        /** The attempt fails with this HTTP status. */
        record Http(int status, String detail, Duration retryAfter) implements Step {}

        /** The attempt fails before any response. */
        record Refused() implements Step {}

        /** The attempt connects, serves {@code frames} frames, then ends this way. */
        record Cut(int frames, ScriptedStream.Ending ending) implements Step {}

        /** The run is deleted: this attempt and every later {@code GET /v1/runs/{id}} answer 404. */
        record Gone(String detail) implements Step {}

        /** From this attempt on, {@code GET /v1/runs/{id}} answers {@code status}; the attempt itself is {@code then}. */
        record Status(String status, Step then) implements Step {}
    }

    private final Map<String, StoredRun> runs = new ConcurrentHashMap<>();
    private final Map<String, Deque<Step>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Step> always = new ConcurrentHashMap<>();
    private final Map<String, String> finalStatus = new ConcurrentHashMap<>();
    private final Map<String, String> statusOverride = new ConcurrentHashMap<>();
    private final Map<String, Boolean> fullyServed = new ConcurrentHashMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final Set<String> unavailable = ConcurrentHashMap.newKeySet();
    private final Set<String> foreground = ConcurrentHashMap.newKeySet();
    private final List<String> requests = new ArrayList<>();
    private final List<String> unexpected = new ArrayList<>();
    private volatile Opener sendHandler;
    private volatile Opener otidHandler;
    private volatile Function<RunQuery, List<Run>> lister = q -> List.of();
    private volatile java.time.Duration serverClockAhead;

    /** Serves a fixture under its own run id; returns the run id. */
    public String serve(String fixture, String finalStatusOfRun) {
        StoredRun run = StoredRun.of(fixture);
        String runId = runIdOf(run);
        runs.put(runId, run);
        finalStatus.put(runId, finalStatusOfRun);
        scripts.put(runId, new ArrayDeque<>());
        return runId;
    }

    public static String runIdOf(StoredRun run) {
        for (StoredRun.Entry entry : run.entries()) {
            String id = ChunkPeek.of(entry.payload().getBytes(UTF_8)).runId();
            if (id != null) {
                return id;
            }
        }
        throw new IllegalArgumentException("fixture without a run id");
    }

    public FakeLetta then(String runId, Step step) {
        scripts.get(runId).add(step);
        return this;
    }

    /** Every attempt after the scripted ones is answered with {@code step} (a standing answer, never "unused"). */
    public FakeLetta thenAlways(String runId, Step step) {
        always.put(runId, step);
        return this;
    }

    /** From now on {@code GET /v1/runs/{id}} reports this status (null: back to the scripted one). */
    public void status(String runId, String status) {
        if (status == null) {
            statusOverride.remove(runId);
        } else {
            statusOverride.put(runId, status);
        }
    }

    /** {@code GET /v1/runs/{id}} says the run was not created in background mode. */
    public void foreground(String runId) {
        foreground.add(runId);
    }

    /** Opens a stream for a message, or fails like the server would. */
    @FunctionalInterface
    public interface Opener {
        SseStream open(SendMessage message) throws IOException;
    }

    public void onSend(Opener handler) {
        this.sendHandler = handler;
    }

    public void onStreamByOtid(Opener handler) {
        this.otidHandler = handler;
    }

    /** How far this server's clock runs ahead of the recorder's (negative: behind), as its answers' Date says. */
    public void serverClockAhead(java.time.Duration ahead) {
        this.serverClockAhead = ahead;
    }

    @Override
    public java.util.Optional<java.time.Duration> serverClockAhead() {
        return java.util.Optional.ofNullable(serverClockAhead);
    }

    public void onList(Function<RunQuery, List<Run>> handler) {
        this.lister = query -> afterTheCursor(handler.apply(query), query.after());
    }

    /** Lists with {@code handler}'s answers as they are, cursor or not: a server that does not page. */
    public void onListIgnoringCursors(Function<RunQuery, List<Run>> handler) {
        this.lister = handler;
    }

    /** Fails when a scripted step was never served or a call came that the test did not set up. */
    public synchronized void assertExhausted() {
        List<String> unused = scripts.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + " " + e.getValue())
                .toList();
        if (!unused.isEmpty() || !unexpected.isEmpty()) {
            throw new AssertionError("FakeLetta not exhausted: scripted steps never served " + unused
                    + ", unexpected calls " + unexpected);
        }
    }

    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    public StoredRun stored(String runId) {
        return runs.get(runId);
    }

    /** Every {@code GET /v1/runs/{id}} of the run answers 503 from now on. */
    public void runObjectUnavailable(String runId) {
        unavailable.add(runId);
    }

    @Override
    public Run getRun(String runId) throws IOException {
        record("GET " + runId);
        if (unavailable.contains(runId)) {
            throw new LettaHttpException("GET /v1/runs/" + runId, 503, "Service Unavailable", null, null);
        }
        if (!runs.containsKey(runId) || deleted.contains(runId)) {
            throw new LettaHttpException("GET /v1/runs/" + runId, 404, "Run not found", null, null);
        }
        String status = statusOverride.getOrDefault(
                runId, fullyServed.getOrDefault(runId, false) ? finalStatus.get(runId) : "running");
        return run(runId, status, !foreground.contains(runId));
    }

    public static Run run(String runId, String status) {
        return run(runId, status, true);
    }

    private static Run run(String runId, String status, boolean background) {
        ObjectNode json = Json.MAPPER
                .createObjectNode()
                .put("id", runId)
                .put("status", status)
                .put("created_at", "2026-03-14T17:32:10.123456")
                .put("agent_id", "agent-1")
                .put("conversation_id", "conv-1")
                .put("background", background);
        return Run.fromJson(json);
    }

    @Override
    public List<Run> listRuns(RunQuery query) throws IOException {
        record("LIST " + query);
        try {
            return lister.apply(query);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // how a lister answers with an HTTP error
        }
    }

    /**
     * Pages as Letta does: a lister that answers every query with the same runs gives, for a cursor among them, the
     * runs after it (an empty page after the last). A lister that pages itself never answers with its cursor.
     */
    private static List<Run> afterTheCursor(List<Run> listed, String after) {
        if (after == null) {
            return listed;
        }
        for (int i = 0; i < listed.size(); i++) {
            if (listed.get(i).id().equals(after)) {
                return listed.subList(i + 1, listed.size());
            }
        }
        return listed;
    }

    @Override
    public SseStream streamRun(String runId, long startingAfter) throws IOException {
        record("STREAM " + runId + " after " + startingAfter);
        StoredRun run = runs.get(runId);
        if (run == null) {
            throw new LettaHttpException("POST /v1/runs/" + runId + "/stream", 404, "Run not found", null, null);
        }
        Step step = scripts.get(runId).poll();
        if (step == null) {
            step = always.get(runId);
        }
        while (step instanceof Step.Status status) {
            statusOverride.put(runId, status.status());
            step = status.then();
        }
        byte[] body = startingAfter == 0 ? run.liveBody() : StoredRun.sse(run.after(startingAfter), run.endsWithDone());
        int total =
                startingAfter == 0 ? run.liveFrames() : run.after(startingAfter).size();
        return switch (step) {
            case null -> stream(runId, body, Integer.MAX_VALUE, ScriptedStream.Ending.EOF, total);
            case Step.Http http ->
                throw new LettaHttpException(
                        "POST /v1/runs/" + runId + "/stream", http.status(), http.detail(), null, http.retryAfter());
            case Step.Refused refused -> throw new IOException("Connection refused (scripted)");
            case Step.Gone gone -> {
                deleted.add(runId);
                throw new LettaHttpException("POST /v1/runs/" + runId + "/stream", 404, gone.detail(), null, null);
            }
            case Step.Cut cut -> stream(runId, body, cut.frames(), cut.ending(), total);
            case Step.Status status -> throw new IllegalStateException("unwrapped above");
        };
    }

    private SseStream stream(String runId, byte[] body, int cutAfter, ScriptedStream.Ending ending, int total) {
        if (total == 0 && cutAfter > 0) {
            fullyServed.put(runId, true);
        }
        return new ScriptedStream(body, cutAfter, ending, served -> {
            if (served >= total) {
                fullyServed.put(runId, true);
            }
        });
    }

    @Override
    public SseStream streamByOtid(SendMessage message) throws IOException {
        record("OTID " + message.otid());
        if (otidHandler == null) {
            throw new LettaHttpException("POST /v1/conversations/x/stream", 404, "No run found for otid", null, null);
        }
        return otidHandler.open(message);
    }

    @Override
    public SseStream send(SendMessage message) throws IOException {
        record("SEND " + message.otid());
        Opener handler = sendHandler;
        if (handler == null) {
            throw unexpected("SEND " + message.otid() + " without an onSend handler");
        }
        return handler.open(message);
    }

    private synchronized void record(String request) {
        requests.add(request);
    }

    private synchronized AssertionError unexpected(String call) {
        unexpected.add(call);
        return new AssertionError("unexpected call to FakeLetta: " + call);
    }
}
