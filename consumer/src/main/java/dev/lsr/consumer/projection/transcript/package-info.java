/**
 * The canonical transcript of a run: {@link dev.lsr.consumer.projection.transcript.TranscriptFold} over a
 * run's log entries, {@link dev.lsr.consumer.projection.transcript.Transcripts} for JSON and terminal text.
 */
package dev.lsr.consumer.projection.transcript;
