/**
 * Pure projections of the chunk log (no I/O): inputs ({@link dev.lsr.consumer.projection.Chunk},
 * {@link dev.lsr.consumer.projection.RunLogEntry}) shared by the Letta Code buffers
 * ({@code lettacode}), the run transcript ({@code transcript}) and the run summary ({@code summary}).
 */
package dev.lsr.consumer.projection;
