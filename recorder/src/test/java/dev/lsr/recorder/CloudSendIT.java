package dev.lsr.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.RecordType;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.SimFrames;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sends as Letta Cloud wants them, against letta-sim and a real broker: a send Cloud refuses while it
 * shuts an instance down (503, not admitted) is sent again and its run recorded once; a message to an
 * agent goes to the agent's default conversation (the route with the lock and the otid dedupe); a
 * {@code retry_message} in the stream is recorded like any chunk.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CloudSendIT {

    @Test
    void aSendRefusedWhileCloudShutsAnInstanceDownIsSentAgainAndRecordedOnce(KafkaBroker broker) throws Exception {
        FaultPlan faults = FaultPlan.builder().refuseSends(2, Duration.ZERO).build();
        try (LettaSim sim = LettaSim.builder().faults(faults).start()) {
            Recorded recorded = sendAndRecord(broker, sim, SendMessage.toConversation("conv-cloud", "hello"));

            assertEquals(List.of(recorded.runId), sim.runIds(), "one run: the refused sends were not accepted");
            assertEquals(SimFrames.payloads(sim, recorded.runId), recorded.log.chunks(recorded.runId));
            assertEquals(1, recorded.log.types(recorded.runId).stream().filter(t -> t == RecordType.RUN_ATTACHED).count());
        }
    }

    @Test
    void aMessageToAnAgentGoesToItsDefaultConversation(KafkaBroker broker) throws Exception {
        try (LettaSim sim = LettaSim.builder().start()) {
            Recorded recorded = sendAndRecord(broker, sim, SendMessage.toAgent("agent-cloud", "hello"));

            JsonNode run = getRun(sim, recorded.runId);
            assertEquals("send_conversation_message", run.at("/metadata/run_type").asText(), run.toString());
            assertEquals("agent-cloud", run.get("agent_id").asText());
            assertTrue(run.get("conversation_id").isNull(), "agent-direct: no conversation id");
            assertEquals(SimFrames.payloads(sim, recorded.runId), recorded.log.chunks(recorded.runId));
        }
    }

    @Test
    void aProviderRetryAnnouncedInTheStreamIsRecordedLikeAnyChunk(KafkaBroker broker) throws Exception {
        try (LettaSim sim = LettaSim.builder().start()) {
            Recorded recorded = sendAndRecord(broker, sim, SendMessage.toConversation("conv-retry", "hello [sim:retries=2]"));

            List<String> chunks = recorded.log.chunks(recorded.runId);
            assertEquals(SimFrames.payloads(sim, recorded.runId), chunks);
            assertEquals(2, chunks.stream().filter(c -> c.contains("\"message_type\":\"retry_message\"")).count(), chunks.toString());
        }
    }

    private record Recorded(String runId, CommittedLog log) {
    }

    private static Recorded sendAndRecord(KafkaBroker broker, LettaSim sim, SendMessage message) throws Exception {
        String topic = broker.uniqueTopic("cloud");
        RecorderConfig config = RecorderConfig.builder(sim.baseUrl()).bootstrapServers(broker.bootstrapServers()).topic(topic)
                .partitions(1).agentIds(List.of("agent-watching-nobody")).backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                .build();
        RecorderDaemon daemon = RecorderDaemon.create(config);
        Thread thread = Thread.ofPlatform().start(daemon);
        assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
        RunOutcome outcome = daemon.send(message).get(60, TimeUnit.SECONDS);
        assertEquals(RunOutcome.Kind.FINISHED, outcome.kind(), String.valueOf(outcome));
        CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic);
        log.awaitUntil(l -> l.ended(Set.of(outcome.runId())), Duration.ofSeconds(30));
        daemon.close();
        thread.join(30_000);
        assertEquals(DaemonState.STOPPED, daemon.state());
        return new Recorded(outcome.runId(), log);
    }

    private static JsonNode getRun(LettaSim sim, String runId) throws Exception {
        OkHttpClient http = new OkHttpClient();
        try (Response response = http.newCall(new Request.Builder().url(sim.baseUrl() + "/v1/runs/" + runId).build()).execute()) {
            return Json.MAPPER.readTree(response.body().bytes());
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }
}
