package dev.lsr.recorder;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.RecordType;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.InProcessFleet;
import dev.lsr.recorder.testing.RecordedOnce;
import dev.lsr.recorder.testing.SimFront;
import dev.lsr.recorder.testing.SimSends;
import dev.lsr.sim.LettaSim;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fleet member gives a partition up while runs of it have recorded nothing yet. Here: runs that ended before
 * the fleet started, which the first member's watcher catches up on (the only time the fleet lists them), while
 * Letta throttles every stream open (429); then a second member joins and takes one of the two partitions.
 * No checkpoint holds the moved partition's runs, so the member giving it up hands them to the fleet through
 * the intake topic, and once Letta serves streams again every run is recorded, once. Before the hand-over, the
 * moved partition's runs were never recorded by anyone (the second member's watcher does not catch up, and the
 * runs are older than the ended-run sweeps look back).
 */
@ExtendWith(KafkaBrokerExtension.class)
class HandOverIT {

    private static final int RUNS = 16;

    @Test
    void runsStoppedBeforeTheirFirstCommitWhenTheirPartitionMovesAreRecordedByTheNewOwner(KafkaBroker broker)
            throws Exception {
        String topic = broker.uniqueTopic("handover");
        AtomicBoolean throttled = new AtomicBoolean(true);
        AtomicInteger refused = new AtomicInteger();
        SimFront.Canned tooMany = new SimFront.Canned(429, "application/json", "{\"detail\":\"Too many requests\"}");
        // the runs were created 10 minutes ago: within the catch-up window, before what any later sweep looks at
        try (LettaSim sim = LettaSim.builder()
                        .pace(Duration.ofMillis(5))
                        .clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)))
                        .start();
                SimFront front = new SimFront(
                        sim.baseUrl(),
                        path -> {
                            if (throttled.get() && path.endsWith("/stream") && path.contains("/runs/")) {
                                refused.incrementAndGet();
                                return tooMany;
                            }
                            return null;
                        },
                        path -> {});
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            Set<String> runs = new HashSet<>();
            for (int i = 0; i < RUNS; i++) {
                runs.add(SimSends.startBackgroundRun(sim, "agent-" + i, "[sim:chunks=6] hi"));
            }
            await("the runs ended")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> runs.stream().allMatch(run -> endedInTheSim(sim, run)));

            try (InProcessFleet fleet = new InProcessFleet()) {
                RecorderConfig member = RecorderConfig.builder(front.baseUrl())
                        .bootstrapServers(broker.bootstrapServers())
                        .topic(topic)
                        .partitions(2)
                        .fleet(true)
                        .groupId(broker.uniqueTopic("fleet"))
                        .pollInterval(Duration.ofMillis(100))
                        .catchUp(Duration.ofHours(1))
                        .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                        .build();
                fleet.join("a", member);
                await("a catches up on the ended runs, and Letta throttles their streams")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> refused.get() >= RUNS);
                fleet.join("b", member);
                fleet.awaitEachHolds(1, Duration.ofSeconds(60));
                assertTrue(
                        log.catchUp().all().stream().noneMatch(r -> r.type() == RecordType.CHUNK),
                        "nothing was recorded while Letta throttled");

                throttled.set(false);
                log.awaitUntil(l -> l.ended(runs), Duration.ofSeconds(60));
                assertEquals(
                        List.of(), RecordedOnce.wrong(log, sim, runs), "every run recorded once, every chunk once");
            }
        }
    }

    /** letta-sim stored the run's {@code [DONE]}: the run ended. */
    private static boolean endedInTheSim(LettaSim sim, String runId) {
        return sim.storedFrames(runId).stream()
                .anyMatch(frame -> new String(frame.servedBytes(), UTF_8).contains("data: [DONE]"));
    }
}
