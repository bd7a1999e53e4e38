/**
 * Confidence that grows with history, after the VPA recommender: a recommendation from minutes of
 * data should not be trusted like one from an hour. Both the number of samples and the span of time
 * they cover must grow (many samples in one burst are one observation of one moment).
 */
import type { OptimizerConfig } from './config';
import type { OptimizerState } from './state';

/** History confidence in [0, 1]: min(samples / full samples, span / full span). */
export function historyConfidence(state: OptimizerState, cfg: OptimizerConfig): number {
  if (state.sampleCount === 0) return 0;
  const bySamples = cfg.fullConfidenceSamples === 0 ? 1 : state.sampleCount / cfg.fullConfidenceSamples;
  const bySpan = cfg.fullConfidenceSpanMs === 0 ? 1 : (state.lastSampleAtMs - state.firstSampleAtMs) / cfg.fullConfidenceSpanMs;
  return Math.max(0, Math.min(1, bySamples, bySpan));
}

/** Rounds a confidence for publishing: three decimals are plenty and keep records stable. */
export function roundConfidence(c: number): number {
  return Math.round(Math.max(0, Math.min(1, c)) * 1000) / 1000;
}
