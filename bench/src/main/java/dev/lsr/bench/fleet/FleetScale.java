package dev.lsr.bench.fleet;

import dev.lsr.kafka.EmbeddedKafkaBroker;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Ingest with 1, 2 and 3 fleet members against one broker (issue 11; not in CI): the same letta-sim workload
 * each time. Each member process's CPU is measured twice:
 *
 * <ul>
 *   <li><b>under load</b>, between the moments {@value #WINDOW_FROM_PERCENT} % and {@value #WINDOW_TO_PERCENT} %
 *       of the workload's chunks are committed (JVM start, most of the JIT warm-up and the group join stay out);
 *   <li><b>idle</b>, for {@link #IDLE} once no chunk was committed for 5 s (the runs ended): what a member costs
 *       with nothing to record (group heartbeats, the intake poll, the watcher on partition 0's owner, timers,
 *       the JIT finishing).
 * </ul>
 *
 * <p>Reported per 1,000 chunks committed in the window: each member and the fleet total, split into the JIT's
 * compiler threads' CPU in the window (from {@code /proc}; a warm-up every member pays once, whatever its
 * share), the fleet's fixed cost (the idle rate times the window's length) and
 * the marginal cost (the rest): the work that grows with the chunks, which separate machines would share.
 * Then, for n = 2 and 3, one member alone with 1/n of the partitions and 1/n of the runs (each partition at the
 * same rate as in the fleet): what one member of a fleet of n does on a machine of its own, without the others
 * competing for this machine's cores. Arguments: runs (default 120), chunks per
 * run (default 250). {@code -Dbench.member.jvm="-XX:StartFlightRecording=..."} adds JVM options to the members.
 *
 * <pre>java -cp bench/target/bench-all.jar dev.lsr.bench.fleet.FleetScale 200 400</pre>
 */
public final class FleetScale {

    private static final int PARTITIONS = 6;
    private static final int WINDOW_FROM_PERCENT = 50;
    /** Below 100 %: the sim ends some runs early (cancelled, failed), so the workload's total is never reached. */
    private static final int WINDOW_TO_PERCENT = 75;

    private static final Duration IDLE = Duration.ofSeconds(15);
    /** New runs per second of the whole workload. */
    private static final double ARRIVALS = 4;

