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
 *
 * Two readings of the residual are judged. Its average over {@link RECENT_HALF_LIFE_SAMPLES} finds
 * departures from the daily shape that last. The residual of the sample itself finds a spike at the
 * crest or a drop at the trough: a value inside the range the cycle visits and within the flat
 * baseline's spread (which the cycle inflates), but far from what is usual at this hour and from the
 * samples just before it.
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
  /** History of the sample's own residual (see {@link seasonalScore}). */
  readonly point: SurpriseStats;
  /** Residuals folded into `surprise` so far, capped (it drives the plain average of a young history). */
  readonly residuals: number;
}

/** The seasonal state of a series never seen before. */
export function initialSeasonalState(): SeasonalState {
  const zeros = new Array<number>(SEASONAL_BINS).fill(0);
  return { profile: { means: zeros, variances: zeros, counts: zeros, firstDay: null }, surprise: initialSurpriseStats(), point: initialSurpriseStats(), residuals: 0 };
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
// The sample's own residual is judged at a half-life of one sample: a point event is one sample.
const POINT_HALF_LIFE_SAMPLES = 1;
// The sample's own residual is judged only where the hours explain at least this fraction of the
// series' spread (the bins' mean variance below the rest of the baseline's variance). Elsewhere a
// value far from its hour says no more than one far from the baseline, which the likelihood stage
// judges; on the NAB series without a daily shape (routine spikes, bursts) a bin that rarely sees a
// spike has a small spread, and judging there more than doubled the false alarms (30 -> 72 rows).
// 0.5 to 0.9 gave the same results (docs/benchmarks.md).
const POINT_EXPLAINED_FRACTION = 0.5;
// Maps a residual of 3 bin stddevs to a raw surprise of 0.5, as for the baseline (`surprise.ts`).
const HALF_SURPRISE_STD = 3;

/**
 * The residual of `x` from its bin (before it is learnt), in bin stddevs; null until the profile is
 * trusted. `baselineStd` is the series' spread, the floor of a bin's.
 */
export function seasonalZ(p: SeasonalProfile, x: number, timestampMs: number, baselineStd: number): number | null {
  const bin = binAt(p, timestampMs, baselineStd);
  return bin === null ? null : (x - bin.mean) / bin.std;
}

/** The bin's mean and spread (floored as in {@link seasonalZ}); null until the profile is learnt from. */
function binAt(p: SeasonalProfile, timestampMs: number, baselineStd: number): { mean: number; std: number } | null {
  const day = Math.floor(timestampMs / DAY_MS);
  if (p.firstDay === null || day - p.firstDay < LEARN_AFTER_DAYS) return null;
  const b = binOf(timestampMs);
  if ((p.counts[b] as number) < 1) return null;
  const mean = p.means[b] as number;
  return { mean, std: Math.max(Math.sqrt(p.variances[b] as number), FLOOR_BASELINE_STD * baselineStd, stdFloor(mean)) };
}

/** Whether the hours explain at least the {@link POINT_EXPLAINED_FRACTION} of the series' spread. */
export function hoursExplainSpread(p: SeasonalProfile, baselineStd: number): boolean {
  let sum = 0;
  for (const v of p.variances) sum += v;
  return sum / SEASONAL_BINS < (1 - POINT_EXPLAINED_FRACTION) * baselineStd * baselineStd;
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
  /**
   * Likelihood score in [0, 1]: the larger of the recent residual's under its history and, where
   * the hours explain the spread, the sample's own residual's under its history; 0 while untrusted.
   */
  readonly score: number;
  /** The sample's residual in bin stddevs; null while the profile is untrusted. */
  readonly z: number | null;
}

/**
 * Judges `x` against the profile, then learns it. `historyHalfLifeSamples`, `minStd` and `clampZ`
 * are the likelihood stage's and the baseline's settings, shared so the stages agree on what a
 * long history and an outlier are. `settled` is where the series was just before `x` (the median
 * of the last three values): the sample's own residual is judged only as far as `x` also left it,
 * so the samples of a ramp or of a plateau, each close to the one before, are left to the averaged
 * residual and the drift test (a point event there was reported with the wrong kind), while its
 * history learns the plain residual, the series' ordinary spread of it.
 */
export function seasonalScore(
  s: SeasonalState,
  x: number,
  timestampMs: number,
  baselineStd: number,
  historyHalfLifeSamples: number,
  minStd: number,
  clampZ: number,
  settled: number,
): SeasonalReading {
  const bin = binAt(s.profile, timestampMs, baselineStd);
  const profile = updateProfile(s.profile, x, timestampMs, clampZ);
  if (bin === null) return { state: { ...s, profile }, score: 0, z: null };
  const z = (x - bin.mean) / bin.std;
  const m = Math.abs(z);
  const residuals = Math.min(s.residuals + 1, COUNT_CAP);
  const likely = updateSurprise(s.surprise, squash(m), historyHalfLifeSamples, RECENT_HALF_LIFE_SAMPLES, minStd, residuals);
  const left = Math.min(m, Math.abs(x - settled) / bin.std);
  const point = updateSurprise(s.point, squash(m), historyHalfLifeSamples, POINT_HALF_LIFE_SAMPLES, minStd, residuals,
    squash(left));
  const judged = Math.floor(timestampMs / DAY_MS) - (profile.firstDay as number) >= JUDGE_AFTER_DAYS;
  // Asked of the profile with this sample in: one sample barely moves the bins' mean variance.
  const pointScore = hoursExplainSpread(profile, baselineStd) ? point.score : 0;
  return {
    state: { profile, surprise: likely.stats, point: point.stats, residuals },
    score: judged ? Math.max(likely.score, pointScore) : 0,
    z: judged ? z : null,
  };
}

function squash(z: number): number {
  return z / (z + HALF_SURPRISE_STD);
}
