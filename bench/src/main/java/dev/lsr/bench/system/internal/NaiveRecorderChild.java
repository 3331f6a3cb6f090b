package dev.lsr.bench.system.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@link NaiveRecorder} in a JVM of its own, the same arrangement as {@link RecorderChild} (same
 * protocol on stdout, same heap, same stop on SIGTERM) so the concurrency scenario weighs both alike.
 * Arguments: {@code BOOTSTRAP LETTA_URL TOPIC ATTACH_FILE}; "chunks appended" is records acknowledged.
 */
public final class NaiveRecorderChild {

    private NaiveRecorderChild() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> attach = Files.readAllLines(Path.of(args[3]));
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        NaiveRecorder recorder = NaiveRecorder.create(args[0], args[1], args[2]);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            main.interrupt();
            recorder.stop();
            RecorderChild.printStats(os, recorder.acknowledged());
            System.out.println("STOPPED CLOSED");
            System.out.flush();
        }));
        recorder.attach(attach);
        System.out.println("READY " + ChunkWatcher.nowMicros());
        while (!Thread.currentThread().isInterrupted()) {
            RecorderChild.printStats(os, recorder.acknowledged());
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