    private FleetScale() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 120;
        int chunksPerRun = args.length > 1 ? Integer.parseInt(args[1]) : 250;
        Path dir = Files.createTempDirectory("fleet-scale");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(dir.resolve("kafka"))
                .port(0)
                .start()) {
            for (int members = 1; members <= 3; members++) {
                measure(
                        broker,
                        dir,
                        new Shape("fleet of " + members, members, runs, ARRIVALS, PARTITIONS),
                        chunksPerRun);
            }
            // what one member of a fleet of n does on a machine of its own: 1/n of the partitions at the same
            // rate each, so 1/n of the runs; nothing else on the machine competes with it
            for (int n = 2; n <= 3; n++) {
                measure(
                        broker,
                        dir,
                        new Shape("alone, as 1 of " + n, 1, runs / n, ARRIVALS / n, PARTITIONS / n),
                        chunksPerRun);
            }
        }
    }

    /** One measured configuration: how many members, and the workload and partitions they share. */
    private record Shape(String name, int members, int runs, double arrivalsPerSecond, int partitions) {}

    private static void measure(EmbeddedKafkaBroker broker, Path dir, Shape shape, int chunksPerRun) throws Exception {
        String topic = "scale-" + shape.name().replaceAll("[^a-z0-9]+", "-");
        Workload workload = Workload.builder(shape.members())
                .agents(10)
                .conversationsPerAgent(6)
                .runs(shape.runs())
                .chunksPerRun(chunksPerRun)
                .chunksPerSecond(50)
                .arrivalRate(shape.arrivalsPerSecond())
                .build();
        try (LettaSim sim = LettaSim.builder().workload(workload).start();
                FleetProcesses fleet = new FleetProcesses(
                        List.of(broker.bootstrapServers(), sim.baseUrl(), topic, Integer.toString(shape.partitions())),
                        dir.resolve(topic));
                CommittedChunks log = new CommittedChunks(broker.bootstrapServers(), topic, shape.partitions())) {
            int members = shape.members();
            int runs = shape.runs();
            for (int i = 0; i < members; i++) {
                fleet.start();
            }
            long expected = (long) runs * chunksPerRun;
            long fromChunks = awaitChunks(log, expected * WINDOW_FROM_PERCENT / 100);
            long fromNanos = System.nanoTime();
            List<Duration> fromCpu = cpu(fleet);
            List<Duration> fromJit = jit(fleet);
            long toChunks = awaitChunks(log, expected * WINDOW_TO_PERCENT / 100);
            long windowNanos = System.nanoTime() - fromNanos;
            List<Duration> toCpu = cpu(fleet);
            List<Duration> toJit = jit(fleet);
            awaitQuiet(log);
            List<Duration> idleFrom = cpu(fleet);
            long idleStart = System.nanoTime();
            Thread.sleep(IDLE);
            long idleNanos = System.nanoTime() - idleStart;
            List<Duration> idleTo = cpu(fleet);
            report(
                    shape.name(),
                    members,
                    toChunks - fromChunks,
                    windowNanos,
                    between(fromCpu, toCpu),
                    between(fromJit, toJit),
                    between(idleFrom, idleTo),
                    idleNanos);
            for (Process member : List.copyOf(fleet.members())) {
                fleet.terminate(member);
            }
        }
    }

    private static void report(
            String name,
            int members,
            long chunks,
            long windowNanos,
            List<Long> loadMillis,
            List<Long> jitMillis,
            List<Long> idleMillis,
            long idleNanos) {
        List<String> perMember = new ArrayList<>();
        List<String> idlePerSecond = new ArrayList<>();
        long total = 0;
        long jit = 0;
        double fixed = 0;
        for (int i = 0; i < members; i++) {
            total += loadMillis.get(i);
            jit += jitMillis.get(i);
            // each member records about 1/members of the chunks (the partitions are spread evenly)
            perMember.add(String.format("%.0f", loadMillis.get(i) * 1000.0 / (chunks / (double) members)));
            double idleRate = idleMillis.get(i) * 1e9 / idleNanos; // CPU ms per second, idle
            idlePerSecond.add(String.format("%.0f", idleRate));
            fixed += idleRate * windowNanos / 1e9;
        }
        double perThousand = 1000.0 / chunks;
        System.out.printf(
                "fleet scale: %s: %d chunks in a window of %.1f s; CPU ms per 1,000 chunks: per member %s,"
                        + " fleet total %.0f = JIT compilation %.0f + fixed %.0f (idle CPU ms/s per member %s)"
                        + " + marginal %.0f%n",
                name,
                chunks,
                windowNanos / 1e9,
                perMember,
                total * perThousand,
                jit * perThousand,
                fixed * perThousand,
                idlePerSecond,
                (total - jit - fixed) * perThousand);
    }

    /**
     * Waits until no chunk was committed for 5 s: the workload is over (a run the sim ends early, cancelled or
     * failed, has fewer chunks than asked, so the count alone cannot tell).
     */
    private static void awaitQuiet(CommittedChunks log) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long last = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < Duration.ofSeconds(5).toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("chunks still being committed after 10 minutes: " + log.chunks());
            }
            long now = log.poll().chunks();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
            Thread.sleep(500);
        }
    }

    private static List<Long> between(List<Duration> from, List<Duration> to) {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            millis.add(to.get(i).minus(from.get(i)).toMillis());
        }
        return millis;
    }

    private static long awaitChunks(CommittedChunks log, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (log.poll().chunks() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + log.chunks() + " chunks committed, waiting for " + atLeast);
            }
            Thread.sleep(200);
        }
        return log.chunks();
    }

    private static List<Duration> jit(FleetProcesses fleet) {
        return fleet.members().stream().map(FleetProcesses::jitCpu).toList();
    }

    private static List<Duration> cpu(FleetProcesses fleet) {
        return fleet.members().stream().map(FleetProcesses::cpu).toList();
    }
}
