package dev.lsr.recorder.log;

import static dev.lsr.recorder.log.Records.chunk;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.RunState;
import dev.lsr.chunklog.TopicConventions;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Closing the run log keeps to its close timeout (half of {@code --shutdown-timeout}; the runs' stop has the other
 * half) when the broker is gone and nothing can be committed: records waiting are left to the next start, which
 * drains them again from Letta. Before, the bounds of the steps (the group's leave, the offers, the committers,
 * each producer in turn) added up: a fleet member took several times its timeout, past a container's grace period.
 */
class CloseTimeoutIT {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    /** The close's own work after its deadline: the last joins and closes that take no wait on the broker. */
    private static final Duration MARGIN = Duration.ofMillis(1500);

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "in a fleet: {0}")
    @ValueSource(booleans = {false, true})
    void aLogWhoseBrokerIsGoneClosesWithinItsCloseTimeout(boolean fleet) throws Exception {
        EmbeddedKafkaBroker broker =
                EmbeddedKafkaBroker.builder().dataDir(dataDir).port(0).start();
        RunLogConfig.Builder config = RunLogConfig.builder(broker.bootstrapServers())
                .chunkTopic("closing")
                .partitions(4)
                .replicationFactor((short) 1)
                .closeTimeout(CLOSE_TIMEOUT)
                .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
        if (fleet) {
            config.groupId("closing-fleet");
        }
        RunLog log = KafkaRunLog.create(config.build(), RunLogListener.NONE, Clock.systemUTC());
        try {
            log.start();
            Await.until(() -> IntStream.range(0, 4).allMatch(p -> log.owns(runIn(p))), "every partition taken");
            IntStream.range(0, 4).forEach(p -> log.append(chunk(runIn(p), 1), RunState.ACTIVE));
            log.flush();

            broker.close();
            IntStream.range(0, 4).forEach(p -> log.append(chunk(runIn(p), 2), RunState.ACTIVE));
            long start = System.nanoTime();
            log.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(
                    took.compareTo(CLOSE_TIMEOUT.plus(MARGIN)) <= 0,
                    "closed in " + took.toMillis() + " ms, against a close timeout of " + CLOSE_TIMEOUT.toMillis());
        } finally {
            log.close();
            broker.close();
        }
    }

    private static String runIn(int partition) {
        return IntStream.range(0, 1000)
                .mapToObj(i -> "run-" + i)
                .filter(run -> TopicConventions.partitionFor(run, 4) == partition)
                .findFirst()
                .orElseThrow();
    }
}
