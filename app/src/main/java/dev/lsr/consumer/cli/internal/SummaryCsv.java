package dev.lsr.consumer.cli.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lsr.chunklog.Json;
import dev.lsr.consumer.projection.summary.RunSummary;
import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * Writes run summaries as CSV (RFC 4180): one column per summary field, named as in its JSON, in
 * declaration order; maps as compact JSON; null as an empty cell.
 */
public final class SummaryCsv {

    private static final List<String> COLUMNS = Arrays.stream(RunSummary.class.getRecordComponents())
            .map(SummaryCsv::jsonName)
            .toList();

    private SummaryCsv() {}

    public static void writeHeader(PrintWriter out) {
        out.println(String.join(",", COLUMNS));
    }

    public static void write(PrintWriter out, RunSummary summary) {
        JsonNode json = Json.MAPPER.valueToTree(summary);
        StringJoiner line = new StringJoiner(",");
        for (String column : COLUMNS) {
            JsonNode value = json.get(column);
            line.add(
                    value == null || value.isNull()
                            ? ""
                            : escape(value.isValueNode() ? value.asText() : value.toString()));
        }
        out.println(line);
    }

    static String escape(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

    private static String jsonName(RecordComponent component) {
        JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
        if (property == null) {
            property = component.getAnnotation(JsonProperty.class);
        }
        return property != null ? property.value() : component.getName();
    }
}
