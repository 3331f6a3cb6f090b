package dev.lsr.recorder;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.LifecycleState;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.SimFrames;
import dev.lsr.sim.ConnectionFault;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.RunFaults;
import dev.lsr.sim.Workload;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Send and record against letta-sim: the send's own response is recorded; a response lost before
 * the run id is known is recovered by the message's otid; a response cut later is resumed; a send
 * to a busy conversation records the run that holds it, once. As Letta Cloud wants them: a send
 * refused while Cloud shuts an instance down (503, not admitted) is sent again and its run recorded
 * once; a message to an agent goes to the agent's default conversation (the route with the lock and
 * the otid dedupe); a {@code retry_message} in the stream is recorded like any chunk.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SendAndRecordIT {

    @Test
    void aSendLostBeforeItsRunIdIsRecoveredByOtidAndRecordedWhole(KafkaBroker broker) throws Exception {
        FaultPlan faults = FaultPlan.builder()
                .allRuns(RunFaults.builder()
                        .attempt(1, ConnectionFault.dropAfter(0))
                        .build())
                .build();
        try (LettaSim sim = LettaSim.builder()
                .workload(Workload.builder(11).build())
                .faults(faults)
                .start()) {
            Recorded recorded = sendAndRecord(broker, sim, SendMessage.toConversation("conv-lost", "hello"));
            assertEquals(SimFrames.payloads(sim, recorded.runId), recorded.log.chunks(recorded.runId));
            assertEquals("send", attached(recorded).mode());
        }
    }

    @Test
    void aSendCutAfterItsRunIdIsResumedAndRecordedWhole(KafkaBroker broker) throws Exception {
        FaultPlan faults = FaultPlan.builder()
                .allRuns(RunFaults.builder()
                        .attempt(1, ConnectionFault.dropAfter(7))
                        .build())
                .build();
        try (LettaSim sim = LettaSim.builder()
                .workload(Workload.builder(12).build())
                .faults(faults)
                .start()) {
            Recorded recorded = sendAndRecord(broker, sim, SendMessage.toAgent("agent-7", "hello"));
            assertEquals(SimFrames.payloads(sim, recorded.runId), recorded.log.chunks(recorded.runId));
            assertTrue(recorded.log.types(recorded.runId).contains(RecordType.RUN_RESUMED));
        }
    }

    @Test
    void aSendToABusyConversationRecordsTheRunHoldingIt(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("busy");
        try (LettaSim sim = LettaSim.builder()
                        .workload(Workload.builder(13).chunksPerRun(80).build())
                        .pace(Duration.ofMillis(30))
                        .start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderDaemon daemon = daemon(broker, sim, topic);
            Thread thread = Thread.ofPlatform().start(daemon);
            assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
            CompletableFuture<RunOutcome> first = daemon.send(SendMessage.toConversation("conv-busy", "first"));
            // the conversation is busy once the first send's run exists
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> sim.runIds().size() == 1);
            CompletableFuture<RunOutcome> second = daemon.send(SendMessage.toConversation("conv-busy", "second"));
            RunOutcome one = first.get(60, TimeUnit.SECONDS);
            RunOutcome two = second.get(60, TimeUnit.SECONDS);
            assertEquals(RunOutcome.Kind.FINISHED, one.kind());
            assertEquals(one.runId(), two.runId(), "the busy send recorded the run that held the conversation");
            log.awaitUntil(l -> l.ended(Set.of(one.runId())), Duration.ofSeconds(30));
            daemon.close();
            thread.join(30_000);
            assertEquals(
                    1,
                    log.types(one.runId()).stream()
                            .filter(t -> t == RecordType.RUN_ATTACHED)
                            .count());
            assertEquals(SimFrames.payloads(sim, one.runId()), log.chunks(one.runId()));
        }
    }

    @Test
    void aSendRefusedWhileCloudShutsAnInstanceDownIsSentAgainAndRecordedOnce(KafkaBroker broker) throws Exception {
        FaultPlan faults = FaultPlan.builder().refuseSends(2, Duration.ZERO).build();
        try (LettaSim sim = LettaSim.builder().faults(faults).start()) {
            Recorded recorded = sendAndRecord(broker, sim, SendMessage.toConversation("conv-cloud", "hello"));

            assertEquals(List.of(recorded.runId), sim.runIds(), "one run: the refused sends were not accepted");
            assertEquals(SimFrames.payloads(sim, recorded.runId), recorded.log.chunks(recorded.runId));
            assertEquals(
                    1,
                    recorded.log.types(recorded.runId).stream()
                            .filter(t -> t == RecordType.RUN_ATTACHED)
                            .count());
        }
    }

    @Test
    void aMessageToAnAgentGoesToItsDefaultConversation(KafkaBroker broker) throws Exception {
        try (LettaSim sim = LettaSim.builder().start()) {
            Recorded recorded = sendAndRecord(broker, sim, SendMessage.toAgent("agent-cloud", "hello"));

            JsonNode run = getRun(sim, recorded.runId);
            assertEquals(
                    "send_conversation_message", run.at("/metadata/run_type").asText(), run.toString());
            assertEquals("agent-cloud", run.get("agent_id").asText());
            assertTrue(run.get("conversation_id").isNull(), "agent-direct: no conversation id");
            assertEquals(SimFrames.payloads(sim, recorded.runId), recorded.log.chunks(recorded.runId));
        }
    }

    @Test
    void aProviderRetryAnnouncedInTheStreamIsRecordedLikeAnyChunk(KafkaBroker broker) throws Exception {
        try (LettaSim sim = LettaSim.builder().start()) {
            Recorded recorded =
                    sendAndRecord(broker, sim, SendMessage.toConversation("conv-retry", "hello [sim:retries=2]"));

            List<String> chunks = recorded.log.chunks(recorded.runId);
            assertEquals(SimFrames.payloads(sim, recorded.runId), chunks);
            assertEquals(
                    2,
                    chunks.stream()
                            .filter(c -> c.contains("\"message_type\":\"retry_message\""))
                            .count(),
                    chunks.toString());
        }
    }

    private record Recorded(String runId, CommittedLog log) {}

    private static Recorded sendAndRecord(KafkaBroker broker, LettaSim sim, SendMessage message) throws Exception {
        String topic = broker.uniqueTopic("send");
        RecorderDaemon daemon = daemon(broker, sim, topic);
        Thread thread = Thread.ofPlatform().start(daemon);
        assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
        RunOutcome outcome = daemon.send(message).get(60, TimeUnit.SECONDS);
        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind(), String.valueOf(outcome));
        assertNotNull(outcome.runId());
        CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic);
        log.awaitUntil(l -> l.ended(Set.of(outcome.runId())), Duration.ofSeconds(30));
        daemon.close();
        thread.join(30_000);
        assertEquals(LifecycleState.STOPPED, daemon.state());
        return new Recorded(outcome.runId(), log);
    }

    private static RecorderDaemon daemon(KafkaBroker broker, LettaSim sim, String topic) {
        RecorderConfig config = RecorderConfig.builder(sim.baseUrl())
                .bootstrapServers(broker.bootstrapServers())
                .topic(topic)
                .partitions(1)
                .agentIds(List.of("agent-watching-nobody"))
                .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                .build();
        return RecorderDaemon.create(config);
    }

    private static LifecycleEvent.RunAttached attached(Recorded recorded) throws Exception {
        return Json.MAPPER.readValue(
                recorded.log.run(recorded.runId).getFirst().value(), LifecycleEvent.RunAttached.class);
    }

    private static JsonNode getRun(LettaSim sim, String runId) throws Exception {
        OkHttpClient http = new OkHttpClient();
        try (Response response = http.newCall(new Request.Builder()
                        .url(sim.baseUrl() + "/v1/runs/" + runId)
                        .build())
                .execute()) {
            return Json.MAPPER.readTree(response.body().bytes());
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }
}
