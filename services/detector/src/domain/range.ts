/**
 * The range a series has visited: a value well outside everything seen so far is anomalous however
 * ordinary its z-score (a daily cycle inflates the variance, so a peak twice as high as any before
 * can still sit at z = 2.5). The range expands at once and contracts slowly towards the baseline,
 * so it forgets an old incident instead of growing for ever, in two numbers of state.
 */

/** Lowest and highest values visited, with slow forgetting. */
export interface Range {
  readonly low: number;
  readonly high: number;
}

/**
 * How far outside the range a value lies, as a fraction of the range width (0 when inside the range
 * widened by the tolerance: a fraction of its width plus `toleranceStd` standard deviations, since
 * a young range is narrow and white noise sets a new record now and then, by a little).
 */
export function rangeExcess(r: Range, value: number, toleranceFraction: number, toleranceStd: number, std: number): number {
  const width = r.high - r.low;
  if (!(width > 0)) return 0;
  const tol = toleranceFraction * width + toleranceStd * std;
  if (value > r.high + tol) return (value - r.high) / width;
  if (value < r.low - tol) return (r.low - value) / width;
  return 0;
}

/**
 * Widens the range to include `value`, after pulling both ends towards `centre` by `alpha`: an old
 * extreme is forgotten at the baseline's slow pace rather than kept for ever.
 */
export function updateRange(r: Range, value: number, centre: number, alpha: number): Range {
  const high = r.high - alpha * (r.high - centre);
  const low = r.low - alpha * (r.low - centre);
  return { low: Math.min(low, value), high: Math.max(high, value) };
}
