package dev.lsr.bench.fleet;

import dev.lsr.kafka.EmbeddedKafkaBroker;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Ingest with 1, 2 and 3 fleet members against one broker (issue 11; not in CI): the same letta-sim workload
 * each time (the same rate of new runs, chunks per run and chunks per second per run). Each member process's
 * CPU is measured twice:
 *
 * <ul>
 *   <li><b>under load, warm</b>: once every member has recorded the same number of chunks (the warm-up, its
 *       share of {@code members × warm-up} committed chunks), over its next {@code window} chunks. Every member
 *       JVM has then run the hot paths as often as a lone recorder has at the same point, so the JIT has
 *       compiled as much of them: the comparison is between steady states, what a long-running fleet pays per
 *       chunk, not between JVMs at different stages of their warm-up;
 *   <li><b>idle</b>, for {@link #IDLE} once no chunk was committed for 5 s (the runs ended): what a member costs
 *       with nothing to record (group heartbeats, the intake poll, the watcher on partition 0's owner, timers,
 *       the JIT finishing).
 * </ul>
 *
 * <p>Reported per 1,000 chunks committed in the window: each member and the fleet total, split into the JIT's
 * compiler threads' CPU in the window (from {@code /proc}; a warm-up every member pays once, whatever its
 * share), the fleet's fixed cost (the idle rate times the window's length) and
 * the marginal cost (the rest): the work that grows with the chunks, which separate machines would share.
 * Then, for n = 2 and 3, one member alone with 1/n of the partitions and 1/n of the new runs (each partition at
 * the same rate as in the fleet): what one member of a fleet of n does on a machine of its own, without the
 * others competing for this machine's cores. And n such lone recorders side by side, each with its own topic,
 * sim and group: the fleet's load on this machine without the fleet, so that what membership of one fleet costs
 * shows apart from what sharing the machine costs. The configurations run in rounds, each round in the order
 * fleet of 1, then for n = 2, 3: fleet of n, alone as 1 of n, n side by side (so the rows compared are measured
 * close together); the summary gives each configuration's median over the rounds. Arguments: warm-up chunks per
 * member (default 80,000), window chunks per member (default 40,000), chunks per run (default 400), rounds
 * (default 1), and the load: {@code fixed} (default, the shapes above) or {@code grow}, scaling out as the load
 * grows (n members, n times the partitions and the runs: {@link #growingLoad()}). The workload has enough runs
 * for the window to end before three quarters of its chunks (the sim ends some runs early, cancelled or
 * failed). {@code -Dbench.member.jvm="-XX:StartFlightRecording=..."}
 * adds JVM options to the members.
 *
 * <pre>java -cp bench/target/bench-all.jar dev.lsr.bench.fleet.FleetScale 40000 20000 400 3
 * java -cp bench/target/bench-all.jar dev.lsr.bench.fleet.FleetScale 30000 15000 400 3 grow</pre>
 */
public final class FleetScale {

    private static final int PARTITIONS = 6;
    /** The window ends by this share of the workload's chunks: the sim ends some runs early (cancelled, failed). */
    private static final double WINDOW_ENDS_BY = 0.75;

    private static final Duration IDLE = Duration.ofSeconds(15);
    /** New runs per second of the whole workload. */
    private static final double ARRIVALS = 4;
    /** New runs per second per member when the load grows with the fleet ({@code grow}). */
    private static final double GROWING_ARRIVALS = 2;

    private FleetScale() {}

    public static void main(String[] args) throws Exception {
        long warmUp = args.length > 0 ? Long.parseLong(args[0]) : 80_000;
        long window = args.length > 1 ? Long.parseLong(args[1]) : 40_000;
        int chunksPerRun = args.length > 2 ? Integer.parseInt(args[2]) : 400;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        String load = args.length > 4 ? args[4] : "fixed";
        PerMember perMember = new PerMember(warmUp, window, chunksPerRun);
        List<Shape> shapes = switch (load) {
            case "fixed" -> fixedLoad();
            case "grow" -> growingLoad();
            default -> throw new IllegalArgumentException("the load is 'fixed' or 'grow', not '" + load + "'");
        };
        Map<String, List<Measurement>> byShape = new LinkedHashMap<>();
        Path dir = Files.createTempDirectory("fleet-scale");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(dir.resolve("kafka"))
                .port(0)
                .start()) {
            for (int round = 1; round <= rounds; round++) {
                for (Shape shape : shapes) {
                    Measurement measured = measure(broker, dir, shape, perMember, round);
                    System.out.println("fleet scale: round " + round + ", " + shape.name() + ": " + measured);
                    byShape.computeIfAbsent(shape.name(), name -> new ArrayList<>())
                            .add(measured);
                }
            }
        }
        System.out.printf("fleet scale: medians of %d round(s), CPU ms per 1,000 chunks:%n", rounds);
        byShape.forEach((name, measured) -> System.out.printf(
                "  %-24s fleet total %4.0f (%s) = JIT %3.0f + fixed %3.0f + marginal %4.0f%n",
                name,
                median(measured, Measurement::total),
                measured.stream().map(m -> String.format("%.0f", m.total())).collect(Collectors.joining(", ")),
                median(measured, Measurement::jit),
                median(measured, Measurement::fixed),
                median(measured, Measurement::marginal)));
    }

    /** The same total load for 1, 2 and 3 members, and what one member does alone or beside the others. */
    private static List<Shape> fixedLoad() {
        List<Shape> shapes = new ArrayList<>();
        shapes.add(Shape.fleet("fleet of 1", 1, ARRIVALS, PARTITIONS));
        for (int n = 2; n <= 3; n++) {
            shapes.add(Shape.fleet("fleet of " + n, n, ARRIVALS, PARTITIONS));
            // what one member of a fleet of n does on a machine of its own: 1/n of the partitions at the same
            // rate each, so 1/n of the runs; nothing else on the machine competes with it
            Group share = new Group(1, ARRIVALS / n, PARTITIONS / n);
            shapes.add(new Shape("alone, as 1 of " + n, List.of(share)));
            // n such recorders side by side, each on a topic of its own (no group shared): the fleet's load on this
            // machine without the fleet, so what the fleet itself costs shows apart from the machine's sharing
            shapes.add(new Shape(n + " × alone, side by side", Collections.nCopies(n, share)));
        }
        return shapes;
    }

    /**
     * Scaling out as the load grows: n members on n times the partitions and n times the new runs, so every
     * member carries what the lone recorder carries (the same partitions, runs and rate each). At a lower rate
     * than the fixed-load shapes ({@link #GROWING_ARRIVALS} per member), so that three members, the broker and
     * the sims fit on a 2-core machine.
     */
    private static List<Shape> growingLoad() {
        List<Shape> shapes = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            shapes.add(
                    Shape.fleet("fleet of " + n + ", " + n + " × the load", n, GROWING_ARRIVALS * n, PARTITIONS * n));
        }
        return shapes;
    }

    private static double median(List<Measurement> measured, ToDoubleFunction<Measurement> metric) {
        double[] values = measured.stream().mapToDouble(metric).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /** One configuration's trial, in CPU ms per 1,000 chunks committed in the window (the fleet's total). */
    private record Measurement(
            long chunks,
            double windowSeconds,
            List<Double> perMember,
            List<Double> idlePerSecond,
            double total,
            double jit,
            double fixed) {

        double marginal() {
            return total - jit - fixed;
        }

        @Override
        public String toString() {
            return String.format(
                    "%d chunks in a window of %.1f s; CPU ms per 1,000 chunks: per member %s, fleet total %.0f ="
                            + " JIT compilation %.0f + fixed %.0f (idle CPU ms/s per member %s) + marginal %.0f",
                    chunks, windowSeconds, rounded(perMember), total, jit, fixed, rounded(idlePerSecond), marginal());
        }

        private static String rounded(List<Double> values) {
            return values.stream().map(v -> String.format("%.0f", v)).collect(Collectors.joining(", ", "[", "]"));
        }
    }

    /**
     * One measured configuration: one or more groups of members measured at the same time, each group with its
     * own letta-sim, topic and consumer group.
     */
    private record Shape(String name, List<Group> groups) {

        static Shape fleet(String name, int members, double arrivalsPerSecond, int partitions) {
            return new Shape(name, List.of(new Group(members, arrivalsPerSecond, partitions)));
        }

        int members() {
            return groups.stream().mapToInt(Group::members).sum();
        }
    }

    /** Members sharing one topic's partitions, and the rate of new runs they record. */
    private record Group(int members, double arrivalsPerSecond, int partitions) {}

    /** What every member records before and in the window, whatever the configuration. */
    private record PerMember(long warmUp, long window, int chunksPerRun) {

        /** Runs enough for every member's window to end before {@link #WINDOW_ENDS_BY} of the chunks. */
        int runs(int members) {
            return (int) Math.ceil(members * (warmUp + window) / (WINDOW_ENDS_BY * chunksPerRun));
        }
    }

    /** One group's members and committed log (its sim is closed with them, from the resources). */
    private record Running(Group group, FleetProcesses fleet, CommittedChunks log) {}

    private static Measurement measure(
            EmbeddedKafkaBroker broker, Path dir, Shape shape, PerMember perMember, int round) throws Exception {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            List<Running> running = new ArrayList<>();
            for (int g = 0; g < shape.groups().size(); g++) {
                Group group = shape.groups().get(g);
                String topic = "scale-" + shape.name().replaceAll("[^a-z0-9]+", "-") + "-round-" + round + "-" + g;
                Workload workload = Workload.builder(group.members())
                        .agents(10)
                        // one active run per conversation: room for the runs a growing load has open at once
                        .conversationsPerAgent((int) Math.max(6, Math.ceil(group.arrivalsPerSecond() * 1.5)))
                        .runs(perMember.runs(group.members()))
                        .chunksPerRun(perMember.chunksPerRun())
                        .chunksPerSecond(50)
                        .arrivalRate(group.arrivalsPerSecond())
                        .build();
                LettaSim sim = LettaSim.builder().workload(workload).start();
                resources.add(sim);
                FleetProcesses fleet = new FleetProcesses(
                        List.of(broker.bootstrapServers(), sim.baseUrl(), topic, Integer.toString(group.partitions())),
                        dir.resolve(topic));
                resources.add(fleet);
                CommittedChunks log = new CommittedChunks(broker.bootstrapServers(), topic, group.partitions());
                resources.add(log);
                running.add(new Running(group, fleet, log));
            }
            for (Running group : running) {
                for (int i = 0; i < group.group().members(); i++) {
                    group.fleet().start();
                }
            }
            // the partitions are spread evenly, so each member has recorded about 1/members of its group's count
            long fromChunks = awaitChunks(running, perMember.warmUp());
            long fromNanos = System.nanoTime();
            List<Duration> fromCpu = cpu(running);
            List<Duration> fromJit = jit(running);
            long toChunks = awaitChunks(running, perMember.warmUp() + perMember.window());
            long windowNanos = System.nanoTime() - fromNanos;
            List<Duration> toCpu = cpu(running);
            List<Duration> toJit = jit(running);
            for (Running group : running) {
                awaitQuiet(group.log());
            }
            List<Duration> idleFrom = cpu(running);
            long idleStart = System.nanoTime();
            Thread.sleep(IDLE);
            long idleNanos = System.nanoTime() - idleStart;
            List<Duration> idleTo = cpu(running);
            Measurement measured = measurement(
                    shape.members(),
                    toChunks - fromChunks,
                    windowNanos,
                    between(fromCpu, toCpu),
                    between(fromJit, toJit),
                    between(idleFrom, idleTo),
                    idleNanos);
            for (Running group : running) {
                for (Process member : List.copyOf(group.fleet().members())) {
                    group.fleet().terminate(member);
                }
            }
            return measured;
        } finally {
            for (AutoCloseable resource : resources.reversed()) {
                resource.close();
            }
        }
    }

    private static Measurement measurement(
            int members,
            long chunks,
            long windowNanos,
            List<Long> loadMillis,
            List<Long> jitMillis,
            List<Long> idleMillis,
            long idleNanos) {
        List<Double> perMember = new ArrayList<>();
        List<Double> idlePerSecond = new ArrayList<>();
        long total = 0;
        long jit = 0;
        double fixed = 0;
        for (int i = 0; i < members; i++) {
            total += loadMillis.get(i);
            jit += jitMillis.get(i);
            // each member records about 1/members of the chunks (the partitions are spread evenly)
            perMember.add(loadMillis.get(i) * 1000.0 / (chunks / (double) members));
            double idleRate = idleMillis.get(i) * 1e9 / idleNanos; // CPU ms per second, idle
            idlePerSecond.add(idleRate);
            fixed += idleRate * windowNanos / 1e9;
        }
        double perThousand = 1000.0 / chunks;
        return new Measurement(
                chunks,
                windowNanos / 1e9,
                perMember,
                idlePerSecond,
                total * perThousand,
                jit * perThousand,
                fixed * perThousand);
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

    /** Waits until every group committed {@code perMember} chunks per member; the chunks of all groups then. */
    private static long awaitChunks(List<Running> running, long perMember) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (true) {
            long total = 0;
            boolean all = true;
            for (Running group : running) {
                long chunks = group.log().poll().chunks();
                total += chunks;
                all &= chunks >= perMember * group.group().members();
            }
            if (all) {
                return total;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "only " + total + " chunks committed, waiting for " + perMember + " per member");
            }
            Thread.sleep(200);
        }
    }

    private static List<Duration> jit(List<Running> running) {
        return running.stream()
                .flatMap(group -> group.fleet().members().stream())
                .map(FleetProcesses::jitCpu)
                .toList();
    }

    private static List<Duration> cpu(List<Running> running) {
        return running.stream()
                .flatMap(group -> group.fleet().members().stream())
                .map(FleetProcesses::cpu)
                .toList();
    }
}
