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
 * each time, CPU of each member process measured between the moments 20 % and 80 % of the workload's chunks
 * are committed (so JVM start, JIT warm-up and the group join stay out), reported per 1,000 chunks committed
 * in that window: per member and for the fleet. Arguments: runs (default 120), chunks per run (default 250).
 *
 * <pre>java -cp bench/target/bench.jar dev.lsr.bench.fleet.FleetScale</pre>
 */
public final class FleetScale {

    private static final int PARTITIONS = 6;

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
                measure(broker, dir, members, runs, chunksPerRun);
            }
        }
    }

    private static void measure(EmbeddedKafkaBroker broker, Path dir, int members, int runs, int chunksPerRun)
            throws Exception {
        String topic = "scale-" + members;
        Workload workload = Workload.builder(members)
                .agents(10)
                .conversationsPerAgent(6)
                .runs(runs)
                .chunksPerRun(chunksPerRun)
                .chunksPerSecond(50)
                .arrivalRate(4)
                .build();
        try (LettaSim sim = LettaSim.builder().workload(workload).start();
                FleetProcesses fleet = new FleetProcesses(
                        List.of(broker.bootstrapServers(), sim.baseUrl(), topic), dir.resolve(topic));
                CommittedChunks log = new CommittedChunks(broker.bootstrapServers(), topic, PARTITIONS)) {
            for (int i = 0; i < members; i++) {
                fleet.start();
            }
            long expected = (long) runs * chunksPerRun;
            long fromChunks = awaitChunks(log, expected / 5);
            List<Duration> fromCpu = cpu(fleet);
            long toChunks = awaitChunks(log, expected * 4 / 5);
            List<Duration> toCpu = cpu(fleet);
            long chunks = toChunks - fromChunks;
            List<String> perMember = new ArrayList<>();
            long totalMillis = 0;
            for (int i = 0; i < members; i++) {
                long millis = toCpu.get(i).minus(fromCpu.get(i)).toMillis();
                totalMillis += millis;
                // each member records about 1/members of the chunks (the partitions are spread evenly)
                perMember.add(String.format("%.0f", millis * 1000.0 / (chunks / (double) members)));
            }
            System.out.printf(
                    "fleet scale: %d member(s): %d chunks in the window; CPU ms per 1,000 chunks: per member %s,"
                            + " fleet total %.0f%n",
                    members, chunks, perMember, totalMillis * 1000.0 / chunks);
            for (Process member : List.copyOf(fleet.members())) {
                fleet.terminate(member);
            }
        }
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

    private static List<Duration> cpu(FleetProcesses fleet) {
        return fleet.members().stream().map(FleetProcesses::cpu).toList();
    }
}
