/**
 * A seasonal profile of log-load over one period (a day, a week), at a fixed number of bins: the
 * mean log-load of each bin, averaged over the last few periods. Bounded whatever the history (two
 * numbers per bin) and independent of the sample interval: a bin's samples are first averaged into
 * one visit, and a visit, not a sample, is what the profile averages.
 *
 * A bin is trusted once it has been visited in two periods: one period cannot tell a season from a
 * coincidence. That is "the seasonality the history supports": none before two days of history,
 * daily after two days, weekly after two weeks.
 */

/** JSON state of a profile. Values are log-loads rounded to 3 decimals to keep the state small. */
export interface SeasonalProfile {
  readonly periodMs: number;
  readonly bins: number;
  readonly values: readonly number[];
  /** Visits per bin, capped at {@link MAX_VISITS}. */
  readonly visits: readonly number[];
  /** The bin being visited (−1 before any sample), and the running sum and count of its samples. */
  readonly openBin: number;
  readonly openSum: number;
  readonly openCount: number;
}

/** Visits a bin averages over: a season older than four periods is forgotten gradually. */
export const MAX_VISITS = 4;
/** Visits that make a bin trusted. */
export const MIN_VISITS = 2;

export function emptyProfile(periodMs: number, bins: number): SeasonalProfile {
  return { periodMs, bins, values: new Array<number>(bins).fill(0), visits: new Array<number>(bins).fill(0), openBin: -1, openSum: 0, openCount: 0 };
}

function binOf(p: SeasonalProfile, atMs: number): number {
  const phase = ((atMs % p.periodMs) + p.periodMs) % p.periodMs;
  return Math.min(p.bins - 1, Math.floor(phase / (p.periodMs / p.bins)));
}

/** Adds one observation of log-load `y` at `atMs`. Returns a new profile. */
export function observeSeason(p: SeasonalProfile, atMs: number, y: number): SeasonalProfile {
  const bin = binOf(p, atMs);
  if (bin === p.openBin) return { ...p, openSum: p.openSum + y, openCount: p.openCount + 1 };
  let { values, visits } = p;
  if (p.openBin >= 0 && p.openCount > 0) {
    const mean = p.openSum / p.openCount;
    const seen = visits[p.openBin]!;
    const updated = seen === 0 ? mean : values[p.openBin]! + (mean - values[p.openBin]!) / Math.min(seen + 1, MAX_VISITS);
    const nextValues = values.slice();
    const nextVisits = visits.slice();
    nextValues[p.openBin] = Math.round(updated * 1000) / 1000;
    nextVisits[p.openBin] = Math.min(MAX_VISITS, seen + 1);
    values = nextValues;
    visits = nextVisits;
  }
  return { ...p, values, visits, openBin: bin, openSum: y, openCount: 1 };
}

/** The profile at `atMs`, interpolated between bin centres; null where a bin is not trusted yet. */
export function seasonAt(p: SeasonalProfile, atMs: number): number | null {
  const binMs = p.periodMs / p.bins;
  const phase = ((atMs % p.periodMs) + p.periodMs) % p.periodMs;
  const x = phase / binMs - 0.5;
  const lo = ((Math.floor(x) % p.bins) + p.bins) % p.bins;
  const hi = (lo + 1) % p.bins;
  if (p.visits[lo]! < MIN_VISITS || p.visits[hi]! < MIN_VISITS) return null;
  const f = x - Math.floor(x);
  return p.values[lo]! * (1 - f) + p.values[hi]! * f;
}

/**
 * How far above its value at `fromMs` the profile rises within the next `horizonMs` (≥ 0), or null
 * when the profile is not trusted there. Checked at both ends and every bin centre in between.
 */
export function seasonalRise(p: SeasonalProfile, fromMs: number, horizonMs: number): number | null {
  const now = seasonAt(p, fromMs);
  if (now === null) return null;
  const binMs = p.periodMs / p.bins;
  let peak = now;
  const firstCentre = (Math.floor((fromMs - binMs / 2) / binMs) + 1) * binMs + binMs / 2;
  for (let t = firstCentre; t < fromMs + horizonMs; t += binMs) {
    const v = seasonAt(p, t);
    if (v === null) return null;
    peak = Math.max(peak, v);
  }
  const end = seasonAt(p, fromMs + horizonMs);
  if (end === null) return null;
  return Math.max(peak, end) - now;
}
