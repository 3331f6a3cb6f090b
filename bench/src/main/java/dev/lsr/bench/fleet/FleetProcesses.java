package dev.lsr.bench.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The fleet members of a benchmark: child JVMs running {@link FleetMember}, signalled like real processes. */
final class FleetProcesses implements AutoCloseable {

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
                    "-XX:+UseSerialGC"));
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

    /** CPU time the member used so far (its whole process tree is one JVM). */
    static Duration cpu(Process member) {
        return member.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    @Override
    public void close() {
        all.forEach(Process::destroyForcibly);
    }
}
