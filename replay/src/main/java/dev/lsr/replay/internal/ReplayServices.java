package dev.lsr.replay.internal;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.lsr.kernel.LogReaders;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** What the replay server's handlers share: the run index, the catch-up consumers and the bound on open streams. */
public final class ReplayServices implements AutoCloseable {

    private final RunIndex index;
    private final ConsumerPool pool;
    private final RunsHandler runs;
    private final HttpHandler fallback;
    private final StreamLimit streams;

    public ReplayServices(
            Map<String, Object> clientProperties,
            String topic,
            Duration metadataTimeout,
            Duration keepalive,
            Duration writeTimeout,
            int readers,
            int maxStreams,
            HttpHandler fallback) {
        Map<String, Object> indexProperties = LogReaders.properties(clientProperties);
        // A commit marker wakes a fetch parked at the partition's end (CommitVisibility, docs/benchmarks.md: a
        // median 2.8-3.4 ms with Kafka's 500 ms wait); the short wait takes about a millisecond more off it.
        indexProperties.putIfAbsent("fetch.max.wait.ms", 10);
        this.index = new RunIndex(new KafkaConsumer<>(indexProperties), topic, metadataTimeout);
        this.pool = new ConsumerPool(clientProperties, readers);
        this.fallback = fallback;
        this.streams = new StreamLimit(maxStreams, InstantSource.system(), writeTimeout);
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

    /** How many stream responses are open now, replayed, proxied and mounted (what {@link #streamLimit} bounds). */
    public int openStreams() {
        return streams.open();
    }

    /** How many stream requests were refused because the limit of open streams was reached. */
    public long refusedStreams() {
        return streams.refused();
    }

    /**
     * The filter that bounds stream responses open at once, for a context whose requests {@code isStream} says are
     * streams (behind the authentication filter: a request without the key is answered 401 and takes no slot). One
     * count for every context.
     */
    public Filter streamLimit(Predicate<HttpExchange> isStream) {
        return streams.filter(isStream);
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
        if (fallback instanceof UpstreamProxy proxy) {
            proxy.close(); // its connections to the upstream and its client's threads
        }
    }
}
