/**
 * Anomaly likelihood: instead of thresholding raw surprise (which is large all the time on a noisy
 * series and small all the time on a smooth one), ask how improbable the *recent* surprise is under
 * the series' own long-run distribution of surprise. This is the idea behind Numenta's anomaly
 * likelihood; here the distribution is a Gaussian fitted by exponential weighting, so it takes
 * constant space instead of a window of thousands of raw scores.
 */
import { alphaForHalfLife } from './baseline';

/** Long-run and recent statistics of the raw surprise. */
export interface SurpriseStats {
  readonly longMean: number;
  readonly longVariance: number;
  readonly recentMean: number;
  /**
   * Recent average of the surprise that is judged, when it differs from the one the history learns
   * (see {@link updateSurprise}); equal to `recentMean` otherwise.
   */
  readonly judgedMean: number;
}

/** Statistics before any surprise has been seen. */
export function initialSurpriseStats(): SurpriseStats {
  return { longMean: 0, longVariance: 0, recentMean: 0, judgedMean: 0 };
}

/**
 * Complementary error function, Chebyshev fit with fractional error below 1.2e-7 everywhere,
 * including deep in the tail where the score lives (a plain 1 - erf would lose it to rounding).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

/** Upper tail probability of the standard normal: P(Z > z). */
export function normalTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

// The score is -log10(tail)/10: tail 1e-5 maps to 0.5, 1e-10 (and beyond) to 1. The log spreads the
// interesting region (tiny tails) over the whole [0, 1] so a threshold sweep can rank it.
const TAIL_FLOOR = 1e-10;
const LOG_TAIL_FLOOR = Math.log(TAIL_FLOOR);

/** Maps an upper-tail probability to a score in [0, 1]; monotone decreasing in the tail. */
export function scoreOfTail(tail: number): number {
  const s = Math.log(tail + TAIL_FLOOR) / LOG_TAIL_FLOOR;
  return s <= 0 ? 0 : s >= 1 ? 1 : s;
}

/**
 * Folds one raw surprise in and returns the new statistics with the likelihood score of the recent
 * surprise under the long-run distribution as it was *before* this sample (judging a sample against
 * a history that already contains it would let large events dampen themselves).
 *
 * `judged` is the surprise whose recent average is scored, when the caller has a stricter reading
 * of this sample than `surprise` (by default the same). The history still learns `surprise`: the
 * spread it records is the series' ordinary spread of raw surprise, so a judged reading that is
 * never above the raw one can only lower a score, never make the series look calmer than it is and
 * every other sample more anomalous.
 */
export function updateSurprise(
  s: SurpriseStats,
  surprise: number,
  historyHalfLifeSamples: number,
  recentHalfLifeSamples: number,
  minStd: number,
  samples: number,
  judged: number = surprise,
): { stats: SurpriseStats; score: number } {
  const ar = alphaForHalfLife(recentHalfLifeSamples);
  const recentMean = s.recentMean + ar * (surprise - s.recentMean);
  const judgedMean = s.judgedMean + ar * (judged - s.judgedMean);
  const std = Math.max(Math.sqrt(s.longVariance), minStd);
  const score = scoreOfTail(normalTail((judgedMean - s.longMean) / std));
  // 1/n at first: the plain average of what has been seen, so a young series is judged against its
  // own short history instead of against the all-zero starting point.
  const al = Math.max(alphaForHalfLife(historyHalfLifeSamples), 1 / samples);
  // The history is of the recent *average*, the quantity being judged, so noise that averages out
  // is not mistaken for spread.
  const d = recentMean - s.longMean;
  const stats: SurpriseStats = {
    longMean: s.longMean + al * d,
    longVariance: (1 - al) * (s.longVariance + al * d * d),
    recentMean,
    judgedMean,
  };
  return { stats, score };
}
