package dev.lsr.bench.fleet;

import dev.lsr.kafka.EmbeddedKafkaBroker;
import dev.lsr.sim.FaultPlan;
import dev.lsr.sim.LettaSim;
import dev.lsr.sim.RandomFaults;
import dev.lsr.sim.Workload;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The fleet soak (issue 11; not in CI): three fleet members record letta-sim's paced runs while, every 20 to
 * 60 s, a random member is killed (SIGKILL) and started again, frozen (SIGSTOP) past the group's session
 * timeout and thawed, or stopped (SIGTERM) and started again, or the broker stops for 3 to 15 s and starts
 * again on the same port and data (a broker restart under the whole fleet), or Letta goes away for 35 to 60 s
 * (the recorders reach it through a {@link LettaGateway} that cuts every connection and answers 502 meanwhile:
 * longer than the members' abandon time, {@link FleetMember#ABANDON_AFTER}, which an outage must not use up).
 * Letta misbehaves meanwhile: of
 * the stream connections, 4 % are cut, 2 % end early but cleanly, 2 % end with an {@code event: error}
 * frame of the connection, and 2 % of the resumes are answered 503. At the end every run's log is
 * checked: its chunks are its stored frames, one {@code run.finished}, no position twice; no member may have
 * exited on its own (a member that did is counted as a fault and replaced, and the soak fails), and no member
 * may have leaked an HTTP response (OkHttp's warning in its log: a leaked stream kept Letta streaming to nobody).
 * Arguments: minutes (default 30), seed (default 1), and {@code lone} for one recorder outside any fleet
 * instead of three members (the same faults: a lone recorder's own restart and its broker's are its paths).
 * The broker's KIP-848 session timeout is 10 s (Kafka's default, 45 s, would leave partitions in transit most
 * of the time at this fault rate).
 *
 * <pre>java -cp bench/target/bench.jar dev.lsr.bench.fleet.FleetSoak 30</pre>
 */
public final class FleetSoak {

    private static final int SESSION_TIMEOUT_MS = 10_000;
    private static final int FLEET_MEMBERS = 3;
    private static final int PARTITIONS = 6;
    /** What OkHttp logs when it finds a call whose response nobody closed. */
    private static final String OKHTTP_LEAK_WARNING = "was leaked. Did you forget to close a response body?";

    private FleetSoak() {}

    public static void main(String[] args) throws Exception {
        Duration length = Duration.ofMinutes(args.length > 0 ? Long.parseLong(args[0]) : 30);
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        Random random = new Random(seed);
        boolean lone = args.length > 2 && args[2].equals("lone");
        double arrivals = 2.0;
        int runs = (int) (length.toSeconds() * arrivals);
        Path dir = Files.createTempDirectory("fleet-soak");
        Map<String, Integer> faults = new TreeMap<>();
        long began = System.nanoTime();
        EmbeddedKafkaBroker broker = startBroker(dir, 0);
        int port = broker.port();
        int ownExits = 0;
        try (LettaSim sim = LettaSim.builder()
                        .workload(Workload.builder(7)
                                .agents(8)
                                .conversationsPerAgent(4)
                                .runs(runs)
                                .chunksPerRun(60)
                                .chunksPerSecond(10)
                                .arrivalRate(arrivals)
                                .build())
                        .keepaliveInterval(Duration.ofSeconds(1))
                        .faults(FaultPlan.builder()
                                .random(RandomFaults.builder(seed)
                                        .drop(0.04)
                                        .cleanEof(0.02)
                                        .errorFrame(0.02)
                                        .reject(0.02, 503)
                                        .build())
                                .build())
                        .start();
                LettaGateway gateway = new LettaGateway(new InetSocketAddress("127.0.0.1", sim.port()));
                FleetProcesses fleet = new FleetProcesses(
                        lone
                                ? List.of(broker.bootstrapServers(), gateway.baseUrl(), "soak", "6", "lone")
                                : List.of(broker.bootstrapServers(), gateway.baseUrl(), "soak"),
                        dir)) {
            for (int i = 0; i < (lone ? 1 : FLEET_MEMBERS); i++) {
                fleet.start();
            }
            long end = System.nanoTime() + length.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(Duration.ofSeconds(20 + random.nextInt(41)));
                for (Process exited : fleet.exitedOnTheirOwn()) {
                    ownExits++;
                    faults.merge("member exited on its own (exit " + exited.exitValue() + ")", 1, Integer::sum);
                    fleet.start();
                }
                List<Process> members = fleet.members();
                Process victim = members.get(random.nextInt(members.size()));
                switch (random.nextInt(5)) {
                    case 0 -> {
                        fleet.kill(victim);
                        fleet.start();
                        faults.merge("SIGKILL + restart", 1, Integer::sum);
                    }
                    case 1 -> {
                        FleetProcesses.signal(victim, "STOP");
                        Thread.sleep(Duration.ofMillis(SESSION_TIMEOUT_MS).plusSeconds(5));
                        FleetProcesses.signal(victim, "CONT");
                        faults.merge("SIGSTOP past the session timeout + SIGCONT", 1, Integer::sum);
                    }
                    case 2 -> {
                        broker.close();
                        Thread.sleep(Duration.ofSeconds(3 + random.nextInt(13)));
                        broker = startBroker(dir, port);
                        faults.merge("broker stopped 3-15 s + restarted", 1, Integer::sum);
                    }
                    case 3 -> {
                        gateway.down();
                        Thread.sleep(Duration.ofSeconds(35 + random.nextInt(26)));
                        gateway.up();
                        faults.merge("Letta away 35-60 s (502s)", 1, Integer::sum);
                    }
                    default -> {
                        int exit = fleet.terminate(victim);
                        faults.merge("SIGTERM (exit " + exit + ") + restart", 1, Integer::sum);
                        fleet.start();
                    }
                }
                System.out.printf(
                        "%5d s: %s%n",
                        Duration.ofNanos(System.nanoTime() - began).toSeconds(), faults);
            }
            try (CommittedChunks log = new CommittedChunks(broker.bootstrapServers(), "soak", PARTITIONS)) {
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (!log.poll().allEnded(sim.runIds()) && System.nanoTime() < deadline) {
                    Thread.sleep(1000);
                }
                ownExits += fleet.exitedOnTheirOwn().size();
                long leaks = fleet.logLinesContaining(OKHTTP_LEAK_WARNING);
                for (Process member : List.copyOf(fleet.members())) {
                    System.out.println("member " + member.pid() + " SIGTERM: exit " + fleet.terminate(member));
                }
                log.poll();
                List<String> wrong = log.wrongRuns(sim);
                System.out.printf(
                        "fleet soak: %d min, %d runs, %d records (%d chunks), faults %s, members that exited on"
                                + " their own %d, leaked responses %d, wrong runs %d %s%n",
                        length.toMinutes(),
                        sim.runIds().size(),
                        log.records(),
                        log.chunks(),
                        faults,
                        ownExits,
                        leaks,
                        wrong.size(),
                        wrong.stream().limit(10).toList());
                System.exit(wrong.isEmpty() && ownExits == 0 && leaks == 0 ? 0 : 1);
            }
        } finally {
            broker.close();
        }
    }

    /** The soak's broker on {@code port} (0: any), over the same data directory at every (re)start. */
    private static EmbeddedKafkaBroker startBroker(Path dir, int port) {
        return EmbeddedKafkaBroker.builder()
                .dataDir(dir.resolve("kafka"))
                .port(port)
                .consumerGroupTimeouts(Duration.ofMillis(SESSION_TIMEOUT_MS), Duration.ofSeconds(1))
                .start();
    }
}
