package dev.lsr.recorder.log;

import static dev.lsr.recorder.log.Records.chunk;
import static dev.lsr.recorder.log.TwoPartitionRuns.runIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One partition's producer loses its authorization mid-run (a DENY ACL on its transactional id, on a
 * broker with the standard authorizer): that partition stops alone, visibly, and the other keeps
 * recording; the log does not fail.
 */
class PartitionStopsAloneIT {

    @TempDir
    Path dataDir;

    @Test
    void aPartitionThatCannotGoOnStopsAloneAndTheOthersKeepRecording() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(dataDir)
                .port(0)
                .withAcls()
                .start()) {
            String topic = "alone";
            RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                    .chunkTopic(topic)
                    .partitions(2)
                    .replicationFactor((short) 1)
                    .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .build();
            String healthy = runIn(0, 0);
            String doomed = runIn(1, 0);
            CountingListener listener = new CountingListener();
            try (RunLog log = KafkaRunLog.create(config, listener, Clock.systemUTC())) {
                log.start();
                log.append(chunk(healthy, 1), RunState.ACTIVE);
                log.append(chunk(doomed, 1), RunState.ACTIVE);
                log.flush();

                TransactionalIdAcls.deny(broker.bootstrapServers(), "lsr-recorder-" + topic + "-1");
                log.append(chunk(doomed, 2), RunState.ACTIVE);
                Await.until(() -> !log.stoppedPartitions().isEmpty(), "partition 1 stops");

                RunLogFailure stopped = log.stoppedPartitions().get(1);
                assertEquals(RunLogFailure.Kind.FATAL, stopped.kind());
                assertTrue(stopped.message().startsWith("not authorized on partition 1 of alone"), stopped.message());
                assertEquals(List.of(1), List.copyOf(log.stoppedPartitions().keySet()));
                assertThrows(PartitionStoppedException.class, () -> log.append(chunk(doomed, 3), RunState.ACTIVE));

                log.append(chunk(healthy, 2), RunState.ACTIVE);
                log.append(chunk(healthy, 3), RunState.ACTIVE);
                Await.until(
                        () -> log.checkpoint(healthy)
                                .orElseThrow()
                                .lastPosition()
                                .equals(Position.ofSeq(3)),
                        "partition 0 keeps committing");
                assertTrue(log.failure().isEmpty(), "the log goes on: " + log.failure());
                assertEquals(
                        Position.ofSeq(1), log.checkpoint(doomed).orElseThrow().lastPosition());
            }
        }
    }
}
