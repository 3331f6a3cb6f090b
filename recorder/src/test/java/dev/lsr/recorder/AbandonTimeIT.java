package dev.lsr.recorder;

import static dev.lsr.recorder.testing.SessionHarness.expectedChunks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Json;
import dev.lsr.chunklog.LifecycleEvent;
import dev.lsr.chunklog.RecordType;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.metrics.RecorderMetrics;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.Fixtures;
import dev.lsr.recorder.testing.LogCapture;
import dev.lsr.recorder.testing.SimFront;
import dev.lsr.sim.ConnectionFault;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.RunFaults;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The abandon time ({@code --abandon-after}, 1 s here) counts only time in which Letta answered. A run is
 * attached through a front in front of letta-sim; its first connection drops after 5 chunks, and from then on
 * the front answers for Letta:
 *
 * <ul>
 *   <li>an outage (a gateway's 502, for 4 s) longer than the abandon time does not give up the run: Letta
 *       keeps a run's stream for hours, so once it answers again the run resumes and is recorded whole;
 *   <li>Letta's own 503 "Background streaming requires Redis" is an answer, not an outage: no outage is
 *       counted, and the run is given up after the abandon time ({@code run.abandoned}), not after 3 hours;
 *   <li>a proxy's 504 on a stream open (it gave up waiting for the headers, which Letta sends with the first
 *       frame) says nothing about Letta: no outage is logged or counted while the Run GETs are answered.
 * </ul>
 */
@ExtendWith(KafkaBrokerExtension.class)
class AbandonTimeIT {

    private static final String FIXTURE = "02-tool-call-two-steps";
    private static final String RUN = Fixtures.runId(FIXTURE);
    private static final Duration ABANDON_AFTER = Duration.ofSeconds(1);
    private static final Duration OUTAGE = Duration.ofSeconds(4);
    private static final int GATEWAY_TIMEOUTS = 3;

    @Test
    void aRunCaughtByAnOutageLongerThanTheAbandonTimeIsRecordedWhole(KafkaBroker broker) throws Exception {
        Attached attached = attachBehind(broker, AbandonTimeIT::gatewayFront);

        assertTrue(attached.answeredByTheFront() > 0, "the recorder met the outage");
        assertEquals(RunOutcome.Kind.FINISHED, attached.outcome().kind(), "outcome " + attached.outcome());
        List<RecordType> lifecycle =
                attached.types().stream().filter(t -> t != RecordType.CHUNK).toList();
        assertEquals(RecordType.RUN_ATTACHED, lifecycle.getFirst());
        assertEquals(RecordType.RUN_FINISHED, lifecycle.getLast(), "lifecycle " + lifecycle);
        assertEquals(expectedChunks(FIXTURE), attached.chunks(), "every chunk once");
    }

    @Test
    void aRunWhoseResumesLettaRefusesIsAbandonedWithoutAnOutage(KafkaBroker broker) throws Exception {
        Attached attached = attachBehind(broker, AbandonTimeIT::redisLostFront);

        assertTrue(attached.answeredByTheFront() > 0, "Letta refused the resumes");
        assertEquals(RunOutcome.Kind.ABANDONED, attached.outcome().kind(), "outcome " + attached.outcome());
        assertEquals(RecordType.RUN_ABANDONED, attached.types().getLast(), "types " + attached.types());
        assertEquals(0.0, attached.lettaOutages(), "Letta answered every request: no outage");
        List<String> redisWarnings = attached.warnings().stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(line -> line.contains("runs without Redis"))
                .toList();
        assertEquals(1, redisWarnings.size(), "one WARN for Letta without Redis, however often it answers so");
        assertTrue(
                attached.warnings().stream()
                        .noneMatch(e -> e.getFormattedMessage().contains("Letta is unreachable")),
                "no outage logged");
    }

    @Test
    void aGatewayTimingOutAQuietRunsStreamOpensIsNoOutage(KafkaBroker broker) throws Exception {
        List<String> afterTheFirstConnection = new CopyOnWriteArrayList<>();
        // an abandon time the retries cannot reach: this case is about the outage, not the abandon clock
        Attached attached = attachBehind(
                broker, simUrl -> gatewayTimeoutFront(simUrl, afterTheFirstConnection), Duration.ofSeconds(60));

        assertEquals(GATEWAY_TIMEOUTS, attached.answeredByTheFront(), "the gateway timed the resumes out");
        assertEquals(RunOutcome.Kind.FINISHED, attached.outcome().kind(), "outcome " + attached.outcome());
        assertEquals(expectedChunks(FIXTURE), attached.chunks(), "every chunk once");
        assertEquals(0.0, attached.lettaOutages(), "Letta answered every Run GET: no outage");
        assertTrue(
                attached.warnings().stream()
                        .noneMatch(e -> e.getFormattedMessage().contains("Letta is unreachable")),
                "no outage logged");
        assertTrue(
                afterTheFirstConnection.stream()
                                .filter(path -> path.endsWith("/runs/" + RUN))
                                .count()
                        >= GATEWAY_TIMEOUTS,
                "the run asked for its Run object after each timed-out open: " + afterTheFirstConnection);
        assertEquals(
                List.of("http_504"),
                attached.resumeCauses(),
                "the one resume (after the failed opens) says why: " + attached.resumeCauses());
    }

    /** What one attach behind a front left: its outcome, the run's records, the recorder's outage count. */
    private record Attached(
            RunOutcome outcome,
            List<RecordType> types,
            List<String> chunks,
            int answeredByTheFront,
            double lettaOutages,
            List<ILoggingEvent> warnings,
            List<String> resumeCauses) {}

