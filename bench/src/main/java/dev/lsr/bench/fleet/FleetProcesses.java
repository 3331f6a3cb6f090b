package dev.lsr.bench.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The fleet members of a benchmark: child JVMs running {@link FleetMember}, signalled like real processes. */
final class FleetProcesses implements AutoCloseable {

    /** Linux's USER_HZ, the unit of /proc's CPU times: 100 on every mainstream architecture. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final List<String> args;
    private final Path dir;
    private final List<Process> members = new ArrayList<>();
    private final List<Process> all = new ArrayList<>();
    private int started;

    FleetProcesses(List<String> args, Path dir) {
        this.args = args;
        this.dir = dir;
    }

    Process start() {
        try {
            Files.createDirectories(dir);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-XX:+UseSerialGC",
                    "-XX:-UseDynamicNumberOfCompilerThreads"));
            String extra = System.getProperty("bench.member.jvm", "").trim();
            if (!extra.isEmpty()) {
                command.addAll(List.of(
                        extra.replace("{n}", Integer.toString(started + 1)).split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), FleetMember.class.getName()));
            command.addAll(args);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(
                            dir.resolve("member-" + (++started) + ".log").toFile())
                    .start();
            members.add(process);
            all.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Process> members() {
        return members;
    }

    /** How many lines of all members' logs so far contain {@code text}. */
    long logLinesContaining(String text) {
        try (var logs = Files.list(dir)) {
            long lines = 0;
            for (Path log : (Iterable<Path>) logs::iterator) {
                if (log.getFileName().toString().startsWith("member-")) {
                    try (var content = Files.lines(log, StandardCharsets.ISO_8859_1)) {
                        lines += content.filter(line -> line.contains(text)).count();
                    }
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The members that ended without being signalled here, taken off the member list. */
    List<Process> exitedOnTheirOwn() {
        List<Process> exited = members.stream().filter(m -> !m.isAlive()).toList();
        members.removeAll(exited);
        return exited;
    }

    void kill(Process member) throws InterruptedException {
        member.destroyForcibly();
        member.waitFor(30, TimeUnit.SECONDS);
        members.remove(member);
    }

    /** SIGTERM; the exit code, or -1 when it did not stop in time. */
    int terminate(Process member) throws InterruptedException {
        member.destroy();
        members.remove(member);
        return member.waitFor(30, TimeUnit.SECONDS) ? member.exitValue() : -1;
    }

    static void signal(Process member, String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(member.pid()))
                .inheritIO()
                .start()
                .waitFor();
    }

    /**
     * CPU time the member's JIT compiler threads used so far, from Linux's {@code /proc/<pid>/task/<tid>/stat}
     * (zero where there is no {@code /proc}). The members keep their compiler threads for their whole life
     * ({@code -XX:-UseDynamicNumberOfCompilerThreads}), so no compiler thread's time leaves the sum.
     */
    static Duration jitCpu(Process member) {
        Path tasks = Path.of("/proc", Long.toString(member.pid()), "task");
        if (!Files.isDirectory(tasks)) {
            return Duration.ZERO;
        }
        long ticks = 0;
        try (var threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                ticks += compilerTicks(thread);
            }
        } catch (IOException e) {
            return Duration.ZERO; // the process ended meanwhile
        }
        return Duration.ofMillis(ticks * 1000 / CLOCK_TICKS_PER_SECOND);
    }

    private static long compilerTicks(Path thread) {
        try {
            String name = Files.readString(thread.resolve("comm")).trim();
            if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
                return 0;
            }
            String stat = Files.readString(thread.resolve("stat"));
            // after the ")" closing the thread's name: state is field 3, utime 14 and stime 15 (man 5 proc)
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0; // the thread ended meanwhile
        }
    }

    /** CPU time the member used so far (its whole process tree is one JVM). */
    static Duration cpu(Process member) {
        return member.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    @Override
    public void close() {
        all.forEach(Process::destroyForcibly);
    }
}
