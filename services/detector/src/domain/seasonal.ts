/**
 * Time-of-day profile: what this series usually reads at this hour. Many operational metrics
 * follow a daily cycle (traffic, load, batch jobs), and an anomaly in such a series is often a
 * value that would be ordinary at another hour: the daily peak that does not come, a plateau at an
 * hour that is usually quiet. The baseline cannot see it (the cycle is its spread); a profile of
 * the expected value per hour of the day can.
 *
 * The profile is {@link SEASONAL_BINS} hour-of-day bins, each an exponentially weighted mean and
 * variance of the values that fell in it, so the state is bounded whatever the sampling rate. The
 * residual from the profile is judged like the raw surprise, against the series' own history of it
 * (see `likelihood.ts`): a series whose days do not repeat has large residuals all the time, and
 * for it that is normal.
 */
import { alphaForHalfLife, stdFloor } from './baseline';
import { initialSurpriseStats, updateSurprise } from './likelihood';
import type { SurpriseStats } from './likelihood';

/** Bins per day: hourly. Finer bins learn more slowly (fewer samples each) and cost more state. */
export const SEASONAL_BINS = 24;
const DAY_MS = 86_400_000;
const BIN_MS = DAY_MS / SEASONAL_BINS;

/** The per-bin profile: three parallel arrays of {@link SEASONAL_BINS} numbers. */
export interface SeasonalProfile {
  readonly means: readonly number[];
  readonly variances: readonly number[];
  /** Samples folded into each bin, capped (it drives the plain average of a young bin). */
  readonly counts: readonly number[];
  /** Day number (days since the epoch) of the first sample; null before any. */
  readonly firstDay: number | null;
}

/** The profile and the history of the residual from it. */
export interface SeasonalState {
  readonly profile: SeasonalProfile;
  readonly surprise: SurpriseStats;
  /** Residuals folded into `surprise` so far, capped (it drives the plain average of a young history). */
  readonly residuals: number;
}

/** The seasonal state of a series never seen before. */
export function initialSeasonalState(): SeasonalState {
  const zeros = new Array<number>(SEASONAL_BINS).fill(0);
  return { profile: { means: zeros, variances: zeros, counts: zeros, firstDay: null }, surprise: initialSurpriseStats(), residuals: 0 };
}

/** The hour-of-day bin of a timestamp (UTC; a local daily cycle just lands in other bins). */
export function binOf(timestampMs: number): number {
  const inDay = ((timestampMs % DAY_MS) + DAY_MS) % DAY_MS;
  return Math.min(SEASONAL_BINS - 1, Math.floor(inDay / BIN_MS));
}

// The residual is learnt from the second day (against a profile of one day) and judged from the
// third: the history of residuals then holds a day of them, and a young history would make the
// first ordinary residuals look extraordinary.
const LEARN_AFTER_DAYS = 1;
const JUDGE_AFTER_DAYS = 2;
const COUNT_CAP = 1_000_000;
// The bin's spread is at least half the baseline's: on a cycle that repeats exactly, each bin's own
// spread is tiny, and an ordinary wobble would otherwise be a certain anomaly.
const FLOOR_BASELINE_STD = 0.5;
// How fast a bin forgets, in days: slow enough that one odd day does not redraw the profile, fast
// enough that a change of schedule is the new normal within a week.
const HALF_LIFE_DAYS = 3;
// Residuals are averaged over this half-life before they are judged: this stage is for departures
// from the daily shape that last (a missing peak, a plateau); one odd sample is the likelihood
// stage's business, and averaging keeps it from alarming twice.
const RECENT_HALF_LIFE_SAMPLES = 16;
// Maps a residual of 3 bin stddevs to a raw surprise of 0.5, as for the baseline (`surprise.ts`).
const HALF_SURPRISE_STD = 3;

/**
 * The residual of `x` from its bin (before it is learnt), in bin stddevs; null until the profile is
 * trusted. `baselineStd` is the series' spread, the floor of a bin's.
 */
