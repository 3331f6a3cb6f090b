package dev.lsr.consumer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.TopicConventions;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.Cli;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without {@code --bootstrap-servers} the command starts the embedded broker on {@code --data-dir}
 * and reads what was recorded there (as after the demo).
 */
class EmbeddedBrokerDefaultIT {

    @TempDir
    Path dataDir;

    @Test
    void readsWhatAnEarlierBrokerRecordedInTheDataDir() throws Exception {
        try (EmbeddedKafkaBroker recorded =
                EmbeddedKafkaBroker.builder().dataDir(dataDir).port(0).start()) {
            try (Admin admin = Admin.create(java.util.Map.of("bootstrap.servers", recorded.bootstrapServers()))) {
                admin.createTopics(Set.of(new NewTopic(TopicConventions.DEFAULT_CHUNK_TOPIC, 2, (short) 1)))
                        .all()
                        .get();
            }
            try (ChunkLogProducer producer =
                    new ChunkLogProducer(recorded.bootstrapServers(), TopicConventions.DEFAULT_CHUNK_TOPIC)) {
                producer.append(FixtureLog.of("02-tool-call-two-steps").records());
            }
        }

        // any free port: the default, 9092, may be taken on a shared test machine
        Cli.Result result = new Cli(Clock.systemUTC())
                .runExactly("runs", "--data-dir", dataDir.toString(), "--embedded-port", "0", "--progress");

        assertEquals(0, result.exitCode(), result.toString());
        List<String> rows = result.outLines();
        assertEquals(2, rows.size(), result.toString());
        assertTrue(
                rows.get(1).startsWith(FixtureLog.originalRunId("02-tool-call-two-steps") + "  completed"),
                rows.get(1));
        assertTrue(
                java.util.regex.Pattern.compile("\\] 100%  (\\d+)/\\1 offsets")
                        .matcher(result.err())
                        .find(),
                result.err());
    }

    @Test
    void withoutRecordedDataItSaysSoWithExitCodeFive() {
        Cli.Result result = new Cli(Clock.systemUTC())
                .runExactly(
                        "runs", "--data-dir", dataDir.resolve("nothing-here").toString());
        assertEquals(ExitCodes.UNAVAILABLE, result.exitCode(), result.toString());
        assertEquals(
                "consumer: no --bootstrap-servers given and no recorded data in " + dataDir.resolve("nothing-here")
                        + " for the embedded broker",
                result.err().strip());
    }
}
