package dev.lsr.consumer.cli;

import dev.lsr.replay.ReplayServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The replay server's meters on {@code /metrics} ({@code lsr.replay.*}, listed in docs/replay-server.md): what its
 * run index knows and how its reads of the log go, read from an index of type {@code T} with these functions.
 * Public for {@code MetricNamesDocTest}, which checks the names against the docs without a running server.
 */
public record ReplayMeters<T>(
        ToDoubleFunction<T> runsIndexed,
        ToDoubleFunction<T> streamsOpen,
        ToDoubleFunction<T> streamsStalled,
        ToDoubleFunction<T> answersStalled,
        ToDoubleFunction<T> streamsRefused,
        ToDoubleFunction<T> outages,
        ToDoubleFunction<T> failedReads,
        ToDoubleFunction<T> offsetsDeletedUnread) {

    /** The meters of a {@link ReplayServer}. */
    static final ReplayMeters<ReplayServer> SERVER = new ReplayMeters<>(
            ReplayServer::indexedRuns,
            ReplayServer::openStreams,
            ReplayServer::stalledStreams,
            ReplayServer::stalledAnswers,
            ReplayServer::refusedStreams,
            ReplayServer::indexOutages,
            ReplayServer::indexFailedReads,
            ReplayServer::indexOffsetsDeletedUnread);

    /** Registers the meters, reading {@code index} (held weakly by the registry, as Micrometer does). */
    public void bindTo(MeterRegistry registry, T index) {
        Gauge.builder("lsr.replay.runs.indexed", index, runsIndexed)
                .description("runs the replay server's index knows")
                .register(registry);
        Gauge.builder("lsr.replay.streams.open", index, streamsOpen)
                .description("stream responses the replay server has open: replayed (catching up or tailing), proxied,"
                        + " and the viewer's live pages' event streams")
                .register(registry);
        FunctionCounter.builder("lsr.replay.streams.stalled", index, streamsStalled)
                .description(
                        "stream responses (replayed, proxied, the viewer's event streams) ended because their client"
                                + " read nothing for the write timeout")
                .register(registry);
        FunctionCounter.builder("lsr.replay.answers.stalled", index, answersStalled)
                .description("whole answers (JSON answers, viewer pages) ended because their client read nothing for"
                        + " the write timeout")
                .register(registry);
        FunctionCounter.builder("lsr.replay.streams.refused", index, streamsRefused)
                .description("stream requests the replay server answered 503 because --max-streams streams were open")
                .register(registry);
        FunctionCounter.builder("lsr.replay.index.outages", index, outages)
                .description("times the replay server's run index started retrying its reads of the log")
                .register(registry);
        FunctionCounter.builder("lsr.replay.index.failed.reads", index, failedReads)
                .description("reads of the log by the replay server's run index that failed and were retried")
                .register(registry);
        FunctionCounter.builder("lsr.replay.index.offsets.deleted.unread", index, offsetsDeletedUnread)
                .description("offsets of the log deleted (retention, deleteRecords) before the run index read them")
                .register(registry);
    }
}
