import { describe, expect, it } from 'vitest';
import { medianOfLastThree } from '../../src/domain/features';
import { DEFAULT_DETECTOR_CONFIG } from '../../src/domain/index';
import { binOf, expectedAt, hoursExplainSpread, initialSeasonalState, SEASONAL_BINS, seasonalScore, seasonalZ, updateProfile } from '../../src/domain/seasonal';
import type { SeasonalState } from '../../src/domain/seasonal';
import { seededNormal } from './series';

const HOUR_MS = 3_600_000;
const THRESHOLD = DEFAULT_DETECTOR_CONFIG.threshold;
const FIVE_MIN_MS = 300_000;

/** A daily square wave sampled every 5 minutes: 80 from 09:00 to 17:00, 20 otherwise, noise sd 1. */
function daily(i: number, e: number): number {
  const hour = Math.floor((i * FIVE_MIN_MS) / HOUR_MS) % 24;
  return (hour >= 9 && hour < 17 ? 80 : 20) + e;
}

function runDays(days: number, value: (i: number, e: number) => number, seed = 1): { state: SeasonalState; scores: number[] } {
  const noise = seededNormal(seed);
  let state = initialSeasonalState();
  const scores: number[] = [];
  const last: number[] = [];
  for (let i = 0; i < (days * 86_400_000) / FIVE_MIN_MS; i++) {
    const x = value(i, noise());
    // Where the series had settled before x, as the detector's features measure it.
    const settled = last.length === 0 ? x : medianOfLastThree(last);
    const r = seasonalScore(state, x, i * FIVE_MIN_MS, 20, 2000, 0.02, 4, settled);
    state = r.state;
    last.push(x);
    if (last.length > 3) last.shift();
    scores.push(r.score);
  }
  return { state, scores };
}

describe('seasonal: bins', () => {
  it.each([
    [0, 0],
    [HOUR_MS - 1, 0],
    [13 * HOUR_MS + 5, 13],
    [86_400_000 - 1, 23],
    [3 * 86_400_000 + 2 * HOUR_MS, 2],
    [-HOUR_MS, 23],
  ])('binOf(%d) is hour %d of the day', (t, bin) => {
    expect(binOf(t)).toBe(bin);
  });

  it('learns each hour its own level, and stays untrusted before the second day', () => {
    let p = initialSeasonalState().profile;
    for (let h = 0; h < 48; h++) p = updateProfile(p, h % 24 === 10 ? 50 : 5, h * HOUR_MS, 4);
    expect(p.means[10]).toBeCloseTo(50, 6);
    expect(p.means[3]).toBeCloseTo(5, 6);
    expect(seasonalZ(p, 5, 48 * HOUR_MS + 10 * HOUR_MS, 2)).toBeLessThan(-10);
    expect(seasonalZ(initialSeasonalState().profile, 5, 0, 2)).toBeNull();
  });
});

describe('seasonal: scores', () => {
  it('stays quiet on a daily cycle it has learnt', () => {
    const { scores } = runDays(14, daily);
    expect(Math.max(...scores)).toBeLessThan(THRESHOLD);
    expect(scores.slice(0, 576).every((s) => s === 0)).toBe(true);
  });

  it('scores a missing daily peak that the series-wide spread would hide', () => {
    const missingOn = 10;
    const { scores } = runDays(12, (i, e) => {
      const day = Math.floor((i * FIVE_MIN_MS) / 86_400_000);
      return day === missingOn ? 20 + e : daily(i, e);
    });
    const perDay = 288;
    const peakStart = missingOn * perDay + 9 * 12;
    expect(Math.max(...scores.slice(0, missingOn * perDay))).toBeLessThan(THRESHOLD);
    expect(Math.max(...scores.slice(peakStart, peakStart + 24))).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('scores one sample far from its hour and from the samples before it, within the cycle\'s range', () => {
    // 30 at 03:00 on day 10: a fifth of the way from the night's 20 to the day's 80.
    const at = 10 * 288 + 3 * 12;
    const { scores } = runDays(11, (i, e) => (i === at ? 30 + e : daily(i, e)));
    expect(Math.max(...scores.slice(0, at))).toBeLessThan(THRESHOLD);
    expect(scores[at]).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it('judges a sample\'s own residual only where the hours explain the spread', () => {
    expect(hoursExplainSpread(runDays(4, daily).state.profile, 30)).toBe(true);
    // Flat noise: every hour has the series' whole spread.
    expect(hoursExplainSpread(runDays(4, (_, e) => 50 + e).state.profile, 1)).toBe(false);
  });

  it('leaves a step to the averaged residual: its first sample is not scored as a point once the level has left', () => {
    const at = 10 * 288 + 3 * 12;
    const { scores } = runDays(11, (i, e) => (i >= at && i < at + 3 ? 30 + e : daily(i, e)));
    // The second and third samples of the plateau are close to the ones before them.
    expect(scores[at]).toBeGreaterThanOrEqual(THRESHOLD);
    expect(scores[at + 2]!).toBeLessThan(scores[at]!);
  });

  it('keeps its state bounded: three arrays of 24 bins and a few numbers, whatever the length', () => {
    const { state } = runDays(40, daily);
    expect(state.profile.means).toHaveLength(SEASONAL_BINS);
    expect(state.profile.variances).toHaveLength(SEASONAL_BINS);
    expect(state.profile.counts).toHaveLength(SEASONAL_BINS);
    expect(JSON.stringify(state).length).toBeLessThan(1400);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});

describe('seasonal: what is expected at an hour', () => {
  const DAY_MS = 86_400_000;
  const { state } = runDays(4, daily);
  const young = runDays(2, daily).state;

  it('is the hour\'s usual level once the profile is trusted, from the third day', () => {
    expect(expectedAt(state.profile, 4 * DAY_MS + 12 * HOUR_MS)).toBeCloseTo(80, 0);
    expect(expectedAt(state.profile, 4 * DAY_MS + 3 * HOUR_MS)).toBeCloseTo(20, 0);
    expect(expectedAt(young.profile, 2 * DAY_MS + 12 * HOUR_MS)).toBeCloseTo(80, 0);
  });

  it('is unknown before: the profile of a day or two is not trusted to say what is normal', () => {
    expect(expectedAt(initialSeasonalState().profile, 0)).toBeNull();
    expect(expectedAt(young.profile, 1 * DAY_MS + 12 * HOUR_MS)).toBeNull();
  });
});
