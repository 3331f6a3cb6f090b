package dev.lsr.bench.fleet;

import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderDaemon;
import java.time.Duration;

/**
 * One fleet member as a child process of the fleet benchmarks: a watching {@link RecorderDaemon} with
 * {@code fleet(true)}, stopped cleanly on SIGTERM (a shutdown hook). Arguments: bootstrap servers, Letta URL,
 * topic, and optionally the chunk topic's partitions (default 6) and {@code lone} (a recorder outside any fleet).
 * A run is given up after {@link #ABANDON_AFTER} without progress while Letta answers (the recorder's default is
 * 30 min), so that the soak's Letta outages, longer than that, would abandon runs if they counted.
 */
public final class FleetMember {

    static final Duration ABANDON_AFTER = Duration.ofSeconds(30);

    private FleetMember() {}

    public static void main(String[] args) throws InterruptedException {
        RecorderConfig config = RecorderConfig.builder(args[1])
                .bootstrapServers(args[0])
                .topic(args[2])
                .partitions(args.length > 3 ? Integer.parseInt(args[3]) : 6)
                .fleet(!(args.length > 4 && args[4].equals("lone")))
                .pollInterval(Duration.ofMillis(250))
                .pingInterval(Duration.ofSeconds(2))
                .backoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                .abandonAfter(ABANDON_AFTER)
                .shutdownTimeout(Duration.ofSeconds(6))
                .build();
        RecorderDaemon daemon = RecorderDaemon.create(config);
        Thread thread = Thread.ofPlatform().name("recorder").start(daemon);
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close));
        thread.join();
        System.exit(daemon.failure().isPresent() ? 1 : 0);
    }
}
