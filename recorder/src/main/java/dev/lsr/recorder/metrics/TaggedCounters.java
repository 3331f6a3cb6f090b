package dev.lsr.recorder.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One counter per value of one tag, all registered up front, so a hook only looks its value up. */
final class TaggedCounters {

    private final Map<String, Counter> byValue;

    TaggedCounters(MeterRegistry registry, String name, String description, String tag, List<String> values) {
        byValue = values.stream()
                .collect(Collectors.toUnmodifiableMap(
                        Function.identity(),
                        value -> Counter.builder(name)
                                .description(description)
                                .tag(tag, value)
                                .register(registry)));
    }

    /** Counts one for {@code value}, which must be one of the values given at construction. */
    void increment(String value) {
        Counter counter = byValue.get(value);
        if (counter == null) {
            throw new IllegalArgumentException("not a value of this tag: " + value);
        }
        counter.increment();
    }
}
