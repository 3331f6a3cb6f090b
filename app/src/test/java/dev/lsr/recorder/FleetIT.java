package dev.lsr.recorder;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three recorder CLIs in child JVMs form one fleet over a broker of the test's own (it is restarted), while
 * letta-sim streams paced background runs. In turn: a member is killed with SIGKILL (its partitions move to
 * the survivors after the group's session timeout), a new member joins the running fleet and takes a share,
 * a member stops with SIGTERM (it leaves at once), a member is frozen with SIGSTOP past the session timeout
 * and thawed with SIGCONT (a zombie: it gives its partitions up, commits nothing for them, rejoins), and the
 * broker is restarted under the fleet. At the end every run's chunks in log order are its stored frames, each
 * run has one {@code run.finished}, no position is recorded twice, and no member exits non-zero unless killed.
 *
 * <p>The broker's KIP-848 session timeout is lowered to {@value #SESSION_TIMEOUT_MS} ms (Kafka's default and
 * minimum are 45 s), so the test waits seconds, not minutes, for the group to notice a dead member. Each
 * fault lands on an event the test observes (a line a member logs, chunks committed), never after a sleep,
 * except the freeze, which has to outlast the session timeout.
 */
class FleetIT {

    private static final int SESSION_TIMEOUT_MS = 6_000;
    /** The issue's ~300 paced runs, arriving at {@link #ARRIVALS_PER_SECOND} (about 100 s of arrivals). */
    private static final int RUNS = 300;

    private static final double ARRIVALS_PER_SECOND = 3.0;

    private static final int PARTITIONS = 6;
    private static final Duration EVENT_TIMEOUT = Duration.ofMinutes(3);
    /** How long a move may take: the session timeout, the 5 s the issue allows, and room for a loaded machine. */
    private static final Duration MOVE_TIMEOUT =
            Duration.ofMillis(SESSION_TIMEOUT_MS).plusSeconds(5 + 25);

    private static final Path OUTPUT = Path.of("target", "fleet-it");

    @TempDir
    Path dataDir;

    @Test
    void aFleetSharesThePartitionsAndSurvivesKillsPausesLeavesJoinsAndABrokerRestart() throws Exception {
        EmbeddedKafkaBroker broker = broker(0);
        int port = broker.port();
        String topic = "fleet";
        Workload workload = Workload.builder(11)
                .agents(6)
                .conversationsPerAgent(4)
                .runs(RUNS)
                .chunksPerRun(40)
                .chunksPerSecond(12)
                .arrivalRate(ARRIVALS_PER_SECOND)
                .build();
        List<ChildRecorder> members = new ArrayList<>();
        try (LettaSim sim = LettaSim.builder()
                        .workload(workload)
                        .keepaliveInterval(Duration.ofSeconds(1))
                        .start();
                CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            List<String> args = args(sim, broker, topic);
            ChildRecorder a = start(args, "a", members);
            ChildRecorder b = start(args, "b", members);
            ChildRecorder c = start(args, "c", members);
            awaitOwnedByAll(List.of(a, b, c));
            log.awaitUntil(l -> l.all().size() > 200, EVENT_TIMEOUT);

            // SIGKILL: the survivors take the partitions after the session timeout and continue the runs
            long killedAt = System.nanoTime();
            a.kill();
            awaitOwnedBy(List.of(b, c), MOVE_TIMEOUT, "a's partitions move to b and c");
            report("SIGKILL: every partition held by the survivors after", killedAt);

            // a member added to a running fleet takes a share
            ChildRecorder d = start(args, "d", members);
            d.awaitOutput("took partitions", EVENT_TIMEOUT);
            awaitOwnedByAll(List.of(b, c, d));

            // SIGTERM: b leaves the group at once and its runs move
            long terminatedAt = System.nanoTime();
            assertEquals(RecorderCommand.OK, b.terminate(Duration.ofSeconds(30)), "SIGTERM: clean stop, exit 0");
            awaitOwnedBy(List.of(c, d), MOVE_TIMEOUT, "b's partitions move to c and d");
            report("SIGTERM: every partition held by the others after", terminatedAt);

            // SIGSTOP past the session timeout: d is a zombie; c takes everything; SIGCONT: d gives up and rejoins
            int dTakesBeforeStop = FleetMembers.takes(d);
            long pausedAt = System.nanoTime();
            d.pause();
            awaitOwnedBy(List.of(c), MOVE_TIMEOUT, "the frozen member's partitions move to c");
            report("SIGSTOP: every partition held by c after", pausedAt);
            d.resume();
            d.awaitOutput("lost (this member left the group", EVENT_TIMEOUT);
            awaitOutput(
                    () -> FleetMembers.takes(d) > dTakesBeforeStop,
                    EVENT_TIMEOUT,
                    "the thawed member rejoins and takes a share");
            awaitOwnedByAll(List.of(c, d));

            // the broker restarted under the fleet: every member reconnects
            int committedBeforeRestart = log.catchUp().all().size();
            broker.close();
            broker = broker(port);
            ChildRecorder e = start(args, "e", members);
            log.awaitUntil(l -> l.all().size() > committedBeforeRestart + 200, EVENT_TIMEOUT);

            await().atMost(EVENT_TIMEOUT).until(() -> sim.runIds().size() == RUNS);
            log.awaitUntil(l -> l.ended(Set.copyOf(sim.runIds())), EVENT_TIMEOUT);
            for (ChildRecorder member : List.of(c, d, e)) {
                assertTrue(member.isAlive(), "no member stops by itself: " + member.outputFile());
                assertEquals(RecorderCommand.OK, member.terminate(Duration.ofSeconds(30)), member.outputFile() + "");
            }
            log.catchUp();
            int resumed = FleetMembers.assertEveryRunRecordedExactlyOnce(sim, log, RUNS);
            System.out.println("FleetIT: " + RUNS + " runs, " + log.all().size() + " records, " + resumed + " resumes");
            for (ChildRecorder member : members) {
                assertFalse(
                        member.output().contains("re-initialising the transactional producer"),
                        "a fleet member never re-initialises a lost producer in place: " + member.outputFile());
            }
        } finally {
            members.forEach(ChildRecorder::close);
            broker.close();
        }
    }

    /** Every partition is held by one of {@code members}, as their logs tell. */
    private static void awaitOwnedByAll(List<ChildRecorder> members) {
        awaitOwnedBy(members, EVENT_TIMEOUT, "every partition held by " + members.size() + " members");
    }

    private static void awaitOwnedBy(List<ChildRecorder> members, Duration timeout, String what) {
        FleetMembers.awaitOwnedBy(members, PARTITIONS, timeout, what);
    }

    private static void awaitOutput(java.util.concurrent.Callable<Boolean> condition, Duration timeout, String what) {
        await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).until(condition);
    }

    private static void report(String what, long sinceNanos) {
        System.out.println("FleetIT: " + what + " "
                + Duration.ofNanos(System.nanoTime() - sinceNanos).toMillis() + " ms (session timeout "
                + SESSION_TIMEOUT_MS + " ms)");
    }

    private EmbeddedKafkaBroker broker(int port) {
        return EmbeddedKafkaBroker.builder()
                .dataDir(dataDir)
                .port(port)
                .consumerGroupTimeouts(Duration.ofMillis(SESSION_TIMEOUT_MS), Duration.ofSeconds(1))
                .start();
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
                "--ping-interval",
                "2s",
                "--kafka-property",
                "reconnect.backoff.max.ms=500");
    }
}
