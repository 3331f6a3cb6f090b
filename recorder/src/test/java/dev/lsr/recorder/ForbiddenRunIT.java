package dev.lsr.recorder;

import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.recorder.testing.SimFront;
import dev.lsr.sim.LettaSim;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A 403 on one run (an {@code --attach} of another project's run, a run of a user the key may not read, a gateway's
 * passing refusal) costs that run alone: it is retried, and abandoned after the abandon time ({@code server_status}
 * {@code forbidden}); the recorder goes on with every other run. Only a key that Letta rejects everywhere (its
 * start-check route answers 401 or 403 too) stops the recorder.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ForbiddenRunIT {

    private static final String FORBIDDEN = "01-simple-reply";
    private static final String OTHER = "05-long-run-with-pings";
    private static final String FORBIDDEN_ID = Fixtures.runId(FORBIDDEN);
    private static final String OTHER_ID = Fixtures.runId(OTHER);
    private static final SimFront.Canned FORBIDDEN_ANSWER =
            new SimFront.Canned(403, "application/json", "{\"detail\":\"Forbidden: run belongs to another project\"}");

    @Test
    void aRunTheKeyMayNotReadIsAbandonedAndEveryOtherRunIsRecorded(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("forbidden-run");
        try (LettaSim letta = sim();
                SimFront front = new SimFront(
                        letta.baseUrl(),
                        path -> path.contains("/runs/" + FORBIDDEN_ID) ? FORBIDDEN_ANSWER : null,
                        path -> {});
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderDaemon daemon = RecorderDaemon.create(config(front.baseUrl(), broker, topic));
            daemon.run();

            assertEquals(Optional.empty(), daemon.failure().map(RecorderFailure::message));
            log.awaitUntil(l -> l.ended(Set.of(FORBIDDEN_ID, OTHER_ID)), Duration.ofSeconds(60));
            assertEquals(expectedChunks(OTHER), log.chunks(OTHER_ID));
            assertEquals(RecordType.RUN_FINISHED, log.types(OTHER_ID).getLast());
            // a 403 may be a gateway's passing refusal: retried, and given up after the abandon time only
            assertEquals(List.of(RecordType.RUN_ABANDONED), log.types(FORBIDDEN_ID));
            LifecycleEvent.RunAbandoned abandoned =
                    Json.MAPPER.readValue(log.run(FORBIDDEN_ID).getFirst().value(), LifecycleEvent.RunAbandoned.class);
            assertEquals("forbidden", abandoned.serverStatus());
        }
    }

    @Test
    void aKeyLettaRejectsEverywhereStillStopsTheRecorder(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("forbidden-key");
        AtomicBoolean started = new AtomicBoolean();
        try (LettaSim letta = sim();
                // the start check passes; from then on the key is refused on every route (revoked)
                SimFront front = new SimFront(
                        letta.baseUrl(), path -> started.get() ? FORBIDDEN_ANSWER : null, path -> started.set(true));
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderDaemon daemon = RecorderDaemon.create(config(front.baseUrl(), broker, topic));
            daemon.run();

            RecorderFailure failure = daemon.failure().orElseThrow();
            assertInstanceOf(RecorderFailure.CredentialsRejected.class, failure, failure.message());
            assertTrue(failure.message().contains("403"), failure.message());
            // neither run is ended in the log: a restart with a key Letta accepts records both
            log.catchUp();
            for (String runId : List.of(FORBIDDEN_ID, OTHER_ID)) {
                assertTrue(
                        log.types(runId).stream().noneMatch(RecordType::isTerminal),
                        log.types(runId).toString());
            }
        }
    }

    private static LettaSim sim() {
        return LettaSim.builder()
                .recordedRun(FORBIDDEN, LettaFixtures.sseBody(FORBIDDEN))
                .recordedRun(OTHER, LettaFixtures.sseBody(OTHER))
                .pace(Duration.ofMillis(5))
                .start();
    }

    private static RecorderConfig config(String lettaUrl, KafkaBroker broker, String topic) {
        return RecorderConfig.builder(lettaUrl)
                .bootstrapServers(broker.bootstrapServers())
                .topic(topic)
                .partitions(1)
                .watch(false)
                .stopWhenIdle(true)
                .attachRunIds(List.of(FORBIDDEN_ID, OTHER_ID))
                .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                .abandonAfter(Duration.ofSeconds(3))
                .build();
    }
}
