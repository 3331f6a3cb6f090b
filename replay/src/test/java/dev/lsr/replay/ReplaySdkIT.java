package dev.lsr.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The official TypeScript SDK ({@code @letta-ai/letta-client}, pinned in {@code sdk/package-lock.json})
 * reads a recorded run from the replay server: {@code runs.messages.stream(run, {starting_after: 150})}
 * on fixture 05 yields exactly the chunks of 07b; {@code runs.list()} and {@code runs.retrieve()} parse.
 * Needs {@code node} and {@code npm} (CI installs them, .ci/run); skipped with the reason where absent, except under CI=true, where it fails.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ReplaySdkIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String KEY = "sdk-test-key";

    @Test
    void theOfficialSdkStreamsListsAndRetrievesARecordedRun(KafkaBroker broker) throws Exception {
        boolean nodeAndNpm = onPath("node") && onPath("npm");
        if (!nodeAndNpm && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("no node and npm on the PATH: .ci/run installs them");
        }
        assumeTrue(nodeAndNpm, "node and npm are not installed: the SDK check cannot run; CI runs it");
        Path sdk = installSdk();
        String topic = broker.uniqueTopic("replay-sdk");
        broker.createTopic(topic, 2);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("05-long-run-with-pings").records());
            producer.append(FixtureLog.of("01-simple-reply").records());
            producer.append(FixtureLog.of("02-tool-call-two-steps").records());
        }
        try (ReplayServer server = ReplayServer.builder()
                .clientProperties(Map.of("bootstrap.servers", broker.bootstrapServers()))
                .topic(topic)
                .port(0)
                .apiKey(KEY)
                .start()) {
            assertTrue(server.awaitIndexed(Duration.ofSeconds(60)));
            String run = ReplayServerIT.RUN_05;
            JsonNode out = MAPPER.readTree(
                    run(sdk, "node", "sdk-check.mjs", server.baseUrl().toString(), KEY, run, "150"));

            List<String> expected = new ArrayList<>();
            for (String line : LettaFixtures.chunkLines("07b-resume-replay-after-150")) {
                expected.add(MAPPER.readTree(line).toString());
            }
            List<String> got = new ArrayList<>();
            out.get("chunks").forEach(c -> got.add(c.toString()));
            assertEquals(expected, got);
            assertEquals(3, out.get("listed").size(), out.get("listed").toString());
            assertEquals(run, out.get("retrieved").get("id").asText());
            assertEquals("completed", out.get("retrieved").get("status").asText());
        }
    }

    /** Copies the pinned package into target/ and installs it with {@code npm ci} (once per build). */
    private static Path installSdk() throws IOException, InterruptedException {
        Path dir = Path.of("target", "sdk-check").toAbsolutePath();
        Files.createDirectories(dir);
        for (String file : List.of("package.json", "package-lock.json", "sdk-check.mjs")) {
            try (InputStream in = ReplaySdkIT.class.getResourceAsStream("/sdk/" + file)) {
                Files.write(dir.resolve(file), in.readAllBytes());
            }
        }
        if (!Files.isDirectory(dir.resolve("node_modules/@letta-ai/letta-client"))) {
            run(dir, "npm", "ci", "--no-audit", "--no-fund");
        }
        return dir;
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed: " + new String(out, UTF_8));
        return new String(out, UTF_8);
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
