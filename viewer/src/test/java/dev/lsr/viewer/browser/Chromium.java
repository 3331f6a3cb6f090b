package dev.lsr.viewer.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lsr.chunklog.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven over the Chrome DevTools protocol with
 * the JDK's WebSocket client: one page, navigate, evaluate JavaScript, set the viewport, take PNG
 * screenshots. No WebDriver, nothing downloaded.
 */
public final class Chromium implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    /** Flags that work in a container as root, offline. */
    private static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--remote-debugging-port=0");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final String session;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, Path profile, WebSocket socket, Listener listener) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
        listener.owner = this;
        JsonNode target = send(null, "Target.createTarget", Map.of("url", "about:blank"));
        JsonNode attached = send(
                null,
                "Target.attachToTarget",
                Map.of("targetId", target.get("targetId").asText(), "flatten", true));
        this.session = attached.get("sessionId").asText();
        command("Page.enable", Map.of());
        command("Runtime.enable", Map.of());
    }

    /** The Chromium binary: {@code -Dlsr.chromium=PATH}, else Debian's {@code /usr/bin/chromium}; null if none. */
    public static Path binary() {
        String configured = System.getProperty("lsr.chromium");
        for (String candidate :
                configured != null ? List.of(configured) : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        return null;
    }

    public static Chromium launch(Path binary, Path profile, int width, int height) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(FLAGS);
        command.add("--user-data-dir=" + profile);
        command.add("--window-size=" + width + "," + height);
        command.add("about:blank");
        Path log = profile.resolveSibling(profile.getFileName() + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Path portFile = profile.resolve("DevToolsActivePort");
        Awaitility.await("Chromium's DevTools port (log: " + log + ")")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !process.isAlive()
                        || Files.exists(portFile)
                                && Files.readAllLines(portFile).size() >= 2);
        if (!process.isAlive()) {
            throw new IOException("Chromium exited with " + process.exitValue() + "; see " + log);
        }
        List<String> lines = Files.readAllLines(portFile);
        URI uri = URI.create(
                "ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
        Listener listener = new Listener();
        WebSocket socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .buildAsync(uri, listener)
                .join();
        return new Chromium(process, profile, socket, listener);
    }

    /** Loads a page and waits until it and its deferred script have run. */
    public void navigate(String url) {
        command("Page.navigate", Map.of("url", url));
        Awaitility.await("page " + url + " loaded")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> evaluate("document.readyState === 'complete' && location.href === " + quote(url))
                        .asBoolean());
    }

    /** The value of a JavaScript expression in the page (JSON-serialisable values). */
    public JsonNode evaluate(String expression) {
        JsonNode result = command("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + expression + ": "
                    + result.get("exceptionDetails").toString());
        }
        JsonNode value = result.path("result").get("value");
        return value == null ? Json.MAPPER.nullNode() : value;
    }

    /** A phone (touch, device scale 2) or a desktop window of the given CSS size. */
    public void viewport(int width, int height, boolean mobile) {
        command(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", mobile ? 2 : 1, "mobile", mobile));
    }

    /** The whole page (not just the viewport) as a PNG. */
    public Path screenshot(Path file) throws IOException {
        JsonNode metrics = command("Page.getLayoutMetrics", Map.of());
        JsonNode size = metrics.has("cssContentSize") ? metrics.get("cssContentSize") : metrics.get("contentSize");
        JsonNode shot = command(
                "Page.captureScreenshot",
                Map.of(
                        "format",
                        "png",
                        "captureBeyondViewport",
                        true,
                        "clip",
                        Map.of(
                                "x", 0,
                                "y", 0,
                                "width", size.get("width").asDouble(),
                                "height", size.get("height").asDouble(),
                                "scale", 1)));
        Files.createDirectories(file.getParent());
        return Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
    }

    private JsonNode command(String method, Map<String, ?> params) {
        return send(session, method, params);
    }

    private JsonNode send(String sessionId, String method, Map<String, ?> params) {
        long id = ids.incrementAndGet();
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("id", id).put("method", method).set("params", Json.MAPPER.valueToTree(params));
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(message.toString(), true).join();
        try {
            JsonNode response = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (response.has("error")) {
                throw new IllegalStateException(method + " failed: " + response.get("error"));
            }
            return response.path("result");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(method + " got no answer in " + COMMAND_TIMEOUT, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(method + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " interrupted", e);
        } finally {
            pending.remove(id);
        }
    }

    private void receive(String text) {
        try {
            JsonNode message = Json.MAPPER.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> answer =
                        pending.get(message.get("id").asLong());
                if (answer != null) {
                    answer.complete(message);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quote(String text) {
        return Json.MAPPER.getNodeFactory().textNode(text).toString();
    }

    @Override
    public void close() {
        try {
            send(null, "Browser.close", Map.of());
        } catch (RuntimeException e) {
            // it may already be gone
        }
        socket.abort();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Joins a message's fragments and hands complete messages on. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final List<String> early = new ArrayList<>();
        private volatile Chromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                Chromium chromium = owner;
                if (chromium != null) {
                    early.forEach(chromium::receive);
                    early.clear();
                    chromium.receive(text);
                } else {
                    early.add(text);
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    Path profile() {
        return profile;
    }
}
