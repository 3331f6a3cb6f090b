package dev.lsr.bench.system;

import dev.lsr.bench.system.internal.BenchContext;
import dev.lsr.bench.system.internal.BenchKafka;
import dev.lsr.bench.system.internal.ConcurrencyScenario;
import dev.lsr.bench.system.internal.IngestScenario;
import dev.lsr.bench.system.internal.LatencyScenario;
import dev.lsr.bench.system.internal.RebuildScenario;
import dev.lsr.bench.system.internal.RecoveryScenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs whole-system scenarios on one embedded broker (port 0, temp dir) shared by the baselines and
 * our code, and returns what each measured and verified. Used by {@link SystemCommand} and the
 * smoke test.
 */
public final class SystemBench {

    private static final Logger LOG = LoggerFactory.getLogger(SystemBench.class);

    private SystemBench() {}

    /** Runs the scenarios in the given order. */
    public static List<ScenarioReport> run(List<Scenario> scenarios, BenchSettings settings) {
        Path workDir = settings.workDir() != null ? settings.workDir() : tempDir();
        List<ScenarioReport> reports = new ArrayList<>();
        try (BenchKafka kafka = BenchKafka.start()) {
            BenchContext context = new BenchContext(kafka, settings, workDir);
            for (Scenario scenario : scenarios) {
                long start = System.nanoTime();
                LOG.info("scenario {} starting ({})", scenario.cliName(), settings.smoke() ? "smoke" : "full");
                reports.add(runOne(scenario, context));
                LOG.info("scenario {} done in {} s", scenario.cliName(), (System.nanoTime() - start) / 1_000_000_000);
            }
        } finally {
            if (settings.workDir() == null) {
                deleteRecursively(workDir);
            }
        }
        return reports;
    }

    private static ScenarioReport runOne(Scenario scenario, BenchContext context) {
        return switch (scenario) {
            case INGEST -> new IngestScenario(context).run();
            case LATENCY -> new LatencyScenario(context).run();
            case REBUILD -> new RebuildScenario(context).run();
            case RECOVERY -> new RecoveryScenario(context).run();
            case CONCURRENCY -> new ConcurrencyScenario(context).run();
        };
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("lsr-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
