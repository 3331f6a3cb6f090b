package dev.lsr.bench.system.internal;

import dev.lsr.recorder.RecorderConfig;
import dev.lsr.recorder.RecorderDaemon;
import dev.lsr.settings.ExitCode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The recorder in a JVM of its own, for the scenarios that kill it or weigh its heap. Arguments:
 * {@code BOOTSTRAP LETTA_URL TOPIC COMMIT_WINDOW_MS ATTACH_FILE|-}. Prints, on stdout only,
 * {@code READY <epoch micros>} once RUNNING, then every 500 ms
 * {@code STATS <heap used> <heap used after last GC> <process cpu ns> <chunks appended>}; stops on
 * SIGTERM (cleanly, then a last STATS line and {@code STOPPED}) or when its runs are done (then it
 * exits with the daemon still reporting through the shutdown hook); dies at once on SIGKILL.
 */
public final class RecorderChild {

    private RecorderChild() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        List<String> attach = args[4].equals("-") ? List.of() : Files.readAllLines(Path.of(args[4]));
        RecorderConfig config = InProcessRecorder.config(
                        args[0], args[1], args[2], Duration.ofMillis(Long.parseLong(args[3])), attach)
                .build();
        CommitCounter counter = new CommitCounter();
        RecorderDaemon daemon = RecorderDaemon.builder(config)
                .listener(counter)
                .runLogListener(counter)
                .build();
        Thread thread = Thread.ofPlatform().name("recorder").start(daemon);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("recorder child: stopping (" + daemon.state() + ")");
            daemon.close();
            System.err.println("recorder child: stopped (" + daemon.state() + "); " + counter.transactionSummary());
            printStats(os, counter.chunksAppended());
            System.out.println("STOPPED " + daemon.state());
            System.out.flush();
        }));
        if (!daemon.awaitRunning(Duration.ofSeconds(120))) {
            System.out.println("FAILED " + daemon.state());
            System.exit(ExitCode.FAILED.code());
        }
        System.out.println("READY " + ChunkWatcher.nowMicros());
        while (thread.isAlive()) {
            printStats(os, counter.chunksAppended());
            thread.join(500);
        }
    }

    /** One STATS line (shared with {@link NaiveRecorderChild}). */
    static synchronized void printStats(com.sun.management.OperatingSystemMXBean os, long chunksAppended) {
        System.out.println("STATS "
                + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() + " " + usedAfterLastGc() + " "
                + os.getProcessCpuTime() + " " + chunksAppended);
    }

    /** Heap in use right after the last collection of each heap pool: the live set, garbage excluded. */
    private static long usedAfterLastGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage afterGc = pool.getCollectionUsage();
            if (pool.getType() == MemoryType.HEAP && afterGc != null) {
                used += afterGc.getUsed();
            }
        }
        return used;
    }
}
