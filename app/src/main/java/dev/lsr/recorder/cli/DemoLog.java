package dev.lsr.recorder.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Whose log the embedded broker's data directory holds: the demo records only into an empty directory or one it
 * wrote itself (a marker file says so), never into a recorder's. Without a Letta URL the recorder runs the demo, so
 * a recorder on the embedded broker restarted without its URL would otherwise continue its own active runs against
 * letta-sim, which knows none of them and ends each as {@code run.gone}. A recorder that records into the directory
 * takes the marker away.
 */
final class DemoLog {

    static final String MARKER = "lsr-demo-log";

    private DemoLog() {}

    /** True when {@code dataDir} holds no log, or the demo's. */
    static boolean mayRecordInto(Path dataDir) {
        if (!Files.isDirectory(dataDir) || Files.exists(dataDir.resolve(MARKER))) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dataDir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data directory " + dataDir, e);
        }
    }

    /** The demo records into {@code dataDir}. */
    static void claim(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Files.writeString(dataDir.resolve(MARKER), "written by the recorder's demo (no Letta URL)\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the data directory " + dataDir, e);
        }
    }

    /** A recorder records into {@code dataDir}: it is no longer the demo's. */
    static void release(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(MARKER));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the data directory " + dataDir, e);
        }
    }
}
