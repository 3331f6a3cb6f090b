package dev.lsr.consumer.cli;

import dev.lsr.cli.SecretFiles;
import dev.lsr.consumer.cli.internal.LogSession;
import dev.lsr.kernel.Signals;
import dev.lsr.observability.ConnectionLimit;
import dev.lsr.observability.Endpoints;
import dev.lsr.observability.HealthCheck;
import dev.lsr.replay.ReplayServer;
import dev.lsr.viewer.Viewer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code consumer serve}: Letta's runs API served from the log (docs/replay-server.md), the run viewer at
 * {@code /} (docs/viewer.md), {@code /metrics} and {@code /health/*}, until SIGTERM or Ctrl-C. The global
 * options choose the Kafka and topic, as for every other subcommand. With an API key, the viewer asks for
 * it too (it shows the transcripts); the metrics and probes stay open, as scrapers and probes send none.
 */
@Command(
        name = "serve",
        description = "Serve Letta's runs API (stream, list, retrieve) from the log over HTTP, the run viewer at /,"
                + " /metrics and /health/*, until Ctrl-C.")
final class ServeCommand extends LogCommand {

    static final String DEFAULT_PORT = "8284";
    static final String DEFAULT_BIND = "127.0.0.1";
    static final String DEFAULT_KEEPALIVE = "20s";
    static final String DEFAULT_MAX_STREAMS = "" + ReplayServer.DEFAULT_MAX_STREAMS;
    static final String DEFAULT_WRITE_TIMEOUT = "60s";

    @Option(
            names = "--port",
            defaultValue = DEFAULT_PORT,
            description = "The HTTP port (0: any free port; default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--bind",
            defaultValue = DEFAULT_BIND,
            paramLabel = "ADDRESS",
            description = "The address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String bind;

    @Option(
            names = "--api-key-file",
            paramLabel = "FILE",
            description = "A file holding the API key clients must send as 'Authorization: Bearer <key>'"
                    + " (default: none, no key asked).")
    Path apiKeyFile;

    @Option(
            names = "--allowed-host",
            paramLabel = "NAME",
            description = "Without --api-key-file, one more host name the server answers for (repeatable), e.g. its"
                    + " name behind a proxy; otherwise only localhost, IP addresses and the --bind address (a guard"
                    + " against DNS rebinding). No effect with a key.")
    List<String> allowedHosts = new ArrayList<>();

    @Option(
            names = "--upstream",
            paramLabel = "URL",
            description = "The Letta server to pass every other /v1 route to (default: none, they answer 501).")
    URI upstream;

    @Option(
            names = "--upstream-api-key-file",
            paramLabel = "FILE",
            description = "A file holding the key sent to the upstream as 'Authorization: Bearer <key>' (default:"
                    + " the client's own; never the key of --api-key-file).")
    Path upstreamApiKeyFile;

    @Option(
            names = "--keepalive",
            defaultValue = DEFAULT_KEEPALIVE,
            converter = ConsumerCli.DurationConverter.class,
            description = "Silence after which a live stream gets a keepalive ping (default: ${DEFAULT-VALUE}).")
    Duration keepalive;

    @Option(
            names = "--write-timeout",
            defaultValue = DEFAULT_WRITE_TIMEOUT,
            converter = ConsumerCli.DurationConverter.class,
            description = "How long a write of a response (a stream, a JSON answer, a viewer page or live page's"
                    + " events; not /metrics nor the probes) may stay blocked, its client reading nothing, before it"
                    + " ends and its connection is closed; at most a day (default: ${DEFAULT-VALUE}).")
    Duration writeTimeout;

    @Option(
            names = "--max-streams",
            defaultValue = DEFAULT_MAX_STREAMS,
            paramLabel = "N",
            description = "How many streams may be open at once (replayed, proxied to --upstream, and the viewer's live"
                    + " pages' event streams); one more is"
                    + " answered 503 with Retry-After: 1 (default: ${DEFAULT-VALUE}). The port takes 256 connections"
                    + " more than this, unless -Djdk.httpserver.maxConnections says otherwise.")
    int maxStreams;

    @Override
    public Integer call() {
        String apiKey = readKey("--api-key-file", apiKeyFile);
        String upstreamApiKey = readKey("--upstream-api-key-file", upstreamApiKeyFile);
        ReplayServer.Builder replay = configured(apiKey, upstreamApiKey);
        PrintWriter out = out();
        // the streams are bounded and answered 503 beyond; the connections beyond them (idle ones, a flood) are
        // bounded by the JDK, which refuses past its cap silently: 256 more than the streams, before any server starts
        try {
            ConnectionLimit.applyDefaultAbove(maxStreams);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage() + " (--max-streams)", e);
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        try (LogSession session = cli.openSession()) {
            session.requireTopic();
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            // closed in reverse order: the server stops answering before the viewer goes
            try (Viewer viewer = Viewer.start(
                            new HashMap<>(session.settings().clientProperties()),
                            session.topic(),
                            cli.timeout,
                            writeTimeout);
                    ReplayServer server = start(replay, session)) {
                viewer.handlers().forEach(server::mount);
                observe(server, registry);
                out.println("replay server: " + server.baseUrl() + " (topic " + session.topic() + "); run viewer: "
                        + server.baseUrl() + "/");
                out.flush();
                // SIGTERM/SIGINT end the wait and serve returns 0; where signals cannot be handled, a
                // shutdown hook stops the server before the JVM exits (the status is then the JVM's)
                Signals.onTermination(stop::countDown, () -> {
                    stop.countDown();
                    awaitQuietly(stopped);
                });
                awaitQuietly(stop);
            } finally {
                registry.close();
            }
        } finally {
            stopped.countDown();
        }
        return ExitCodes.OK;
    }

    /** The server's settings that need no Kafka: a setting it refuses is a usage error before any connection. */
    private ReplayServer.Builder configured(String apiKey, String upstreamApiKey) {
        try {
            ReplayServer.Builder builder = ReplayServer.builder()
                    .bind(bind)
                    .port(port)
                    .apiKey(apiKey)
                    .upstream(upstream)
                    .upstreamApiKey(upstreamApiKey)
                    .keepalive(keepalive)
                    .writeTimeout(writeTimeout)
                    .maxStreams(maxStreams)
                    .metadataTimeout(cli.timeout);
            allowedHosts.forEach(builder::allowedHost);
            return builder;
        } catch (IllegalArgumentException e) {
            // its message names the setting, never a key's value
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    private static ReplayServer start(ReplayServer.Builder replay, LogSession session) {
        try {
            return replay.clientProperties(new HashMap<>(session.settings().clientProperties()))
                    .topic(session.topic())
                    .start();
        } catch (UncheckedIOException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage() + " (is the port taken? --port, --bind)", e);
        } catch (IllegalArgumentException e) {
            // a setting the server refuses (its message names it, never a key's value)
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    /**
     * {@code /metrics} (the JVM's and the index's meters) and the probes: ready once the log is indexed,
     * and not while the index is not following it (retrying a failed read, or stopped for good).
     */
    private static void observe(ReplayServer server, PrometheusMeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        ReplayMeters.SERVER.bindTo(registry, server);
        Map<String, HealthCheck> readiness = Map.of("index", () -> {
            String why = server.notReadyReason();
            return why == null ? HealthCheck.Result.ok() : HealthCheck.Result.failing(why);
        });
        Endpoints.handlers(registry, readiness).forEach(server::mountOpen);
    }

    /** The key in {@code file}, stripped; null without a file. */
    private static String readKey(String option, Path file) {
        if (file == null) {
            return null;
        }
        try {
            return SecretFiles.read(option, file.toString());
        } catch (SecretFiles.UnreadableSecretFileException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
