package dev.lsr.consumer.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads OTLP span trees back for assertions: the spans of a request, their parents and attributes. */
public final class SpanTrees {

    private SpanTrees() {}

    public static List<Span> spans(ExportTraceServiceRequest request) {
        List<Span> spans = new ArrayList<>();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                spans.addAll(scope.getSpansList());
            }
        }
        return spans;
    }

    /**
     * The tree as lines, one per span in the request's order: {@code name <- parent name} ({@code <- }
     * nothing for the root), so a test compares a whole structure at once.
     */
    public static List<String> shape(ExportTraceServiceRequest request) {
        List<Span> spans = spans(request);
        Map<ByteString, String> names = new HashMap<>();
        spans.forEach(span -> names.put(span.getSpanId(), span.getName()));
        return spans.stream()
                .map(span -> span.getParentSpanId().isEmpty()
                        ? span.getName()
                        : span.getName() + " <- " + names.getOrDefault(span.getParentSpanId(), "?"))
                .toList();
    }

    public static Optional<String> string(Span span, String key) {
        return attribute(span, key).map(kv -> kv.getValue().getStringValue());
    }

    public static Optional<Long> integer(Span span, String key) {
        return attribute(span, key).map(kv -> kv.getValue().getIntValue());
    }

    public static Optional<Double> number(Span span, String key) {
        return attribute(span, key).map(kv -> kv.getValue().getDoubleValue());
    }

    public static Optional<KeyValue> attribute(Span span, String key) {
        return span.getAttributesList().stream()
                .filter(kv -> kv.getKey().equals(key))
                .findFirst();
    }

    public static String hex(ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }
}