export function seasonalZ(p: SeasonalProfile, x: number, timestampMs: number, baselineStd: number): number | null {
  const day = Math.floor(timestampMs / DAY_MS);
  if (p.firstDay === null || day - p.firstDay < LEARN_AFTER_DAYS) return null;
  const b = binOf(timestampMs);
  if ((p.counts[b] as number) < 1) return null;
  const mean = p.means[b] as number;
  const std = Math.max(Math.sqrt(p.variances[b] as number), FLOOR_BASELINE_STD * baselineStd, stdFloor(mean));
  return (x - mean) / std;
}

/**
 * What the profile expects at `timestampMs` (its bin's mean), once it is trusted: from the day the
 * residual is judged, as in {@link seasonalScore}. Null before, or for a bin never visited.
 */
export function expectedAt(p: SeasonalProfile, timestampMs: number): number | null {
  const day = Math.floor(timestampMs / DAY_MS);
  if (p.firstDay === null || day - p.firstDay < JUDGE_AFTER_DAYS) return null;
  const b = binOf(timestampMs);
  return (p.counts[b] as number) < 1 ? null : (p.means[b] as number);
}

/**
 * Folds `x` into its bin at a rate of max(1/n, the half-life's), the deviation clamped to `clampZ`
 * bin stddevs (an outlier must not teach the profile that it is normal at this hour).
 */
export function updateProfile(p: SeasonalProfile, x: number, timestampMs: number, clampZ: number): SeasonalProfile {
  const b = binOf(timestampMs);
  const n = Math.min((p.counts[b] as number) + 1, COUNT_CAP);
  const day = Math.floor(timestampMs / DAY_MS);
  const firstDay = p.firstDay ?? day;
  // A bin receives about n / days samples a day, so the half-life in its own samples follows.
  const days = Math.max(1, day - firstDay + 1);
  const a = Math.max(alphaForHalfLife(Math.max(1, (HALF_LIFE_DAYS * n) / days)), 1 / n);
  const mean0 = p.means[b] as number;
  const var0 = p.variances[b] as number;
  const limit = clampZ * Math.sqrt(var0);
  const raw = n === 1 ? 0 : x - mean0;
  const dev = var0 > 0 ? Math.max(-limit, Math.min(limit, raw)) : raw;
  const means = p.means.slice();
  const variances = p.variances.slice();
  const counts = p.counts.slice();
  means[b] = n === 1 ? x : mean0 + a * dev;
  variances[b] = (1 - a) * (var0 + a * dev * dev);
  counts[b] = n;
  return { means, variances, counts, firstDay };
}

/** What the seasonal stage says about one sample. */
export interface SeasonalReading {
  /** The state to keep. */
  readonly state: SeasonalState;
  /** Likelihood score in [0, 1] of the recent residual under its history; 0 while untrusted. */
  readonly score: number;
  /** The sample's residual in bin stddevs; null while the profile is untrusted. */
  readonly z: number | null;
}

/**
 * Judges `x` against the profile, then learns it. `historyHalfLifeSamples`, `minStd` and `clampZ`
 * are the likelihood stage's and the baseline's settings, shared so the stages agree on what a
 * long history and an outlier are.
 */
export function seasonalScore(
  s: SeasonalState,
  x: number,
  timestampMs: number,
  baselineStd: number,
  historyHalfLifeSamples: number,
  minStd: number,
  clampZ: number,
): SeasonalReading {
  const z = seasonalZ(s.profile, x, timestampMs, baselineStd);
  const profile = updateProfile(s.profile, x, timestampMs, clampZ);
  if (z === null) return { state: { ...s, profile }, score: 0, z };
  const m = Math.abs(z);
  const residuals = Math.min(s.residuals + 1, COUNT_CAP);
  const likely = updateSurprise(s.surprise, m / (m + HALF_SURPRISE_STD), historyHalfLifeSamples, RECENT_HALF_LIFE_SAMPLES,
    minStd, residuals);
  const judged = Math.floor(timestampMs / DAY_MS) - (profile.firstDay as number) >= JUDGE_AFTER_DAYS;
  return { state: { profile, surprise: likely.stats, residuals }, score: judged ? likely.score : 0, z: judged ? z : null };
}
