/**
 * Suppression of repeated alarms. Every anomaly triggers a healing action downstream, so one event
 * must fire once, not on every sample while it lasts.
 */
import type { ResolvedDetectorConfig } from './config';
import type { Refractory } from './state';
import type { AnomalyKind } from './verdict';

/** A score after suppression, and the refractory state to carry on. */
export interface Gated {
  readonly score: number;
  readonly refractory: Refractory;
}

// Regime kinds describe a lasting change, and a point kind (spike, drop) is often its first
// sample. Letting a regime kind through once reports "the spike was the start of a shift" (a
// different remedy) instead of hiding it.
const REGIME_KINDS: ReadonlySet<AnomalyKind> = new Set(['drift', 'oscillation']);

// Keeps suppressed scores ordered among themselves (useful to a threshold sweep) yet always below
// the threshold.
const SUPPRESSED_SCALE = 0.99;

// A new extreme breaks through only when clearly worse: beyond the range (which already includes
// the event's own values) by a quarter of its width. Noise on a shifted level sets small new
// records for a few samples, and those are the same event.
const BREAKTHROUGH_EXCESS = 0.25;

/** No alarm in progress. */
export const IDLE: Refractory = { remaining: 0, kind: null };

/**
 * Applies the refractory period to a score. While it runs, scores are scaled below the threshold,
 * so that `score >= threshold` and "an anomaly is reported" remain the same statement for the
 * caller and for NAB. Two things break through: a value clearly beyond every extreme seen so far
 * ("worse than the alarm already raised": the healing is not working), except during flapping, and
 * a change to a regime kind (a spike that turns out to be the start of a drift or of flapping).
 */
export function applyRefractory(
  r: Refractory,
  score: number,
  kind: AnomalyKind,
  rangeExcess: number,
  config: ResolvedDetectorConfig,
): Gated {
  const active = r.remaining > 0;
  // A flapping regime swings past the range it had before by nature until that range has widened:
  // its new extremes are the same event, not a worse one.
  const worse = rangeExcess >= BREAKTHROUGH_EXCESS && r.kind !== 'oscillation';
  const breaksThrough = worse || (kind !== r.kind && REGIME_KINDS.has(kind));
  const out = active && !breaksThrough ? score * SUPPRESSED_SCALE * config.threshold : score;
  if (out >= config.threshold) return { score: out, refractory: { remaining: config.refractorySamples, kind } };
  return { score: out, refractory: active ? { remaining: r.remaining - 1, kind: r.kind } : IDLE };
}
