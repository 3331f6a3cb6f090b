package dev.lsr.viewer.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.testing.ChunkLogProducer;
import dev.lsr.consumer.testing.FixtureLog;
import dev.lsr.fixtures.LettaFixtures;
import dev.lsr.kafka.junit.KafkaBroker;
import dev.lsr.kafka.junit.KafkaBrokerExtension;
import dev.lsr.kernel.http.WriteDeadline;
import dev.lsr.viewer.Viewer;
import dev.lsr.viewer.model.RunQuery;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The viewer in a real browser: every fixture recorded into a real broker as the recorder writes it
 * (07a + 07b as one resumed run), the viewer's handlers served by a JDK HttpServer, and a headless
 * Chromium loading the pages and checking what a person would: the transcript text, a lane per tool
 * call, the first-content marker where the first content came, the resume marker, new runs and a
 * growing run appearing without a reload. Screenshots go to {@code target/viewer-screenshots/}.
 *
 * <p>Needs Debian's {@code chromium} ({@code .ci/run} installs it): without it the test is skipped
 * with the reason, except under CI ({@code CI=true}), where it fails.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class ViewerBrowserIT {

    static final String RUN_05 = FixtureLog.originalRunId("05-long-run-with-pings");
    static final String RESUMED = "run-07a07b-resumed-4ca67353";
    static final Path SCREENSHOTS = Path.of("target", "viewer-screenshots");
    static final Duration PATIENCE = Duration.ofSeconds(60);

    static KafkaBroker broker;
    static String topic;
    static Viewer viewer;
    static HttpServer server;
    static String base;
    static Chromium browser;

    @BeforeAll
    static void recordFixturesServeTheViewerAndOpenABrowser() throws IOException {
        Path chromium = Chromium.binary();
        if (chromium == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("no Chromium at /usr/bin/chromium: .ci/run installs it");
            }
            Assumptions.abort("no Chromium at /usr/bin/chromium (apt-get install chromium); CI runs this test");
        }
        topic = broker.uniqueTopic("viewer");
        broker.createTopic(topic, 3);
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            for (String run : LettaFixtures.RUNS) {
                if (!run.startsWith("07")) {
                    producer.append(FixtureLog.of(run)
                            .agent("agent-" + run.substring(0, 2))
                            .records());
                }
            }
            producer.append(FixtureLog.of("07a-resume-initial-connection", "07b-resume-replay-after-150")
                    .runId(RESUMED)
                    .agent("agent-07")
                    .records());
        }
        viewer = Viewer.start(
                Map.of("bootstrap.servers", broker.bootstrapServers()),
                topic,
                Duration.ofSeconds(30),
                WriteDeadline.DEFAULT_LIMIT);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        viewer.handlers().forEach(server::createContext);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        Awaitility.await("the viewer read the log")
                .atMost(PATIENCE)
                .until(() -> viewer.catalog().query(RunQuery.all()).runsInLog() == 7);
        Path profile = Files.createDirectories(Path.of("target", "chromium")).resolve("profile-" + System.nanoTime());
        browser = Chromium.launch(chromium, profile, 1280, 900);
        browser.viewport(1280, 900, false);
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.stop(0);
        }
        if (viewer != null) {
            viewer.close();
        }
    }

    @Test
    void theRunsPageListsEveryRunNewestFirstAndFilters() throws IOException {
        browser.viewport(1280, 900, false);
        browser.navigate(base + "/");

        // the live tests below add runs of their own, newer than the fixtures; every fixture run is here
        List<String> shown = texts("Array.from(document.querySelectorAll('tr.run')).map(r => r.dataset.runId)");
        for (String run : LettaFixtures.RUNS) {
            if (!run.startsWith("07")) {
                assertTrue(shown.contains(FixtureLog.originalRunId(run)), run + " in " + shown);
            }
        }
        assertTrue(shown.contains(RESUMED), shown.toString());
        List<String> starts = texts("Array.from(document.querySelectorAll('tr.run time')).map(t => t.dateTime)");
        assertEquals(starts.stream().sorted(java.util.Comparator.reverseOrder()).toList(), starts);
        String row05 = "document.querySelector('tr.run[data-run-id=\"" + RUN_05 + "\"]')";
        assertEquals(
                "completed",
                browser.evaluate(row05 + ".querySelector('.badge').textContent").asText());
        assertTrue(browser.evaluate(row05 + ".textContent").asText().contains("2.0 s"), "time to first content");
        browser.screenshot(SCREENSHOTS.resolve("runs.png"));

        browser.navigate(base + "/?agent=agent-07");
        assertEquals(
                List.of(RESUMED), texts("Array.from(document.querySelectorAll('tr.run')).map(r => r.dataset.runId)"));
        assertEquals(
                "1",
                browser.evaluate("document.querySelector('tr.run td.num.warn').textContent")
                        .asText());

        browser.navigate(base + "/?status=failed");
        assertEquals(
                List.of(FixtureLog.originalRunId("04-error-mid-run")),
                texts("Array.from(document.querySelectorAll('tr.run')).map(r => r.dataset.runId)"));
    }

    @Test
    void theRunPageOfFixture05ShowsTranscriptLanesAndTheFirstContentMarker() throws IOException {
        browser.viewport(1280, 900, false);
        browser.navigate(base + "/runs/" + RUN_05);

        String transcript = browser.evaluate("document.querySelector('ol.transcript').textContent")
                .asText();
        assertTrue(transcript.contains("A short history of Lisbon's trams"), transcript);
        assertTrue(transcript.contains("route 15 runs modern articulated trams to Bel\u00e9m."), transcript);
        assertTrue(transcript.contains("web_search"), "the tool call");
        assertEquals(
                1,
                browser.evaluate("document.querySelectorAll('svg.timeline .lane.tool').length")
                        .asInt());
        assertEquals(
                2,
                browser.evaluate("document.querySelectorAll('svg.timeline .lane.step').length")
                        .asInt());
        assertEquals(
                0,
                browser.evaluate("document.querySelectorAll('svg.timeline .marker.resume').length")
                        .asInt());

        // the first content (hidden reasoning) came 2 s after the run's first record: the marker stands
        // at 2 s on the drawn axis, wherever the browser laid the chart out
        long ttfcMs = firstContentMs("05-long-run-with-pings");
        assertEquals(2000, ttfcMs);
        assertMarkerAt("ttfc", ttfcMs);
        assertEquals(
                "2.0 s",
                browser.evaluate("document.querySelector('.fact.ttfc dd').textContent")
                        .asText());
        assertTrue(
                browser.evaluate("document.querySelectorAll('svg.cadence rect.rate').length")
                                .asInt()
                        >= 5,
                "cadence bars");
        browser.screenshot(SCREENSHOTS.resolve("run-05.png"));
    }

    @Test
    void theResumedRun07a07bShowsItsResumeMarkerWhereTheConnectionWasResumed() throws IOException {
        browser.viewport(1280, 900, false);
        browser.navigate(base + "/runs/" + RESUMED);

        assertEquals(
                1,
                browser.evaluate("document.querySelectorAll('svg.timeline .marker.resume').length")
                        .asInt());
        // the recorder resumed after seq 150, whose chunk came 101 s after the start (17:32:11 → 17:33:52)
        assertMarkerAt("resume", 101_000);
        assertMarkerAt("ttfc", 2000);
        assertEquals(
                1,
                browser.evaluate("document.querySelectorAll('svg.timeline .lane.tool').length")
                        .asInt());
        String transcript = browser.evaluate("document.querySelector('ol.transcript').innerText")
                .asText();
        assertTrue(transcript.contains("route 15 runs modern articulated trams to Bel\u00e9m."), transcript);
        assertEquals(
                "1",
                browser.evaluate("document.querySelector('.fact.warn dd').textContent")
                        .asText());
        browser.screenshot(SCREENSHOTS.resolve("run-07a-07b-resumed.png"));
    }

    @Test
    void everyFixturesRunPageShowsItsOutcomeWithoutProblems() throws IOException {
        browser.viewport(1280, 900, false);
        for (String fixture : LettaFixtures.RUNS) {
            if (fixture.startsWith("07")) {
                continue;
            }
            browser.navigate(base + "/runs/" + FixtureLog.originalRunId(fixture));
            assertEquals(
                    0,
                    browser.evaluate("document.querySelectorAll('.problems').length")
                            .asInt(),
                    fixture);
            assertEquals(
                    "false",
                    browser.evaluate("document.querySelector('.run-header').dataset.recording")
                            .asText());
            assertTrue(browser.evaluate("document.querySelectorAll('ol.transcript > li').length")
                            .asInt()
                    > 0);
            browser.screenshot(SCREENSHOTS.resolve("run-" + fixture.substring(0, 2) + ".png"));
        }
        browser.navigate(base + "/runs/" + FixtureLog.originalRunId("03-parallel-approvals"));
        assertEquals(
                2,
                browser.evaluate("document.querySelectorAll('svg.timeline .lane.tool.pending').length")
                        .asInt());
        assertEquals(
                2,
                browser.evaluate("document.querySelectorAll('ol.transcript .msg.approval').length")
                        .asInt());
        browser.navigate(base + "/runs/" + FixtureLog.originalRunId("04-error-mid-run"));
        assertEquals(
                "failed",
                browser.evaluate("document.querySelector('.run-header .badge').textContent")
                        .asText());
        assertEquals(
                1,
                browser.evaluate("document.querySelectorAll('ol.transcript .msg.error').length")
                        .asInt());
    }

    @Test
    void onAPhoneThePagesFitTheScreenAndTheChartsScrollSideways() throws IOException {
        browser.viewport(390, 844, true);
        try {
            browser.navigate(base + "/runs/" + RUN_05);
            assertTrue(
                    browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
                            .asBoolean(),
                    "the page is not wider than the phone");
            browser.screenshot(SCREENSHOTS.resolve("run-05-phone.png"));
            browser.navigate(base + "/");
            assertTrue(browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
                    .asBoolean());
            browser.screenshot(SCREENSHOTS.resolve("runs-phone.png"));
        } finally {
            browser.viewport(1280, 900, false);
        }
    }

    @Test
    void runsAppendedAfterThePageLoadedAppearWithoutAReload() throws IOException {
        browser.viewport(1280, 900, false);
        browser.navigate(base + "/");
        awaitLive();
        browser.evaluate("window.loadedOnce = true");

        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(FixtureLog.of("01-simple-reply")
                    .runId("run-live-appended")
                    .agent("agent-live")
                    .shiftedBy(Duration.ofDays(1))
                    .records());
        }

        Awaitility.await("the new run on the page")
                .atMost(PATIENCE)
                .until(() -> browser.evaluate("!!document.querySelector('tr.run[data-run-id=\"run-live-appended\"]')")
                        .asBoolean());
        assertTrue(browser.evaluate("window.loadedOnce === true").asBoolean(), "the page was not reloaded");
    }

    @Test
    void aRunStillBeingRecordedGrowsOnItsPage() throws IOException {
        List<ChunkLogRecord> records = FixtureLog.of("02-tool-call-two-steps")
                .runId("run-live-growing")
                .agent("agent-live")
                .shiftedBy(Duration.ofDays(2))
                .records();
        int half = records.size() / 3;
        try (ChunkLogProducer producer = new ChunkLogProducer(broker.bootstrapServers(), topic)) {
            producer.append(records.subList(0, half));
            Awaitility.await().atMost(PATIENCE).until(() -> viewer.catalog().row("run-live-growing") != null);
            browser.viewport(1280, 900, false);
            browser.navigate(base + "/runs/run-live-growing");
            awaitLive();
            assertEquals(
                    "true",
                    browser.evaluate("document.querySelector('.run-header').dataset.recording")
                            .asText());
            assertEquals(
                    "running",
                    browser.evaluate("document.querySelector('.run-header .badge').textContent")
                            .asText());

            producer.append(records.subList(half, records.size()));
        }

        Awaitility.await("the rest of the run on the page")
                .atMost(PATIENCE)
                .until(
                        () -> browser.evaluate("document.querySelector('.run-header').dataset.recording")
                                .asText(),
                        "false"::equals);
        assertEquals(
                "completed",
                browser.evaluate("document.querySelector('.run-header .badge').textContent")
                        .asText());
        assertEquals(
                2,
                browser.evaluate("document.querySelectorAll('svg.timeline .lane.step').length")
                        .asInt());
        assertTrue(browser.evaluate("document.querySelector('ol.transcript').innerText")
                .asText()
                .contains("Lisbon"));
    }

    private static void awaitLive() {
        Awaitility.await("the page's event stream open")
                .atMost(PATIENCE)
                .until(() -> "open"
                        .equals(browser.evaluate("document.body.dataset.live || ''")
                                .asText()));
    }

    /** The marker's line, as drawn, stands at {@code atMs} on the chart's time axis (within 0.5 % of it). */
    private static void assertMarkerAt(String kind, long atMs) {
        JsonNode drawn = browser.evaluate("(() => {"
                + " const svg = document.querySelector('svg.timeline');"
                + " const line = svg.querySelector('.marker." + kind + " line');"
                + " const s = svg.getBoundingClientRect(), l = line.getBoundingClientRect();"
                + " const scale = s.width / svg.viewBox.baseVal.width;"
                + " return {x: (l.left + l.width / 2 - s.left) / scale, x0: +svg.dataset.x0, x1: +svg.dataset.x1,"
                + " duration: +svg.dataset.durationMs}; })()");
        double x0 = drawn.get("x0").asDouble();
        double x1 = drawn.get("x1").asDouble();
        double expected = x0 + (x1 - x0) * atMs / drawn.get("duration").asDouble();
        assertEquals(expected, drawn.get("x").asDouble(), (x1 - x0) * 0.005, kind + " marker: " + drawn);
    }

    /** From the fixture itself: first model output's date minus the first line's date. */
    private static long firstContentMs(String fixture) throws IOException {
        List<String> lines = LettaFixtures.chunkLines(fixture);
        OffsetDateTime start = OffsetDateTime.parse(
                Json.MAPPER.readTree(lines.getFirst()).get("date").asText());
        for (String line : lines) {
            JsonNode chunk = Json.MAPPER.readTree(line);
            if (List.of("reasoning_message", "hidden_reasoning_message", "assistant_message", "tool_call_message")
                    .contains(chunk.path("message_type").asText())) {
                return Duration.between(
                                start, OffsetDateTime.parse(chunk.get("date").asText()))
                        .toMillis();
            }
        }
        throw new AssertionError("no content in " + fixture);
    }

    private static List<String> texts(String expression) {
        List<String> texts = new java.util.ArrayList<>();
        browser.evaluate(expression).forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
