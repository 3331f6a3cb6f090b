package dev.lsr.recorder.testing;

import static org.awaitility.Awaitility.await;

import dev.lsr.recorder.cli.RecorderCommand;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/** The recorder CLI (or another of the app's commands) in a child JVM on this JVM's classpath, its output in a file. */
public final class ChildRecorder implements AutoCloseable {

    private final Process process;
    private final Path output;

    private ChildRecorder(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static ChildRecorder start(List<String> args, Path output) throws IOException {
        return start(RecorderCommand.class, args, output);
    }

    /** {@code main}'s class run with {@code args}, e.g. the consumer CLI. */
    public static ChildRecorder start(Class<?> main, List<String> args, Path output) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(args);
        Files.createDirectories(output.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(output.toFile()));
        builder.environment().remove("LETTA_API_KEY");
        return new ChildRecorder(builder.start(), output);
    }

    /** SIGKILL, and wait for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the process freezes (threads, heartbeats, timers), as a long GC pause or a frozen VM would. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** SIGTERM, and the exit code (or -1 if it did not exit in time). */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return waitFor(timeout);
    }

    /** Waits for the exit code (or -1 if it did not exit in time). */
    public int waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /**
     * Waits until the output holds {@code text} (an event the recorder logs), checking every 50 ms;
     * fails when the process ends first or after {@code timeout}.
     */
    public void awaitOutput(String text, Duration timeout) throws IOException, InterruptedException {
        try {
            await().atMost(timeout)
                    .pollInterval(Duration.ofMillis(50))
                    .pollInSameThread()
                    .until(() -> {
                        if (output().contains(text)) {
                            return true;
                        }
                        if (!process.isAlive()) {
                            throw new AssertionError("the recorder ended before logging '" + text + "': " + output);
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the recorder did not log '" + text + "' within " + timeout + ": " + output, e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() throws IOException {
        return Files.readString(output);
    }

    /**
     * What a failed assertion should show, since CI keeps no output files: the lines logged at WARN or ERROR and
     * the recorder's own lines ({@code recorder: ...}), stack traces left out.
     */
    public String problems() throws IOException {
        return output().lines()
                .filter(line -> line.matches("^[0-9:.]+ (WARN|ERROR) .*") || line.startsWith("recorder: "))
                .collect(Collectors.joining("\n", outputFile() + ":\n", ""));
    }

    public File outputFile() {
        return output.toFile();
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
