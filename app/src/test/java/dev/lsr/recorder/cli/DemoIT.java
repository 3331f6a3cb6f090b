package dev.lsr.recorder.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.RecordType;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.RealKafka;
import dev.lsr.recorder.demo.DemoWorkload;
import dev.lsr.recorder.testing.CommittedLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's main command: with no Letta URL the recorder runs the demo and prints progress. */
@RealKafka
class DemoIT {

    @Test
    void withNoLettaUrlTheDemoRecordsEveryGeneratedRunAndSaysHowToReadIt(KafkaBroker broker) throws Exception {
        String topic = broker.uniqueTopic("demo");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = RecorderCommand.mainNoExit(
                new String[] {
                    "--demo", "--bootstrap-servers", broker.bootstrapServers(), "--topic", topic, "--partitions", "3"
                },
                Map.of(),
                new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8),
                RecorderCommand::daemon);

        String progress = err.toString(UTF_8);
        String summary = out.toString(UTF_8);
        assertEquals(RecorderCommand.OK, exit, progress);
        assertTrue(progress.contains("demo: no Letta URL given"), progress);
        assertTrue(progress.contains("demo: starting the recorder ..."), progress);
        assertTrue(progress.lines().anyMatch(line -> line.startsWith("demo: runs: ")), progress);
        assertTrue(progress.contains("every run has finished"), progress);
        assertTrue(summary.contains("Recorded " + DemoWorkload.RUNS + " finished runs"), summary);
        assertTrue(
                summary.contains("bin/consumer --bootstrap-servers " + broker.bootstrapServers() + " runs"), summary);
        try (CommittedLog log = new CommittedLog(broker.bootstrapServers(), topic)) {
            log.awaitUntil(l -> finishedRuns(l).size() >= DemoWorkload.RUNS, Duration.ofSeconds(30));
            assertEquals(DemoWorkload.RUNS, finishedRuns(log).size(), "every demo run has a finished record");
        }
    }

    private static Set<String> finishedRuns(CommittedLog log) {
        return log.all().stream()
                .filter(record -> record.type() == RecordType.RUN_FINISHED)
                .map(ChunkLogRecord::runId)
                .collect(Collectors.toSet());
    }
}
