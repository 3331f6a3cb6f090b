package dev.lsr.recorder;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.kafka.EmbeddedKafkaBroker;
import dev.lsr.recorder.cli.RecorderCommand;
import dev.lsr.recorder.testing.ChildRecorder;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.FleetMembers;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.Workload;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A fleet on a broker that does not speak KIP-848's {@code consumer} group protocol (a pre-4.0 broker, or one
 * with the protocol switched off, as here): the members fall back to the classic protocol with the cooperative
 * sticky assignor, say so, share the partitions, and survive a member killed with SIGKILL and one added: every
 * run recorded exactly once. The classic protocol's session timeout is the client's, set on the members to
 * {@value #SESSION_TIMEOUT_MS} ms (the broker's minimum).
 */
class FleetClassicProtocolIT {

    private static final int SESSION_TIMEOUT_MS = 6_000;
    private static final int RUNS = 90;
    private static final int PARTITIONS = 4;
    private static final Duration EVENT_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration MOVE_TIMEOUT =
            Duration.ofMillis(SESSION_TIMEOUT_MS).plusSeconds(5 + 25);
    private static final Path OUTPUT = Path.of("target", "fleet-classic-it");

    @Test
    void membersFallBackToTheClassicProtocolAndShareThePartitionsExactlyOnce() throws Exception {
        Workload workload = Workload.builder(17)
                .agents(4)
                .conversationsPerAgent(3)
                .runs(RUNS)
                .chunksPerRun(30)
                .chunksPerSecond(12)
                .arrivalRate(3.0)
                .build();
        List<ChildRecorder> members = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                        .brokerProperty("group.coordinator.rebalance.protocols", "classic")
                        .start();
                LettaSim sim = LettaSim.builder()
                        .workload(workload)
                        .keepaliveInterval(Duration.ofSeconds(1))
                        .start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), "classic")) {
            List<String> args = args(sim, broker, "classic");
            ChildRecorder a = start(args, "a", members);
            ChildRecorder b = start(args, "b", members);
            FleetMembers.awaitOwnedBy(List.of(a, b), PARTITIONS, EVENT_TIMEOUT, "the partitions held by a and b");
            for (ChildRecorder member : List.of(a, b)) {
                member.awaitOutput("joining with the classic group protocol", EVENT_TIMEOUT);
            }
            awaitShared(a, b);
            log.awaitUntil(l -> l.all().size() > 150, EVENT_TIMEOUT);

            a.kill();
            FleetMembers.awaitOwnedBy(List.of(b), PARTITIONS, MOVE_TIMEOUT, "a's partitions move to b");

            ChildRecorder c = start(args, "c", members);
            c.awaitOutput("took partitions", EVENT_TIMEOUT);
            awaitShared(b, c);

            await().atMost(EVENT_TIMEOUT).until(() -> sim.runIds().size() == RUNS);
            log.awaitUntil(l -> l.ended(Set.copyOf(sim.runIds())), EVENT_TIMEOUT);
            for (ChildRecorder member : List.of(b, c)) {
                assertTrue(member.isAlive(), "no member stops by itself: " + member.outputFile());
                assertEquals(RecorderCommand.OK, member.terminate(Duration.ofSeconds(30)), member.outputFile() + "");
                assertTrue(
                        member.output().contains("does not speak KIP-848's consumer group protocol"),
                        "the member says why it fell back: " + member.outputFile());
            }
            log.catchUp();
            int resumed = FleetMembers.assertEveryRunRecordedExactlyOnce(sim, log, RUNS);
            System.out.println("FleetClassicProtocolIT: " + RUNS + " runs, " + resumed + " resumes");
        } finally {
            members.forEach(ChildRecorder::close);
        }
    }

    /** Both members hold a share: the group divided the partitions between them, none held twice. */
    private static void awaitShared(ChildRecorder one, ChildRecorder other) {
        await("a share each")
                .atMost(EVENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Set<Integer> mine = FleetMembers.held(one);
                    Set<Integer> theirs = FleetMembers.held(other);
                    Set<Integer> both = new HashSet<>(mine);
                    both.retainAll(theirs);
                    return !mine.isEmpty()
                            && !theirs.isEmpty()
                            && both.isEmpty()
                            && mine.size() + theirs.size() == PARTITIONS;
                });
    }

    private static ChildRecorder start(List<String> args, String name, List<ChildRecorder> members) throws IOException {
        return FleetMembers.start(args, OUTPUT.resolve(name + ".log"), members);
    }

    private static List<String> args(LettaSim sim, EmbeddedKafkaBroker broker, String topic) {
        return FleetMembers.args(
                sim,
                broker,
                topic,
                PARTITIONS,
                "--kafka-property",
                "session.timeout.ms=" + SESSION_TIMEOUT_MS,
                "--kafka-property",
                "heartbeat.interval.ms=1000");
    }
}
