package dev.lsr.bench.system.internal;

import dev.lsr.bench.system.BenchSettings;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every scenario of one run shares: the broker, the sizes, a work dir, unique topic names and
 * the large pre-filled log (built once, by the first scenario that needs it).
 */
public final class BenchContext {

    private final BenchKafka kafka;
    private final BenchSettings settings;
    private final Path workDir;
    private final AtomicInteger topics = new AtomicInteger();
    private FilledLog largeLog;

    public BenchContext(BenchKafka kafka, BenchSettings settings, Path workDir) {
        this.kafka = kafka;
        this.settings = settings;
        this.workDir = workDir;
    }

    public BenchKafka kafka() {
        return kafka;
    }

    public BenchSettings settings() {
        return settings;
    }

    public Path workDir() {
        return workDir;
    }

    /** A topic name not used before in this run. */
    public String newTopic(String prefix) {
        return "bench." + prefix + "." + topics.incrementAndGet();
    }

    /**
     * The large log of finished runs (full: at least 1M chunks over thousands of runs; smoke: small),
     * with the checkpoints the recorder writes for them (its topics, its topic settings), filled on
     * first use and kept for the later scenarios.
     */
    public synchronized FilledLog largeLog() {
        if (largeLog == null) {
            String topic = newTopic("large-log");
            RecorderTopics.create(kafka, topic);
            largeLog = new ChunkLogFiller(kafka, topic).fill(settings.size(20_000, 1_000_000), "large");
        }
        return largeLog;
    }
}