    private interface FrontFactory {
        SimFront start(String simUrl) throws IOException;
    }

    /** Runs a recorder against the front, attaches the run and waits (30 s at most) for its outcome and last record. */
    private static Attached attachBehind(KafkaBroker broker, FrontFactory fronts) throws Exception {
        return attachBehind(broker, fronts, ABANDON_AFTER);
    }

    private static Attached attachBehind(KafkaBroker broker, FrontFactory fronts, Duration abandonAfter)
            throws Exception {
        FaultPlan faults = FaultPlan.builder()
                .run(
                        RUN,
                        RunFaults.builder()
                                .attempt(1, ConnectionFault.dropAfter(5))
                                .build())
                .build();
        String topic = broker.uniqueTopic("abandon-time");
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (LogCapture logs = LogCapture.capture();
                LettaSim sim = LettaSim.builder()
                        .faults(faults)
                        .recordedRun(FIXTURE, LettaFixtures.sseBody(FIXTURE))
                        .start();
                SimFront front = fronts.start(sim.baseUrl());
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            RecorderConfig config = RecorderConfig.builder(front.baseUrl())
                    .bootstrapServers(broker.bootstrapServers())
                    .topic(topic)
                    .partitions(1)
                    .agentIds(List.of("agent-watching-nobody"))
                    .abandonAfter(abandonAfter)
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                    .build();
            RecorderDaemon daemon =
                    RecorderDaemon.builder(config).meterRegistry(metrics).build();
            Thread thread = Thread.ofPlatform().name("daemon").start(daemon);
            try {
                assertTrue(daemon.awaitRunning(Duration.ofSeconds(60)));
                RunOutcome outcome = daemon.attach(RUN).get(30, TimeUnit.SECONDS);
                log.awaitUntil(l -> l.ended(Set.of(RUN)), Duration.ofSeconds(30));
                return new Attached(
                        outcome,
                        log.types(RUN),
                        log.chunks(RUN),
                        front.answered(),
                        metrics.get(RecorderMetrics.LETTA_OUTAGES).counter().count(),
                        logs.events().stream()
                                .filter(event -> event.getLevel() == Level.WARN)
                                .toList(),
                        resumeCauses(log.run(RUN)));
            } finally {
                daemon.close();
                thread.join(30_000);
            }
        }
    }

    /**
     * A gateway whose backend goes away once the run's first stream connection has ended: every request is
     * answered 502 for {@link #OUTAGE}, then forwarded again.
     */
    private static SimFront gatewayFront(String simUrl) throws IOException {
        AtomicReference<Long> outageEndsAtNanos = new AtomicReference<>();
        SimFront.Canned badGateway =
                new SimFront.Canned(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
        return new SimFront(
                simUrl,
                path -> {
                    Long end = outageEndsAtNanos.get();
                    return end != null && System.nanoTime() - end < 0 ? badGateway : null;
                },
                path -> {
                    if (SimFront.isRunStream(path, RUN)) {
                        outageEndsAtNanos.compareAndSet(null, System.nanoTime() + OUTAGE.toNanos());
                    }
                });
    }

    /**
     * A proxy that gives up on the run's stream opens after its own timeout (Letta sends the headers with the
     * first frame, so a quiet run's resume waits): once the run's first stream connection has ended, its next
     * {@link #GATEWAY_TIMEOUTS} stream opens are answered 504; every other request goes through.
     */
    private static SimFront gatewayTimeoutFront(String simUrl, List<String> forwardedAfterTheFirst) throws IOException {
        AtomicBoolean firstEnded = new AtomicBoolean();
        AtomicInteger timeouts = new AtomicInteger();
        SimFront.Canned gatewayTimeout =
                new SimFront.Canned(504, "text/html", "<html><body><h1>504 Gateway Time-out</h1></body></html>");
        return new SimFront(
                simUrl,
                path -> firstEnded.get()
                                && SimFront.isRunStream(path, RUN)
                                && timeouts.getAndIncrement() < GATEWAY_TIMEOUTS
                        ? gatewayTimeout
                        : null,
                path -> {
                    if (firstEnded.get()) {
                        forwardedAfterTheFirst.add(path);
                    }
                    if (SimFront.isRunStream(path, RUN)) {
                        firstEnded.set(true);
                    }
                });
    }

    /** The causes of the run's resumes, in log order ({@code run.resumed}'s {@code cause}). */
    private static List<String> resumeCauses(List<ChunkLogRecord> records) {
        List<String> causes = new java.util.ArrayList<>();
        for (ChunkLogRecord record : records) {
            if (record.type() == RecordType.RUN_RESUMED) {
                try {
                    causes.add(Json.MAPPER
                            .readValue(record.value(), LifecycleEvent.RunResumed.class)
                            .cause());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        return causes;
    }

    /** Letta losing its Redis once the run's first stream connection has ended: the run's resumes answer 503. */
    private static SimFront redisLostFront(String simUrl) throws IOException {
        AtomicBoolean redisLost = new AtomicBoolean();
        String detail = "Background streaming requires Redis to be running. Please ensure Redis is properly"
                + " configured. LETTA_REDIS_HOST: None, LETTA_REDIS_PORT: 6379";
        SimFront.Canned redisRequired = new SimFront.Canned(503, "application/json", "{\"detail\":\"" + detail + "\"}");
        return new SimFront(
                simUrl, path -> redisLost.get() && SimFront.isRunStream(path, RUN) ? redisRequired : null, path -> {
                    if (SimFront.isRunStream(path, RUN)) {
                        redisLost.set(true);
                    }
                });
    }
}
