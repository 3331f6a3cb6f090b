package dev.lsr.replay.internal;

import com.sun.net.httpserver.HttpHandler;
import dev.lsr.kernel.LogReaders;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** What the replay server's handlers share: the run index and the catch-up consumers. */
public final class ReplayServices implements AutoCloseable {

    private final RunIndex index;
    private final ConsumerPool pool;
    private final RunsHandler runs;
    private final HttpHandler fallback;

    public ReplayServices(
            Map<String, Object> clientProperties,
            String topic,
            Duration metadataTimeout,
            Duration keepalive,
            Duration writeTimeout,
            int readers,
            HttpHandler fallback) {
        Map<String, Object> indexProperties = LogReaders.properties(clientProperties);
        // The broker answers an idle fetch after fetch.max.wait.ms (500 ms by default), and a commit marker
        // alone does not always wake it up: a short wait keeps commit-to-client latency low (one consumer).
        indexProperties.putIfAbsent("fetch.max.wait.ms", 10);
        this.index = new RunIndex(new KafkaConsumer<>(indexProperties), topic, metadataTimeout);
        this.pool = new ConsumerPool(clientProperties, readers);
        this.fallback = fallback;
        this.runs = new RunsHandler(
                index,
                new RunStreamer(index, pool, keepalive, Clock.systemUTC()),
                fallback,
                metadataTimeout,
                writeTimeout);
    }

    public void start() {
        index.start();
    }

    public RunIndex index() {
        return index;
    }

    /** How many stream responses are open now. */
    public int openStreams() {
        return runs.openStreams();
    }

    /** How many stream responses, and proxied responses, ended on a write blocked past the write timeout. */
    public long stalledStreams() {
        long proxied = fallback instanceof UpstreamProxy proxy ? proxy.stalledResponses() : 0;
        return runs.stalledStreams() + proxied;
    }

    public HttpHandler runsHandler() {
        return runs;
    }

    @Override
    public void close() {
        index.close();
        pool.close();
    }
}
