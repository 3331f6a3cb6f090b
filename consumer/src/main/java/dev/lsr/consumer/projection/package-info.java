/**
 * Pure projections of the chunk log (no I/O): folds over the reader's
 * {@link dev.lsr.consumer.reader.ReplayEvent}s, with the chunk as they read it
 * ({@link dev.lsr.consumer.projection.Chunk}), into the Letta Code buffers ({@code lettacode}), the
 * run transcript ({@code transcript}) and the run summary ({@code summary}).
 */
package dev.lsr.consumer.projection;
