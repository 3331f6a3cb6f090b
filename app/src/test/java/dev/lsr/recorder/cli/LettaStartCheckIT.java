package dev.lsr.recorder.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lsr.recorder.testing.LogCapture;
import dev.lsr.sim.LettaSim;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder command checks its Letta URL before anything else starts: a URL that is not Letta, a
 * closed port and a wrong API key stop it with exit 2 and one line saying what answered instead, and
 * the embedded broker never starts (its data directory is never created).
 */
class LettaStartCheckIT {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aWebPageAnsweringWith200StopsTheRecorderWithOneLineQuotingThePage() throws Exception {
        try (MockWebServer web = new MockWebServer()) {
            web.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return new MockResponse.Builder()
                            .setHeader("Content-Type", "text/html; charset=utf-8")
                            .body("<!DOCTYPE html>\n<html><body>Welcome to nginx!</body></html>")
                            .build();
                }
            });
            web.start(InetAddress.getLoopbackAddress(), 0);
            String url = web.url("/").toString();

            assertEquals(2, record(url, Map.of()), err.toString(UTF_8));

            String line = onlyLine();
            assertTrue(line.contains("does not answer like a Letta server"), line);
            assertTrue(
                    line.contains("text/html") && line.contains("<!DOCTYPE html> <html><body>Welcome to nginx!"), line);
            assertBrokerNeverStarted();
        }
    }

    @Test
    void aClosedPortStopsTheRecorderWithOneLine() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        assertEquals(2, record("http://127.0.0.1:" + port, Map.of()), err.toString(UTF_8));

        String line = onlyLine();
        assertTrue(line.contains("Letta at http://127.0.0.1:" + port + " is not reachable"), line);
        assertBrokerNeverStarted();
    }

    @Test
    void aWrongApiKeyIsRefusedBeforeTheEmbeddedBrokerStarts() throws Exception {
        String wrongKey = "sk-let-wrong-4711";
        try (LettaSim sim = LettaSim.builder().apiKey("sk-let-right-0815").start()) {

            assertEquals(2, record(sim.baseUrl(), Map.of(ConfigParser.API_KEY_ENV, wrongKey)), err.toString(UTF_8));

            String line = onlyLine();
            assertTrue(line.contains("refused the API key") && line.contains("HTTP 401"), line);
            assertFalse(line.contains(wrongKey), line);
            assertBrokerNeverStarted();
        }
    }

    @Test
    void theCloudHeadersReachLettaAndASecretLookingOneIsNeverLogged() throws Exception {
        try (MockWebServer letta = new MockWebServer();
                LogCapture logs = LogCapture.capture()) {
            letta.enqueue(new MockResponse.Builder()
                    .code(403)
                    .setHeader("Content-Type", "application/json")
                    .body("{\"detail\":\"Project not accessible\"}")
                    .build());
            letta.start(InetAddress.getLoopbackAddress(), 0);

            int exit = record(
                    letta.url("/").toString(),
                    Map.of(),
                    "--letta-header",
                    "X-Project-Id=proj-1",
                    "--letta-header",
                    "X-BARE-PASSWORD=password hunter2");

            assertEquals(2, exit, err.toString(UTF_8));
            RecordedRequest check = letta.takeRequest(5, TimeUnit.SECONDS);
            assertEquals("proj-1", check.getHeaders().get("X-Project-Id"));
            assertEquals("password hunter2", check.getHeaders().get("X-BARE-PASSWORD"));
            assertTrue(onlyLine().contains("HTTP 403: Project not accessible"), err.toString(UTF_8));
            assertTrue(
                    logs.lines().stream().anyMatch(line -> line.contains("X-Project-Id=proj-1")),
                    "the config is logged");
            assertTrue(
                    logs.lines().stream().noneMatch(line -> line.contains("hunter2")), String.join("\n", logs.lines()));
            assertEquals(1, letta.getRequestCount(), "the scripted answer was served, and no request came unscripted");
        }
    }

    private int record(String lettaUrl, Map<String, String> env, String... extra) {
        String[] base = {
            "--letta-url",
            lettaUrl,
            "--no-watch",
            "--data-dir",
            tmp.resolve("kafka").toString(),
            "--embedded-port",
            "0",
            "--metrics-interval",
            "0"
        };
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
                .toArray(String[]::new);
        return RecorderCommand.mainNoExit(
                args,
                env,
                new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8),
                RecorderCommand::daemon);
    }

    private String onlyLine() {
        String text = err.toString(UTF_8);
        assertEquals(1, text.lines().count(), text);
        return text.strip();
    }

    private void assertBrokerNeverStarted() {
        assertFalse(Files.exists(tmp.resolve("kafka")), "the embedded broker started");
    }
}
