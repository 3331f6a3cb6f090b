package dev.lsr.consumer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.projection.Fixtures;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.Cli;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conformance from a real broker: every fixture recorded as chunk-log records (transactionally, with
 * positions, envelope and headers), read back by {@code consumer rebuild}, equals Letta Code's
 * buffers in {@code expected/<case>.json}, compared as the projection's own conformance test does.
 * The resume case is recorded as the recorder would record it: two connections, one run.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RebuildConformanceIT {

    static KafkaBroker broker;
    static Cli singleRuns;
    static Cli resumedRun;

    @BeforeAll
    static void recordFixtures() {
        String topic = broker.uniqueTopic("conformance");
        broker.createTopic(topic, 3);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            for (String run : LettaFixtures.RUNS) {
                if (!run.startsWith("07")) {
                    producer.append(FixtureLog.of(run).records());
                }
            }
        }
        String resumeTopic = broker.uniqueTopic("conformance-resume");
        broker.createTopic(resumeTopic, 1);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), resumeTopic)) {
            producer.append(FixtureLog.of("07a-resume-initial-connection", "07b-resume-replay-after-150")
                    .records());
        }
        singleRuns = Cli.against(broker.bootstrapServers(), topic);
        resumedRun = Cli.against(broker.bootstrapServers(), resumeTopic);
    }

    static Stream<String> cases() {
        return LettaFixtures.EXPECTED.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rebuildFromTheLogEqualsLettaCodesBuffers(String expectedCase) throws Exception {
        List<String> drains = Fixtures.drainRunsOf(expectedCase);
        String run = FixtureLog.originalRunId(drains.getFirst());
        List<String> args = new ArrayList<>(List.of("rebuild", run, "--format", "letta-code"));
        if (Fixtures.tokenStreaming(expectedCase)) {
            args.add("--token-streaming");
        }
        Cli cli = drains.size() > 1 ? resumedRun : singleRuns;
        Cli.Result result = cli.run(args.toArray(String[]::new));

        assertEquals(0, result.exitCode(), result.toString());
        assertConforms(expectedCase, Json.MAPPER.readTree(result.out()));
    }

    @Test
    void rebuildOfChunkFilesAsSuccessiveDrainsConformsToo(@TempDir Path dir) throws Exception {
        Path first = Files.write(dir.resolve("07a.jsonl"), LettaFixtures.chunkLines("07a-resume-initial-connection"));
        Path second = Files.write(dir.resolve("07b.jsonl"), LettaFixtures.chunkLines("07b-resume-replay-after-150"));

        Cli.Result result = new Cli(java.time.Clock.systemUTC())
                .runExactly("rebuild", "--input", first.toString(), second.toString());

        assertEquals(0, result.exitCode(), result.toString());
        assertConforms("07-resume", Json.MAPPER.readTree(result.out()));
    }

    @Test
    void exportThenRebuildFromTheFileEqualsRebuildFromTheLog(@TempDir Path dir) throws Exception {
        for (String fixture :
                LettaFixtures.RUNS.stream().filter(r -> !r.startsWith("07")).toList()) {
            String run = FixtureLog.originalRunId(fixture);
            Cli.Result exported = singleRuns.run("export", run);
            assertEquals(0, exported.exitCode(), exported.toString());
            Path file = Files.writeString(dir.resolve(fixture + ".jsonl"), exported.out());

            Cli.Result fromFile =
                    new Cli(java.time.Clock.systemUTC()).runExactly("rebuild", "--input", file.toString());
            Cli.Result fromLog = singleRuns.run("rebuild", run);

            assertEquals(0, fromFile.exitCode(), fromFile.toString());
            assertEquals(Json.MAPPER.readTree(fromLog.out()), Json.MAPPER.readTree(fromFile.out()), fixture);
        }
    }

    private static void assertConforms(String expectedCase, JsonNode actual) {
        JsonNode expected = Fixtures.expected(expectedCase);
        assertTrue(
                Fixtures.jsonEquals(expected.get("buffers"), actual.get("buffers")),
                () -> "buffers differ for " + expectedCase + ":\n" + actual.toPrettyString());
        for (String field :
                List.of("stopReason", "sawStopReasonChunk", "lastRunId", "lastSeqId", "approvals", "fallbackError")) {
            assertTrue(
                    Fixtures.jsonEquals(
                            expected.get("drainResult").get(field),
                            actual.get("drainResult").get(field)),
                    () -> "drainResult." + field + " differs for " + expectedCase + ":\n" + actual.toPrettyString());
        }
    }
}
