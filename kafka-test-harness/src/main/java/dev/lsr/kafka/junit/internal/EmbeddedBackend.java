package dev.lsr.kafka.junit.internal;

import dev.lsr.kafka.EmbeddedKafkaBroker;
import dev.lsr.kafka.junit.Backend;

/** The embedded KRaft broker on 127.0.0.1, an ephemeral port and a temporary data dir. */
public record EmbeddedBackend(EmbeddedKafkaBroker broker) implements RunningBroker {

    public static EmbeddedBackend start() {
        return new EmbeddedBackend(
                EmbeddedKafkaBroker.builder().host("127.0.0.1").port(0).start());
    }

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public Backend backend() {
        return Backend.EMBEDDED;
    }

    @Override
    public void close() {
        broker.close();
    }
}
