/**
 * One analytics record per run: {@link dev.lsr.consumer.projection.summary.RunSummaryFold} over a run's log
 * entries, resumable from its serialisable {@link dev.lsr.consumer.projection.summary.RunSummaryState}.
 * Fields: {@code docs/run-summary.md}.
 */
package dev.lsr.consumer.projection.summary;
