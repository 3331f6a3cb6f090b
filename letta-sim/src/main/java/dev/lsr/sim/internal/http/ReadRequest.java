package dev.lsr.sim.internal.http;

/**
 * How a connection reads a run's stream.
 *
 * @param startingAfter exclusive cursor: only stored frames with a greater seq are sent
 * @param includePings whether keepalive pings (and recorded ones) are sent on this connection
 * @param showSeq whether {@code "seq_id":null} is filled in (background runs) or left null (foreground)
 */
record ReadRequest(long startingAfter, boolean includePings, boolean showSeq) {}
