/**
 * The ranges a metric chart shows, from its data's extremes. uPlot, given a time axis of zero width
 * (one sample, or every sample at the same instant), widens it by years and labels it in years;
 * given a flat series it picks a range that hides where the line is. These say instead: at least a
 * few minutes of time around the data, and a value axis from zero to twice a flat value. Pure, so
 * the edge cases are unit-tested (test/console/chart-range.test.ts).
 */

/** The narrowest time window a chart shows, in seconds: a single sample sits in the middle of it. */
export const MIN_TIME_SPAN_S = 5 * 60;

/** The fraction of the values' spread left free above and below them. */
const VALUE_PAD = 0.1;

/**
 * The x range, in epoch seconds, for data from `minS` to `maxS`: the data's own extent, widened
 * around its middle to `minSpanS` when narrower. Null extremes (no data yet) give the window before `nowS`.
 */
export function timeRange(minS: number | null, maxS: number | null, nowS: number, minSpanS = MIN_TIME_SPAN_S): [number, number] {
  if (minS === null || maxS === null || !Number.isFinite(minS) || !Number.isFinite(maxS)) return [nowS - minSpanS, nowS];
  if (maxS - minS >= minSpanS) return [minS, maxS];
  const middle = (minS + maxS) / 2;
  return [middle - minSpanS / 2, middle + minSpanS / 2];
}

/**
 * The x range for uPlot's range hook, which is handed uPlot's own auto range: for data of zero width
 * that is the first sample plus 86,400 / 0.001 seconds (1,000 days), so the hook looks at the data's
 * first and last times instead. A range other than the data's extent (the user zoomed) is kept.
 */
export function autoTimeRange(initMin: number | null, initMax: number | null, first: number | undefined, last: number | undefined, nowS: number): [number | null, number | null] {
  if (first === undefined || last === undefined) return timeRange(null, null, nowS);
  const isAuto = initMin === first && (initMax === last || first === last);
  return isAuto ? timeRange(first, last, nowS) : [initMin, initMax];
}

/**
 * The y range for values from `min` to `max`: a tenth of their spread free on each side, not below
 * zero for values that are not (metrics are mostly counts, rates and ratios). A flat series at v
 * shows from 0 to 2v (its line in the middle, zero in view); a flat series at 0 from 0 to 1.
 */
export function valueRange(min: number | null, max: number | null): [number, number] {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    if (min === 0) return [0, 1];
    return min > 0 ? [0, 2 * min] : [2 * min, 0];
  }
  const pad = (max - min) * VALUE_PAD;
  const low = min >= 0 ? Math.max(0, min - pad) : min - pad;
  const high = max <= 0 ? Math.min(0, max + pad) : max + pad;
  return [low, high];
}
