/**
 * Letta Code 0.32.18's buffers rebuilt from chunks: {@link dev.lsr.consumer.projection.lettacode.LettaCodeProjection}
 * creates a session, {@link dev.lsr.consumer.projection.lettacode.LettaCodeBuffers#drain} folds drains into it,
 * {@link dev.lsr.consumer.projection.lettacode.LettaCodeBuffers#toJson} writes the fixtures' expected layout.
 */
package dev.lsr.consumer.projection.lettacode;
