package dev.lsr.kafka.junit.internal;

import dev.lsr.kafka.junit.Backend;

/** A started broker of one backend, stopped by {@link #close()}. */
public sealed interface RunningBroker extends AutoCloseable permits EmbeddedBackend, ContainerBackend {

    String bootstrapServers();

    Backend backend();

    @Override
    void close();
}
