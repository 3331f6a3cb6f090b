package dev.lsr.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.recorder.cli.RecorderCommand;
import dev.lsr.recorder.testing.ChildRecorder;
import dev.lsr.recorder.testing.CommittedLog;
import dev.lsr.recorder.testing.SimFrames;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The recorder CLI in a child JVM, killed with SIGKILL at random moments (while starting, while
 * restoring, while draining) more than 20 times across concurrent runs and restarted each time,
 * records every position of every run exactly once with nothing missing; then SIGTERM stops it with
 * exit code 0. A second recorder with the same transactional ids fences the first, which stops with
 * exit code 3 and one line saying so.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CrashRestartIT {

    private static final int RUNS = 10;
    private static final int KILLS = 22;
    private static final Path OUTPUT = Path.of("target", "crash-it");

    @Test
    void killedAndRestartedOverAndOverItRecordsEveryPositionExactlyOnce(KafkaBroker broker) throws Exception {
        Workload workload = Workload.builder(2026).agents(5).conversationsPerAgent(2).runs(RUNS).chunksPerRun(250)
                .chunksPerSecond(10).arrivalRate(0.2).build();
        String topic = broker.uniqueTopic("crash");
        Random random = new Random(7);
        try (LettaSim sim = LettaSim.builder().workload(workload).start();
             CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            List<String> args = args(sim, broker, topic);
            int killedWhileRunning = 0;
            for (int kill = 1; kill <= KILLS; kill++) {
                try (ChildRecorder child = ChildRecorder.start(args, OUTPUT.resolve(topic + "-" + kill + ".log"))) {
                    Thread.sleep(300 + random.nextInt(4700));
                    assertTrue(child.isAlive(), "the recorder died by itself: " + child.outputFile());
                    child.kill();
                    killedWhileRunning += child.output().contains("recorder: STARTING -> RUNNING") ? 1 : 0;
                }
            }
            assertTrue(killedWhileRunning >= KILLS / 3, "killed while draining only " + killedWhileRunning + " times");
            assertTrue(sim.runIds().size() > 0);
            try (ChildRecorder last = ChildRecorder.start(args, OUTPUT.resolve(topic + "-last.log"))) {
                log.awaitUntil(l -> sim.runIds().size() == RUNS && l.ended(Set.copyOf(sim.runIds())), Duration.ofMinutes(3));
                assertEquals(RecorderCommand.OK, last.terminate(Duration.ofSeconds(30)), "SIGTERM: clean stop, exit 0");
            }
            log.catchUp();
            int resumesAfterRestart = 0;
            for (String runId : sim.runIds()) {
                List<ChunkLogRecord> records = log.run(runId);
                List<Position> positions = records.stream().filter(r -> r.type() == RecordType.CHUNK)
                        .map(ChunkLogRecord::position).toList();
                assertEquals(positions.size(), new HashSet<>(positions).size(), runId + ": every position exactly once");
                assertEquals(SimFrames.payloads(sim, runId), log.chunks(runId), runId + ": nothing missing, in order");
                assertEquals(1, records.stream().filter(r -> r.type() == RecordType.RUN_ATTACHED).count(), runId);
                assertEquals(1, records.stream().filter(r -> r.type().isTerminal()).count(), runId);
                assertEquals(RecordType.RUN_FINISHED, records.getLast().type(), runId);
                resumesAfterRestart += (int) records.stream().filter(r -> r.type() == RecordType.RUN_RESUMED).count();
            }
            assertTrue(resumesAfterRestart >= 5, "runs were continued from their checkpoints: " + resumesAfterRestart);
        }
    }

    @Test
    void aSecondRecorderWithTheSameIdsFencesTheFirst(KafkaBroker broker) throws Exception {
        Workload workload = Workload.builder(99).runs(4).chunksPerRun(400).chunksPerSecond(20).build();
        String topic = broker.uniqueTopic("fence");
        try (LettaSim sim = LettaSim.builder().workload(workload).start();
             CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic);
             ChildRecorder first = ChildRecorder.start(args(sim, broker, topic), OUTPUT.resolve(topic + "-first.log"))) {
            log.awaitUntil(l -> l.all().size() > 20, Duration.ofSeconds(60));
            try (ChildRecorder second = ChildRecorder.start(args(sim, broker, topic), OUTPUT.resolve(topic + "-second.log"))) {
                int exit = first.waitFor(Duration.ofSeconds(60));
                // Usually Kafka answers the old owner with PRODUCER_FENCED (exit 3, "fenced"). When the old owner's
                // commit races the new owner's initTransactions, Kafka 4.4's coordinator answers UNKNOWN_SERVER_ERROR
                // or INVALID_TXN_STATE instead and the old producer cannot continue: the recorder then stops as failed (exit 1), with a
                // line that says another recorder owns the partition now. Either way it stops and the new one goes on.
                if (exit == RecorderCommand.FENCED) {
                    assertTrue(first.output().contains("recorder: fenced"), first.output());
                } else {
                    assertEquals(RecorderCommand.FAILED, exit, first.output());
                    assertTrue(first.output().contains("another recorder"), first.output());
                }
                assertTrue(second.isAlive(), "the new owner goes on");
                int committedBefore = log.all().size();
                log.awaitUntil(l -> l.all().size() > committedBefore, Duration.ofSeconds(60));
                assertEquals(RecorderCommand.OK, second.terminate(Duration.ofSeconds(30)));
                log.catchUp();
                for (String runId : sim.runIds()) {
                    List<Position> positions = log.run(runId).stream().filter(r -> r.type() == RecordType.CHUNK)
                            .map(ChunkLogRecord::position).toList();
                    assertEquals(positions.size(), new HashSet<>(positions).size(), runId + ": no position twice");
                }
            }
        }
    }

    private static List<String> args(LettaSim sim, KafkaBroker broker, String topic) {
        return List.of("--letta-url", sim.baseUrl(), "--bootstrap-servers", broker.bootstrapServers(), "--topic", topic,
                "--partitions", "2", "--poll-interval", "200ms", "--ping-interval", "2s", "--backoff-initial", "50ms",
                "--backoff-max", "1s", "--shutdown-timeout", "6s");
    }
}
