/**
 * The range a series has visited: a value well outside everything seen so far is anomalous however
 * ordinary its z-score (a daily cycle inflates the variance, so a peak twice as high as any before
 * can still sit at z = 2.5). The range expands at once and contracts slowly towards the baseline,
 * so it forgets an old incident instead of growing for ever, in two numbers of state.
 *
 * How far beyond the range counts as new depends on the series: one whose peaks vary (routine
 * spikes of a quiet CPU, a heavy-tailed metric) sets small records now and then as its normal,
 * so the range also remembers, per side, the largest margin by which a value went past it without
 * being a new extreme (its routine record margin), and a new extreme must beat that margin by half
 * again. Two more numbers of state.
 */

/** Lowest and highest values visited, with slow forgetting, and the routine record margins. */
export interface Range {
  readonly low: number;
  readonly high: number;
  /**
   * The largest amount by which a value went above `high` (below `low`) while within the
   * tolerance, after warm-up; value units, forgotten at the range's pace. 0 until one has.
   */
  readonly routineHigh: number;
  readonly routineLow: number;
}

// A record is new only when it beats the series' routine record margin by this factor: records of
// a varying peak come in varying sizes, so a record a little larger than the last routine one is
// still routine. Larger factors (1.75, 2) missed a real spike on a heavy-tailed series of the
// synthetic fleet; 1.25 changed nothing on NAB (docs/benchmarks.md, issue 10, fourth pass).
const ROUTINE_MARGIN_FACTOR = 1.5;

/** A range of one value, with no routine margins yet. */
export function seedRange(value: number): Range {
  return { low: value, high: value, routineHigh: 0, routineLow: 0 };
}

// On a series that has only visited positive values (a rate, a count, bytes, a latency, a price),
// a value below this fraction of the lowest one visited is an order of magnitude below anything
// seen: a new extreme, however small the fall is in value units.
const POSITIVE_LOW_RATIO = 0.1;

/**
 * How far outside the range a value lies, as a fraction of the range width (0 when inside the range
 * widened by the tolerance: a fraction of its width plus `toleranceStd` standard deviations, since
 * a young range is narrow and white noise sets a new record now and then, by a little; on a side
 * where the series' routine record margin times {@link ROUTINE_MARGIN_FACTOR} is larger, that).
 *
 * Below a positive range the scale is multiplicative as well: such series are usually skewed to
 * the right (bursts up, a floor below), so their width and spread are set by the bursts, and a fall
 * towards zero (an outage, a feed that stopped) can stay within a tolerance of one stddev. A value
 * below {@link POSITIVE_LOW_RATIO} of the low is outside the range once it is below the low by the
 * width fraction alone: the stddev term is for noise at the edge, and a fall to a tenth is not that.
 * The width fraction stays, so a series whose low has crept up from zero (the range forgets towards
 * the baseline) does not call its next zero an extreme.
 */
export function rangeExcess(r: Range, value: number, toleranceFraction: number, toleranceStd: number, std: number): number {
  const width = r.high - r.low;
  if (!(width > 0)) return 0;
  const edge = toleranceFraction * width;
  const tol = edge + toleranceStd * std;
  if (value > r.high + Math.max(tol, ROUTINE_MARGIN_FACTOR * r.routineHigh)) return (value - r.high) / width;
  if (value < r.low - Math.max(tol, ROUTINE_MARGIN_FACTOR * r.routineLow)) return (r.low - value) / width;
  if (r.low > 0 && value < POSITIVE_LOW_RATIO * r.low && value < r.low - edge) return (r.low - value) / width;
  return 0;
}

/**
 * Widens the range to include `value`, after pulling both ends towards `centre` by `alpha`: an old
 * extreme is forgotten at the baseline's slow pace rather than kept for ever. The routine margins
 * fade at the same pace. With `routine` (after warm-up, and `value` not a new extreme), a record
 * `value` sets is routine, and its margin is remembered when larger than the faded one; warm-up's
 * records are not (the range is still being found, and every early value sets one).
 */
export function updateRange(r: Range, value: number, centre: number, alpha: number, routine: boolean): Range {
  const high = r.high - alpha * (r.high - centre);
  const low = r.low - alpha * (r.low - centre);
  const fadedHigh = (1 - alpha) * r.routineHigh;
  const fadedLow = (1 - alpha) * r.routineLow;
  return {
    low: Math.min(low, value),
    high: Math.max(high, value),
    routineHigh: routine ? Math.max(fadedHigh, value - r.high) : fadedHigh,
    routineLow: routine ? Math.max(fadedLow, r.low - value) : fadedLow,
  };
}
