package dev.lsr.recorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lsr.recorder.metrics.RecorderMetrics;
import dev.lsr.settings.DocumentedSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every metric the recorder serves on {@code /metrics} has its row in docs/operations.md under its
 * Prometheus name, and every name follows Prometheus' conventions (counters end in {@code _total}, times
 * are histograms in seconds). A {@code # TYPE} line names the family as the samples are named..
 */
class MetricNamesDocTest {

    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);

    @Test
    void everyServedMetricIsDocumentedByItsPrometheusName() {
        String metrics = DocumentedSettings.section(DocumentedSettings.read("docs/operations.md"), "## Metrics");
        List<String> missing = families().stream()
                .map(Family::name)
                .filter(name -> !name.endsWith("_max")) // each timer's and summary's maximum: one line for all
                .filter(name -> !metrics.contains("`" + name + "`"))
                .toList();
        assertEquals(List.of(), missing, "metrics missing from docs/operations.md");
    }

    @Test
    void namesFollowPrometheusConventions() {
        List<String> wrong = families().stream()
                .filter(f -> f.type().equals("counter") && !f.name().endsWith("_total")
                        || f.type().equals("histogram") && !f.name().endsWith("_seconds")
                        || !f.name().matches("lsr_(recorder|runlog)_[a-z_]+"))
                .map(Family::toString)
                .toList();
        assertEquals(List.of(), wrong);
    }

    /** The metric families of a scrape. */
    private static List<Family> families() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new RecorderMetrics(registry);
        Matcher m = TYPE.matcher(registry.scrape());
        List<Family> families = new java.util.ArrayList<>();
        while (m.find()) {
            families.add(new Family(m.group(1), m.group(2)));
        }
        return families;
    }

    private record Family(String name, String type) {}
}
