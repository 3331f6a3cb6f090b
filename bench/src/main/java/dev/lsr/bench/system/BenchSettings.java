package dev.lsr.bench.system;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a whole-system run is sized.
 *
 * @param smoke   tiny sizes: checks the harness works, measures nothing worth reporting
 * @param pairs   alternated baseline/ours pairs per measured quantity (at least 3 in full mode)
 * @param workDir where child JVMs and brokers keep their files (a fresh temp dir when null)
 */
public record BenchSettings(boolean smoke, int pairs, Path workDir) {

    public BenchSettings {
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs must be at least 1: " + pairs);
        }
    }

    /** Full mode: 3 pairs. */
    public static BenchSettings full() {
        return new BenchSettings(false, 3, null);
    }

    /** Smoke mode: 1 pair, tiny sizes. */
    public static BenchSettings smokeMode() {
        return new BenchSettings(true, 1, null);
    }

    public BenchSettings withWorkDir(Path dir) {
        return new BenchSettings(smoke, pairs, Objects.requireNonNull(dir));
    }

    /** Picks the smoke or the full size of a parameter. */
    public int size(int smokeValue, int fullValue) {
        return smoke ? smokeValue : fullValue;
    }
}
