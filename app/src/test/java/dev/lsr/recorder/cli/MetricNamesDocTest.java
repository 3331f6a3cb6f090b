package dev.lsr.recorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.consumer.cli.ReplayMeters;
import dev.lsr.recorder.metrics.RecorderMetrics;
import dev.lsr.settings.DocumentedSettings;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The metrics our servers serve on {@code /metrics} and the docs agree both ways: every metric the recorder serves
 * has its row in docs/operations.md under its Prometheus name, every one the replay server serves is in
 * docs/replay-server.md, and every name of ours the docs (and the README) mention, Prometheus' or Micrometer's, is
 * served, so a renamed or removed metric leaves no stale name behind. Every name follows Prometheus' conventions
 * (counters end in {@code _total}, times are histograms in seconds). A {@code # TYPE} line names the family as the
 * samples are named.
 */
class MetricNamesDocTest {

    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);
    /** A Prometheus name of ours, in a table or in PromQL. */
    private static final Pattern PROMETHEUS_NAME = Pattern.compile("\\blsr_(?:recorder|runlog|replay)_[a-z_]+");
    /** A Micrometer name of ours in backticks ({@code `lsr.recorder.gaps`}; not a package, {@code dev.lsr.recorder}). */
    private static final Pattern METER_NAME = Pattern.compile("`(lsr\\.(?:recorder|runlog|replay)(?:\\.[a-z_]+)+)");

    @Test
    void everyMetricTheRecorderServesIsDocumentedByItsPrometheusName() {
        String metrics = DocumentedSettings.section(DocumentedSettings.read("docs/operations.md"), "## Metrics");
        assertEquals(
                List.of(), undocumented(recorderScrape(), metrics), "recorder metrics missing from docs/operations.md");
    }

    @Test
    void everyMetricTheReplayServerServesIsDocumentedByItsPrometheusName() {
        assertEquals(
                List.of(),
                undocumented(replayScrape(), DocumentedSettings.read("docs/replay-server.md")),
                "replay server metrics missing from docs/replay-server.md");
    }

    @Test
    void everyMetricNameInTheDocsIsServed() {
        String scrapes = recorderScrape() + replayScrape();
        Set<String> served = matches(SAMPLE, scrapes, 1); // with a histogram's _bucket, _count, _sum
        families(scrapes).forEach(family -> served.add(family.name()));
        Set<String> meters = Stream.concat(
                        recorderRegistry().getMeters().stream(), replayRegistry().getMeters().stream())
                .map(Meter::getId)
                .map(Meter.Id::getName)
                .collect(Collectors.toSet());
        List<String> stale = new ArrayList<>();
        for (Path doc : docs()) {
            String text = read(doc);
            matches(PROMETHEUS_NAME, text, 0).stream()
                    .filter(name -> !served.contains(name))
                    .forEach(name -> stale.add(doc.getFileName() + ": " + name));
            matches(METER_NAME, text, 1).stream()
                    .filter(name -> !meters.contains(name))
                    .forEach(name -> stale.add(doc.getFileName() + ": " + name));
        }
        assertEquals(List.of(), stale, "metric names in the docs that no server serves");
    }

    @Test
    void namesFollowPrometheusConventions() {
        List<String> wrong = families(recorderScrape() + replayScrape()).stream()
                .filter(f -> f.type().equals("counter") && !f.name().endsWith("_total")
                        || f.type().equals("histogram") && !f.name().endsWith("_seconds")
                        || !f.name().matches("lsr_(recorder|runlog|replay)_[a-z_]+"))
                .map(Family::toString)
                .toList();
        assertEquals(List.of(), wrong);
    }

    /** The families of {@code scrape} whose name {@code doc} does not show in backticks. */
    private static List<String> undocumented(String scrape, String doc) {
        return families(scrape).stream()
                .map(Family::name)
                .filter(name -> !name.endsWith("_max")) // each timer's and summary's maximum: one line for all
                .filter(name -> !doc.contains("`" + name + "`"))
                .toList();
    }

    private static PrometheusMeterRegistry recorderRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new RecorderMetrics(registry);
        return registry;
    }

    /** The replay server's own meters (not the JVM's it serves beside them), read from an index of nothing. */
    private static PrometheusMeterRegistry replayRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ReplayMeters<Object>(
                        index -> 0, index -> 0, index -> 0, index -> 0, index -> 0, index -> 0, index -> 0, index -> 0)
                .bindTo(registry, new Object());
        return registry;
    }

    private static String recorderScrape() {
        return recorderRegistry().scrape();
    }

    private static String replayScrape() {
        return replayRegistry().scrape();
    }

    /** The metric families of a scrape. */
    private static List<Family> families(String scrape) {
        Matcher m = TYPE.matcher(scrape);
        List<Family> families = new ArrayList<>();
        while (m.find()) {
            families.add(new Family(m.group(1), m.group(2)));
        }
        return families;
    }

    private static Set<String> matches(Pattern pattern, String text, int group) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(group));
        }
        return found;
    }

    /** The README and every page under docs/, from the nearest folder up that has docs/. */
    private static List<Path> docs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isRegularFile(dir.resolve("README.md"))) {
                try (Stream<Path> pages = Files.list(dir.resolve("docs"))) {
                    return Stream.concat(
                                    Stream.of(dir.resolve("README.md")),
                                    pages.filter(p -> p.toString().endsWith(".md"))
                                            .sorted())
                            .toList();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no docs/ in " + Path.of("").toAbsolutePath() + " or above");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Family(String name, String type) {}
}
