package dev.lsr.recorder.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.chunklog.ChunkLogRecord;
import dev.lsr.chunklog.Position;
import dev.lsr.chunklog.RecordType;
import dev.lsr.kafka.EmbeddedKafkaBroker;
import dev.lsr.sim.LettaSim;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the fleet tests read from their members' logs (which partitions each holds) and the one check every
 * fleet test ends with: each run recorded exactly once.
 */
public final class FleetMembers {

    private static final Pattern TOOK = Pattern.compile("took partitions \\[([0-9, ]+)\\]");
    private static final Pattern GAVE = Pattern.compile("gave up partitions \\[([0-9, ]+)\\]");

    private FleetMembers() {}

    /** Waits until every one of {@code partitions} is held by one of {@code members}, as their logs tell. */
    public static void awaitOwnedBy(List<ChildRecorder> members, int partitions, Duration timeout, String what) {
        await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            Set<Integer> held = new HashSet<>();
            for (ChildRecorder member : members) {
                held.addAll(held(member));
            }
            return held.size() == partitions;
        });
    }

    /** The partitions a member holds now, from its log: taken, and not given up since. */
    public static Set<Integer> held(ChildRecorder member) throws IOException {
        Set<Integer> held = new HashSet<>();
        for (String line : member.output().split("\n")) {
            Matcher took = TOOK.matcher(line);
            if (took.find()) {
                held.addAll(numbers(took.group(1)));
            }
            Matcher gave = GAVE.matcher(line);
            if (gave.find()) {
                held.removeAll(numbers(gave.group(1)));
            }
        }
        return held;
    }

    /** How many times a member took partitions. */
    public static int takes(ChildRecorder member) throws IOException {
        Matcher took = TOOK.matcher(member.output());
        int count = 0;
        while (took.find()) {
            count++;
        }
        return count;
    }

    /**
     * Every run of the sim ({@code runs} of them): its chunks in log order are its stored frames, no position
     * twice, one {@code run.finished}, last. Returns how many {@code run.resumed} records the log holds.
     */
    public static int assertEveryRunRecordedExactlyOnce(LettaSim sim, CommittedLog log, int runs) {
        assertEquals(runs, sim.runIds().size());
        int resumed = 0;
        for (String runId : sim.runIds()) {
            List<ChunkLogRecord> records = log.run(runId);
            List<Position> positions = log.chunkPositions(runId);
            assertEquals(positions.size(), new HashSet<>(positions).size(), runId + ": no position twice");
            assertEquals(SimFrames.payloads(sim, runId), log.chunks(runId), runId + ": its stored frames, in order");
            assertEquals(
                    1,
                    records.stream()
                            .filter(r -> r.type() == RecordType.RUN_FINISHED)
                            .count(),
                    runId + ": one run.finished");
            assertEquals(RecordType.RUN_FINISHED, records.getLast().type(), runId);
            resumed += (int) records.stream()
                    .filter(r -> r.type() == RecordType.RUN_RESUMED)
                    .count();
        }
        return resumed;
    }

    /** Starts a member writing its output to {@code output} and adds it to {@code members}. */
    public static ChildRecorder start(List<String> args, Path output, List<ChildRecorder> members) throws IOException {
        ChildRecorder member = ChildRecorder.start(args, output);
        members.add(member);
        return member;
    }

    /**
     * A fleet member's arguments: {@code --fleet} against this sim, broker and topic, with the short polls,
     * backoff and shutdown every fleet test uses, then {@code extra}.
     */
    public static List<String> args(
            LettaSim sim, EmbeddedKafkaBroker broker, String topic, int partitions, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--fleet",
                "--letta-url",
                sim.baseUrl(),
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--topic",
                topic,
                "--partitions",
                Integer.toString(partitions),
                "--replication-factor",
                "1",
                "--poll-interval",
                "200ms",
                "--backoff-initial",
                "50ms",
                "--backoff-max",
                "1s",
                "--shutdown-timeout",
                "6s"));
        args.addAll(List.of(extra));
        return List.copyOf(args);
    }

    private static Set<Integer> numbers(String list) {
        Set<Integer> numbers = new HashSet<>();
        for (String n : list.split(",")) {
            numbers.add(Integer.parseInt(n.trim()));
        }
        return numbers;
    }
}
