package dev.lsr.recorder.log;

import static dev.lsr.recorder.log.Records.chunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RunState;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away while records are pending and comes back on the same port and data dir: the
 * log keeps the batch, retries, and commits every record exactly once; nothing fails. Uses its own
 * embedded broker (the shared test broker must never restart).
 */
class BrokerOutageIT {

    @TempDir
    Path dataDir;

    @Test
    void anOutageDelaysCommitsButLosesAndDuplicatesNothing() throws Exception {
        EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(dataDir).port(0).start();
        int port = broker.port();
        RunLogConfig config = RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic("outage")
                .partitions(2)
                .replicationFactor((short) 1)
                .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .kafkaProperty("max.block.ms", "1000")
                .kafkaProperty("request.timeout.ms", "1000")
                .kafkaProperty("delivery.timeout.ms", "3000")
                .kafkaProperty("reconnect.backoff.max.ms", "500")
                .build();
        CountingListener listener = new CountingListener();
        RunLog log = KafkaRunLog.create(config, listener, Clock.systemUTC());
        try {
            log.start();
            appendSeqs(log, 1, 5);
            log.flush();

            broker.close();
            appendSeqs(log, 6, 10);
            Await.until(() -> listener.outagesStarted() > 0, "the log notices the outage");
            broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).port(port).start();

            CompletableFuture.runAsync(log::flush).get(180, TimeUnit.SECONDS);

            assertTrue(log.failure().isEmpty(), "an outage is not fatal");
            assertTrue(listener.outagesEnded() > 0);
            var byRun = Topics.chunksByRun(broker.bootstrapServers(), "outage");
            for (String run : List.of("run-a", "run-b")) {
                assertEquals(
                        LongStream.rangeClosed(1, 10).mapToObj(Long::toString).toList(),
                        byRun.get(run).stream().map(Records::describe).toList(),
                        run);
                assertEquals(
                        Position.ofSeq(10), log.checkpoint(run).orElseThrow().lastPosition());
            }
        } finally {
            log.close();
            broker.close();
        }
    }

    private static void appendSeqs(RunLog log, long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            log.append(chunk("run-a", seq), RunState.ACTIVE);
            log.append(chunk("run-b", seq), RunState.ACTIVE);
        }
    }
}
