package dev.lsr.bench.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code bench system}: starts an embedded broker, letta-sim and our code, runs the scenarios and
 * prints the markdown table. Exit code 0 when every scenario completed with matching counts
 * (a missed target does not fail the command: it is a finding, shown in the table).
 */
@Command(
        name = "system",
        mixinStandardHelpOptions = true,
        description = "Whole-system scenarios against a baseline on the same embedded broker.")
public final class SystemCommand implements Callable<Integer> {

    @Option(
            names = "--scenario",
            defaultValue = "all",
            converter = ScenarioConverter.class,
            description = "ingest, latency, rebuild, recovery, concurrency or all (default), comma-separated.")
    private List<Scenario> scenarios;

    @Option(
            names = "--smoke",
            description = "Tiny sizes, one pair: checks the harness, measures nothing worth reporting.")
    private boolean smoke;

    @Option(names = "--pairs", description = "Alternated baseline/ours pairs (default: 3, smoke: 1).")
    private Integer pairs;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the markdown report to FILE.")
    private Path out;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Keep child JVM logs and attach lists in DIR (default: a temp dir, deleted at the end).")
    private Path workDir;

    @Override
    public Integer call() throws IOException {
        BenchSettings settings = smoke ? BenchSettings.smokeMode() : BenchSettings.full();
        if (pairs != null) {
            settings = new BenchSettings(settings.smoke(), pairs, settings.workDir());
        }
        if (workDir != null) {
            settings = settings.withWorkDir(Files.createDirectories(workDir));
        }
        List<ScenarioReport> reports = SystemBench.run(scenarios, settings);
        String markdown = MarkdownReport.render(reports, settings, Machine.describe());
        System.out.println(markdown);
        if (out != null) {
            Files.writeString(out, markdown);
        }
        return reports.stream().allMatch(ScenarioReport::countsMatch) ? 0 : 1;
    }

    /** Parses {@code all} or a comma-separated list of scenario names. */
    static final class ScenarioConverter implements ITypeConverter<List<Scenario>> {
        @Override
        public List<Scenario> convert(String value) {
            if (value.equals("all")) {
                return List.of(Scenario.values());
            }
            List<Scenario> result = new ArrayList<>();
            for (String name : value.split(",")) {
                result.add(Arrays.stream(Scenario.values())
                        .filter(s -> s.cliName().equals(name.strip()))
                        .findFirst()
                        .orElseThrow(() -> new TypeConversionException("unknown scenario '" + name + "'")));
            }
            return result;
        }
    }
}
