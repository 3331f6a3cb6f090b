package dev.lsr.bench.system.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RecorderChild} process: started with this JVM's java and class path, read line by line
 * (READY, STATS), stopped with SIGTERM or killed with SIGKILL. Its log goes to a file in the work dir.
 * Every wait on it ({@link #awaitReady}, {@link #sleep}, {@link #requireAlive}) ends at once when the
 * process dies, with its exit code and the last error of its log, instead of running into its timeout.
 */
final class ChildRecorder implements AutoCloseable {

    /** One STATS line. */
    record Stats(long heapUsed, long heapAfterGc, long cpuNanos, long chunksAppended, long atNanos) {}

    private final Process process;
    private final Path log;
    private final long spawnedNanos;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final List<Stats> stats = new ArrayList<>();
    private final Thread reader;
    private volatile long readyNanos;
    private volatile String stoppedState;
    private volatile String failedLine;

    private ChildRecorder(Process process, Path log, long spawnedNanos) {
        this.process = process;
        this.log = log;
        this.spawnedNanos = spawnedNanos;
        this.reader = Thread.ofPlatform().daemon().name("bench-child-reader").start(this::read);
    }

    /** Spawns a recorder child; {@code attachRunIds} empty: it only continues the runs its log holds as active. */
    static ChildRecorder spawn(
            BenchContext context,
            String lettaUrl,
            String topic,
            Duration commitWindow,
            List<String> attachRunIds,
            String maxHeap,
            String name) {
        return spawn(context, lettaUrl, topic, commitWindow, attachRunIds, maxHeap, List.of(), name);
    }

    /** The same, with more JVM options ({@code jvmOptions}, e.g. a {@link StartupCache}'s). */
    static ChildRecorder spawn(
            BenchContext context,
            String lettaUrl,
            String topic,
            Duration commitWindow,
            List<String> attachRunIds,
            String maxHeap,
            List<String> jvmOptions,
            String name) {
        try {
            Path attach = context.workDir().resolve(name + ".attach");
            Files.write(attach, attachRunIds);
            return spawnMain(
                    context,
                    RecorderChild.class,
                    List.of(
                            context.kafka().bootstrapServers(),
                            lettaUrl,
                            topic,
                            Long.toString(commitWindow.toMillis()),
                            attachRunIds.isEmpty() ? "-" : attach.toString()),
                    maxHeap,
                    jvmOptions,
                    name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a recorder child", e);
        }
    }

    /** Spawns a {@link NaiveRecorderChild} on these runs, in the same JVM arrangement as a recorder child. */
    static ChildRecorder spawnNaive(
            BenchContext context, String lettaUrl, String topic, List<String> runIds, String maxHeap, String name) {
        try {
            Path attach = context.workDir().resolve(name + ".attach");
            Files.write(attach, runIds);
            return spawnMain(
                    context,
                    NaiveRecorderChild.class,
                    List.of(context.kafka().bootstrapServers(), lettaUrl, topic, attach.toString()),
                    maxHeap,
                    List.of(),
                    name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a naive recorder child", e);
        }
    }

    private static ChildRecorder spawnMain(
            BenchContext context,
            Class<?> main,
            List<String> args,
            String maxHeap,
            List<String> jvmOptions,
            String name)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap,
                "-XX:+UseG1GC",
                "-Dlsr.log.level=" + System.getProperty("lsr.log.level", "WARN"),
                "-cp",
                childClassPath()));
        command.addAll(jvmOptions);
        String extra = System.getProperty("bench.child.jvmArgs", "").strip();
        if (!extra.isEmpty()) {
            // e.g. -Dbench.child.jvmArgs=-XX:StartFlightRecording=filename=child.jfr to profile the recorder child
            command.addAll(List.of(extra.replace("{name}", name).split(" +")));
        }
        command.add(main.getName());
        command.addAll(args);
        return start(command, context.workDir().resolve(name + ".log"));
    }

    /**
     * The children's class path: this JVM's, or {@code -Dbench.child.classpath} (the bench's failsafe run sets the
     * shaded jar: Maven's test class path holds directories, over which a JVM writes no AOT cache).
     */
    private static String childClassPath() {
        return System.getProperty("bench.child.classpath", System.getProperty("java.class.path"));
    }

    /** Starts {@code command} as a child speaking the {@link RecorderChild} protocol, its stderr appended to {@code log}. */
    static ChildRecorder start(List<String> command, Path log) throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long spawned = System.nanoTime();
        return new ChildRecorder(builder.start(), log, spawned);
    }

    private void read() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts[0].equals("READY")) {
                    readyNanos = System.nanoTime();
                    ready.countDown();
                } else if (parts[0].equals("FAILED")) {
                    failedLine = line;
                } else if (parts[0].equals("STOPPED")) {
                    stoppedState = parts.length > 1 ? parts[1] : "?";
                } else if (parts[0].equals("STATS")) {
                    synchronized (stats) {
                        stats.add(new Stats(
                                Long.parseLong(parts[1]),
                                Long.parseLong(parts[2]),
                                Long.parseLong(parts[3]),
                                Long.parseLong(parts[4]),
                                System.nanoTime()));
                    }
                }
            }
        } catch (IOException e) {
            // the process died; whoever waits notices
        }
    }

    /** Waits for READY; throws when the child dies (at once, with its last error) or takes longer than {@code timeout}. */
    void awaitReady(Duration timeout) {
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!ready.await(100, TimeUnit.MILLISECONDS)) {
                requireAlive();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "recorder child did not get ready within " + timeout + " (its log: " + log + ")");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Throws when the child is no longer running: how it ended and the last error in its log. */
    void requireAlive() {
        if (process.isAlive()) {
            return;
        }
        waitFor();
        throw new IllegalStateException("recorder child exited with " + process.exitValue()
                + (failedLine != null ? " (" + failedLine + ")" : "") + "; last error: " + ChildLog.lastError(log)
                + " (its log: " + log + ")");
    }

    /** Sleeps {@code millis} while the child runs; throws at once (see {@link #requireAlive}) when it dies meanwhile. */
    void sleep(long millis) {
        try {
            if (process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                requireAlive();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    long spawnedNanos() {
        return spawnedNanos;
    }

    long readyNanos() {
        return readyNanos;
    }

    /** The STATS lines received between two {@link System#nanoTime()} instants. */
    List<Stats> stats(long fromNanos, long toNanos) {
        synchronized (stats) {
            return stats.stream()
                    .filter(s -> s.atNanos() >= fromNanos && s.atNanos() <= toNanos)
                    .toList();
        }
    }

    /** The daemon state the child reported when it stopped cleanly, or null (killed, or not stopped yet). */
    String stoppedState() {
        return stoppedState;
    }

    /** The last STATS line, or null. */
    Stats lastStats() {
        synchronized (stats) {
            return stats.isEmpty() ? null : stats.getLast();
        }
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM (a clean stop) and wait until its last lines are read; SIGKILL after 60 s. */
    void stop() {
        if (process.isAlive()) {
            // ProcessHandle.destroy sends SIGTERM without closing our end of its stdout (Process.destroy
            // would, losing the last STATS line the child prints on the way out).
            process.toHandle().destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        waitFor();
    }

    @Override
    public void close() {
        stop();
    }

    private void waitFor() {
        try {
            process.waitFor(60, TimeUnit.SECONDS);
            reader.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
