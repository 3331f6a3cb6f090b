package dev.lsr.bench.system.internal;

/** Constants every scenario shares. */
final class Sizes {

    /** Partitions of every chunk topic: the recorder's default. */
    static final int PARTITIONS = 6;

    private Sizes() {}
}
