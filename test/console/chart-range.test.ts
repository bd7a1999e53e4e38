/** Regression: a metric chart of one sample drew a time axis of several years (uPlot widens a zero-width range by years). */
import { describe, expect, it } from 'vitest';
import { autoTimeRange, MIN_TIME_SPAN_S, timeRange, valueRange } from '../../console/src/chart-range';

const t = 1_764_881_234; // epoch seconds
const now = t + 3_600;

describe('the time range of a metric chart', () => {
  it.each([
    ['one sample, or samples all at one instant', t, t, [t - 150, t + 150]],
    ['samples a minute apart', t, t + 60, [t + 30 - 150, t + 30 + 150]],
    ['samples exactly the minimum apart', t, t + MIN_TIME_SPAN_S, [t, t + MIN_TIME_SPAN_S]],
    ['samples an hour apart', t, t + 3_600, [t, t + 3_600]],
  ] as const)('%s: %s..%s → %j', (_name, min, max, expected) => {
    expect(timeRange(min, max, now)).toEqual(expected);
  });

  it('is the few minutes before now when there is no data yet', () => {
    expect(timeRange(null, null, now)).toEqual([now - MIN_TIME_SPAN_S, now]);
    expect(timeRange(Number.NaN, t, now)).toEqual([now - MIN_TIME_SPAN_S, now]);
  });

  it('is never narrower than the minimum, whatever the data', () => {
    for (const [min, max] of [[t, t], [t, t + 1], [t, t + 299], [0, 0], [t, t + 10_000]] as const) {
      const [from, to] = timeRange(min, max, now);
      expect(to - from).toBeGreaterThanOrEqual(MIN_TIME_SPAN_S);
      expect(from).toBeLessThanOrEqual(min);
      expect(to).toBeGreaterThanOrEqual(max);
    }
  });
});

describe('the time range given to uPlot\'s range hook', () => {
  it('replaces uPlot\'s 1,000 days after a single sample with minutes around it', () => {
    expect(autoTimeRange(t, t + 86_400_000, t, t, now)).toEqual([t - 150, t + 150]);
  });

  it('widens the data\'s own extent when narrow, keeps it when wide', () => {
    expect(autoTimeRange(t, t + 60, t, t + 60, now)).toEqual([t - 120, t + 180]);
    expect(autoTimeRange(t, t + 3_600, t, t + 3_600, now)).toEqual([t, t + 3_600]);
  });

  it('keeps a range the user zoomed to, and gives the minutes before now without data', () => {
    expect(autoTimeRange(t + 100, t + 200, t, t + 3_600, now)).toEqual([t + 100, t + 200]);
    expect(autoTimeRange(null, null, undefined, undefined, now)).toEqual([now - MIN_TIME_SPAN_S, now]);
  });
});

describe('the value range of a metric chart', () => {
  it.each([
    ['a flat series', 50, 50, [0, 100]],
    ['a flat series at zero', 0, 0, [0, 1]],
    ['a flat negative series', -4, -4, [-8, 0]],
    ['values from 10 to 110', 10, 110, [0, 120]],
    ['values from 100 to 200', 100, 200, [90, 210]],
    ['values from -10 to 10', -10, 10, [-12, 12]],
    ['values from -200 to -100', -200, -100, [-210, -90]],
    ['no data', null, null, [0, 1]],
  ] as const)('%s: %s..%s → %j', (_name, min, max, expected) => {
    const [low, high] = valueRange(min, max);
    expect(low).toBeCloseTo(expected[0]);
    expect(high).toBeCloseTo(expected[1]);
  });

  it('always holds the values, with room above the highest', () => {
    for (const [min, max] of [[0.6, 0.6], [0.5, 0.9], [900, 900], [0, 1e9], [-3, 7]] as const) {
      const [low, high] = valueRange(min, max);
      expect(low).toBeLessThanOrEqual(min);
      expect(high).toBeGreaterThan(max);
    }
  });
});
