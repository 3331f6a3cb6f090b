package dev.lsr.bench.system.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this JVM over a trial, in total and per group of platform threads (the broker's, the
 * Kafka clients' network threads, the virtual-thread carriers that run the recorder's runs and the
 * sim's handlers, the sim's own threads), so a ratio can be explained by where the cores went.
 */
final class CpuMeter {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final long processStart = OS.getProcessCpuTime();
    private final long wallStart = System.nanoTime();
    private final Map<Long, Long> threadStart = threadTimes();
    private final Map<Long, Long> lastSeen = new java.util.concurrent.ConcurrentHashMap<>(threadStart);
    private final Map<Long, String> names = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread sampler =
            Thread.ofPlatform().daemon().name("bench-cpu-sampler").start(this::sample);

    /** Threads that end during the trial (a closed producer's) keep the CPU time they had when last sampled. */
    private void sample() {
        while (!Thread.currentThread().isInterrupted()) {
            record(threadTimes());
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void record(Map<Long, Long> times) {
        ThreadInfo[] infos = THREADS.getThreadInfo(
                times.keySet().stream().mapToLong(Long::longValue).toArray());
        for (ThreadInfo info : infos) {
            if (info != null) {
                names.putIfAbsent(info.getThreadId(), info.getThreadName());
                lastSeen.put(info.getThreadId(), times.get(info.getThreadId()));
            }
        }
    }

    /** What the trial used. */
    record Usage(double wallSeconds, double cpuSeconds, Map<String, Double> groupSeconds) {

        /** Cores busy on average. */
        double cores() {
            return cpuSeconds / wallSeconds;
        }

        /** CPU milliseconds per unit of work (e.g. per 1,000 chunks when {@code units} is thousands). */
        double cpuMillisPer(double units) {
            return cpuSeconds * 1000 / units;
        }

        String describe() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%.2f cores busy", cores()));
            groupSeconds.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> out.append(
                            String.format(Locale.ROOT, ", %s %.0f%%", e.getKey(), 100 * e.getValue() / cpuSeconds)));
            return out.toString();
        }
    }

    /** The whole process's CPU seconds since this meter started, without stopping it. */
    double processSecondsSoFar() {
        return (OS.getProcessCpuTime() - processStart) / 1e9;
    }

    Usage stop() {
        double wall = (System.nanoTime() - wallStart) / 1e9;
        double cpu = (OS.getProcessCpuTime() - processStart) / 1e9;
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        record(threadTimes());
        Map<String, Double> groups = new TreeMap<>();
        lastSeen.forEach((id, time) -> {
            String name = names.get(id);
            if (name != null && !name.equals("bench-cpu-sampler")) {
                groups.merge(group(name), (time - threadStart.getOrDefault(id, 0L)) / 1e9, Double::sum);
            }
        });
        double named = groups.values().stream().mapToDouble(Double::doubleValue).sum();
        groups.put("gc+jit+other", Math.max(0, cpu - named));
        return new Usage(wall, cpu, groups);
    }

    private static Map<Long, Long> threadTimes() {
        Map<Long, Long> times = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long cpu = THREADS.getThreadCpuTime(id);
            if (cpu >= 0) {
                times.put(id, cpu);
            }
        }
        return times;
    }

    private static String group(String name) {
        if (name.startsWith("kafka-producer-network-thread")) {
            return name.contains("lsr-recorder") ? "recorder producers" : "baseline producer";
        }
        if (name.startsWith("ForkJoinPool")) {
            return "virtual threads (recorder runs, sim handlers)";
        }
        if (name.startsWith("letta-sim") || name.startsWith("qtp") || name.contains("jetty")) {
            return "letta-sim";
        }
        if (name.startsWith("lsr-") || name.startsWith("bench-recorder")) {
            return "recorder";
        }
        if (name.startsWith("chunk-log-replay")) {
            return "replay workers";
        }
        if (name.startsWith("bench-") || name.equals("main")) {
            return "bench";
        }
        if (name.startsWith("kafka-coordinator")
                || name.startsWith("kafka-admin")
                || name.startsWith("kafka-consumer")) {
            return "clients";
        }
        return "broker";
    }
}
