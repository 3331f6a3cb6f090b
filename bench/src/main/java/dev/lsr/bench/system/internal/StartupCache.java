package dev.lsr.bench.system.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The startup cache the recorder image starts on (docker/recorder/java-args.sh, docs/operations.md "Starting fast"):
 * a Java 25 AOT cache (JEP 483, 514), written by a training run at its exit and given to every later start, for the
 * bench's recorder children. The options are the image's: no adapter caching (on Temurin 25.0.3 two adapters of this
 * workload are saved under another's fingerprint) and, when started on it, {@code -XX:AOTMode=on}, so that a cache the
 * JVM cannot use fails the start instead of being measured as a cold start.
 */
final class StartupCache {

    /** The first Java whose JVM writes an AOT cache from a training run ({@code -XX:AOTCacheOutput}, JEP 514). */
    static final int FIRST_JAVA = 25;

    private final Path file;

    private StartupCache(Path file) {
        this.file = file;
    }

    /** A cache at {@code file} (not written yet), or empty when this JVM cannot make one, with why. */
    static Optional<StartupCache> at(Path file) {
        return Runtime.version().feature() >= FIRST_JAVA ? Optional.of(new StartupCache(file)) : Optional.empty();
    }

    /** Options of the training run: the JVM writes the cache when it exits (a clean stop, not a SIGKILL). */
    List<String> trainingOptions() {
        return List.of(
                "-XX:AOTCacheOutput=" + file,
                "-Xlog:aot*=off",
                "-Xlog:cds*=off",
                "-XX:+UnlockDiagnosticVMOptions",
                "-XX:-AOTAdapterCaching");
    }

    /** Options of a start on the cache, as the image's entrypoint plus the image build's check. */
    List<String> startOptions() {
        return List.of("-XX:AOTCache=" + file, "-XX:AOTMode=on");
    }

    /** Whether the training run wrote the cache. */
    boolean written() {
        return Files.isRegularFile(file);
    }

    Path file() {
        return file;
    }
}
