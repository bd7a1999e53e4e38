/**
 * Load forecast over the next startup delay, so that capacity is asked for before it is needed.
 *
 * Load is "replicas' worth of work": mean utilisation × serving replicas (the replicas a sample
 * needs at full utilisation). It is forecast in log space (a load doubles or halves; it does not add
 * a constant), as the peak over the horizon H = startup delay + one sample interval: replicas asked
 * for now serve from one startup delay on, until those asked for at the next sample can.
 *
 *   point = max(level, latest) + min(ln 1.1, max(0, trend·H)) + seasonal rise over H + burst growth
 *
 * (the latest value when it is above the smoothed level: a rise is met at once, a dip only as the
 * level follows it; the level alone where the samples' own noise dominates, see {@link noiseDominated});
 *
 * - level and trend: Holt's linear smoothing with time constants, not per-sample factors, so the
 *   same history gives the same forecast at any sample interval; the trend adds at most
 *   {@link MAX_TREND_RISE} over the horizon (steady growth is slow; a faster rise is a burst);
 *   where the samples' own noise is a large share of the load, the level averages over longer
 *   (see {@link levelTimeConstantMs});
 * - seasonal rise: how far the daily or weekly profile (seasonal.ts) climbs within H, used only
 *   where the history supports it and only while that model's measured error is lower;
 * - burst: a sample above the previous forecast's band carries its excess over the band once more
 *   into the horizon (a surge in progress keeps surging for a while), and a saturated sample —
 *   whose true load is hidden above capacity — is read as `saturatedGrowth` times what it served.
 * - per-second noise: what a sample's mean hides, learnt from the series' own samples (load-noise.ts),
 *   reported beside the band for the scale-in's floor (observe.ts `coveringReplicas`);
 * - rising: the trend climbs at no more than a steady pace (not where the samples' own noise
 *   dominates: there its sign is noise), reported beside the band so that a scale-in can wait while
 *   the load is on its way back up (observe.ts `coveringReplicas`);
 * - the usual level: the median load measured over the last hours, reported beside the band so that
 *   a scale-in can tell a dip far below it from a return to it (observe.ts `coveringReplicas`);
 * - the staffing share: the target term's margin on a series noisy at its usual level
 *   ({@link noisyAtUsual}), spread over the loads by their noise and spending what the target
 *   utilisation's would over them ({@link staffingShare}, observe.ts `targetReplicas`).
 *
 * The band is empirical: every forecast is checked against the peak that followed it (the error of
 * a forecast issued at t is known at t + H), and the errors go into a decaying histogram whose
 * quantiles give the band (on a noise-dominated series, against the horizon's last sample instead:
 * {@link noiseDominated}). No distribution is assumed; a noisy service gets a wide band, a smooth
 * one a narrow band. The errors are kept twice: as the samples showed them, and with what the
 * samples' own noise adds to the peak of their means taken off ({@link samplesNoiseMaximum}), which
 * grows with the samples a horizon holds, so with the cadence, not with the rate. The rate's band
 * sizes the count; the samples' band, which still holds that noise, is what a sample must clear to
 * be a burst and what a scale-in must stay above (observe.ts `coveringReplicas`). State is bounded:
 * two seasonal profiles, four histograms, and at most {@link MAX_PENDING} forecasts awaiting their
 * horizon (issued at most every H / 8).
 */
import type { OptimizerConfig } from './config';
import { addSample, bucketStart, emptyHistogram, percentile, type DecayingHistogram, type HistogramLayout } from './decaying-histogram';
import { emptyLoadNoise, noiseIndex, observeLoadNoise, perSecondDeviation, type LoadNoise } from './load-noise';
import { standardNormalQuantile } from './normal-quantile';
import { emptyProfile, observeSeason, seasonalRise, type SeasonalProfile } from './seasonal';

/** Forecast models: no seasonality, a daily profile, a weekly one. */
export const SEASONALITIES = ['none', 'daily', 'weekly'] as const;
export type Seasonality = (typeof SEASONALITIES)[number];

const DAY_MS = 86_400_000;
/** Daily profile: 5-minute bins; weekly: 30-minute bins. About 1,250 numbers together. */
const DAILY_BINS = 288;
const WEEKLY_BINS = 336;
/** Load below this many replicas' worth is read as this: log(0) is not a forecast. */
const LOAD_FLOOR = 0.01;
/**
 * The most the trend may add over one horizon (log): ×1.1. Steady growth is slow — a daily ramp adds
 * about 1 % over two minutes, a week-long growth far less — so a steady trend never reaches it. A
 * trend that does was learnt from a jump: in log space a rise out of a near-idle floor (EC2
 * network-in 5abac7: 0.01 to 23 replicas' worth in five minutes) reads as growth of orders of
 * magnitude per hour, and extrapolated over the horizon it asked for ×2-3 the load on the spike's
 * falling side, on top of a saturated sample's ×1.5 (issue 11: +7.0 / +10.5 % replica-hours against
 * the HPA rule at 30 / 60 s samples, where the horizon is longest). A jump is a burst, answered by
 * the burst's carry and the saturated sample's growth, not by the trend.
 */
const MAX_TREND_RISE = Math.log(1.1);
/**
 * The most a trend may climb over one horizon (log) and still read as the load climbing back: ×1.05,
 * half {@link MAX_TREND_RISE}. While the trend climbs at such a pace a scale-in by the forecast waits
 * ({@link LoadForecast} `rising`, observe.ts `coveringReplicas`): the load is on its way up, and a count
 * taken down now tends to be asked for again (issue 11: EC2 network-in 257a54 at 60 s, 2,078 changes
 * against the HPA rule's 2,057; with the wait 2,054, at 1,938 replica-hours against 1,931 and the HPA
 * rule's 2,108; over the replay table −20.8 % changes against the HPA rule instead of −19.9, −3.1 %
 * replica-hours instead of −3.3). A steeper trend was learnt from a jump out of a near-idle floor, not
 * a climb, and says nothing about the next minutes: waiting on any rising trend held the count high
 * after the spikes of EC2 network-in 5abac7 (+5.1 to +6.7 % replica-hours against the HPA rule); with
 * ×1.1 as the bound 5abac7 at 60 s still billed 0.1 % over it (docs/benchmarks.md, eighteenth pass).
 * Where the samples' own noise dominates ({@link noiseDominated}) the trend's sign is that noise, up
 * about half the time on a level series, and the wait is not taken: on the web log at 10 s samples it
 * had cost 0.3 points of replica-hours against the HPA rule (+2.8 → +3.1 %) and moved no other row
 * (docs/benchmarks.md, nineteenth pass).
 */
const STEADY_RISE = Math.log(1.05);
/** Forecasts awaiting their horizon, at most. */
export const MAX_PENDING = 12;
/** Errors are stored shifted by this (the histogram holds values >= 0), in nearly linear buckets. */
const ERROR_OFFSET = 2;
/**
 * Memory of each model's squared-error average, in time: a daily season shows its worth at a few
 * moments a day (a morning ramp), so the comparison must remember about a day, at any cadence.
 */
const MODEL_ERROR_MEMORY_MS = 86_400_000;
/** A seasonal model must beat the plain one by this factor of squared error to be used. */
const SEASONAL_ADVANTAGE = 0.9;
/**
 * The loads whose median is the usual level: 5 % buckets from 0.01 to about 40,000 replicas' worth,
 * halving every 6 hours, so a dip of minutes (or an hour) barely moves it while it follows the level
 * a service has settled at over the day (issue 11: half-lives of 1 h and 24 h gave the same rows).
 */
const USUAL_LAYOUT: HistogramLayout = { firstBucketSize: 0.01, ratio: 1.05, bucketCount: 250, halfLifeMs: 21_600_000 };
/**
 * The level's own noise, as a share of the level, that its time constant is lengthened to stay
 * within (one standard deviation). 10 %: the HPA rule's tolerance, the smallest change worth making.
 */
const LEVEL_NOISE_SHARE = 0.1;
/** The longest the level averages over: ten minutes, a rate that still follows a daily cycle. */
const LEVEL_MAX_TIME_CONSTANT_MS = 600_000;

/** A forecast issued at `atMs`, waiting for the peak of the load until `dueMs`. */
export interface PendingForecast {
  readonly atMs: number;
  readonly dueMs: number;
  readonly model: Seasonality;
  /** Log peak forecast of each model (null where the model had no opinion). */
  readonly points: readonly (number | null)[];
  /** Highest log-load observed after `atMs` so far (on a noise-dominated series, the latest). */
  readonly peak: number | null;
  /** Samples `peak` was taken over (1 on a noise-dominated series: the latest only). */
  readonly samples: number;
}

/** The forecaster's JSON state. */
export interface ForecastState {
  /** Time of the latest observation; null before any. */
  readonly atMs: number | null;
  /** The latest load as measured (linear), before a saturated sample's growth is assumed. */
  readonly measured: number;
  readonly latest: number;
  readonly level: number;
  /** Log-load per millisecond. */
  readonly trend: number;
  /** Smoothed sample interval. */
  readonly intervalMs: number;

  readonly daily: SeasonalProfile;
  readonly weekly: SeasonalProfile;
  /** Mean squared horizon error of each model, once known, and when it was last updated. */
  readonly squaredError: readonly (number | null)[];
  readonly squaredErrorAtMs: number | null;
  readonly errors: DecayingHistogram;
  /**
   * The same errors with what the samples' own noise adds to the peak of their means taken off
   * ({@link samplesNoiseMaximum}): the rate's errors, whose band the count covers.
   */
  readonly rateErrors: DecayingHistogram;
  /** The loads measured (linear), one sample each: their median is the series' usual level. */
  readonly loads: DecayingHistogram;
  readonly pending: readonly PendingForecast[];
  /** Upper band (log) of the forecast issued at the observation before the latest: the burst test. */
  readonly upper: number | null;
  /** The per-second noise the samples' means hide (load-noise.ts). */
  readonly noise: LoadNoise;
}

/** A forecast and its band, in replicas' worth of work. */
export interface LoadForecast {
  /** The load observed at the latest sample (a saturated one's with its assumed growth), and as measured. */
  readonly load: number;
  readonly measured: number;
  /** Peak load forecast over the horizon, and the rate's band at the configured quantile. */
  readonly point: number;
  readonly lower: number;
  readonly upper: number;
  /**
   * The band's top as the samples reach it, their own noise included: at least `upper`, and wider
   * the more samples a horizon holds. The burst test and the scale-in's floor read it.
   */
  readonly samplesUpper: number;
  readonly horizonMs: number;
  readonly seasonality: Seasonality;
  readonly burst: boolean;
  /**
   * The trend climbs, at no more than a steady pace over the horizon ({@link STEADY_RISE}): the load
   * is on its way up. Never on a series whose samples' own noise dominates ({@link noiseDominated}).
   */
  readonly rising: boolean;
  /**
   * The samples' own noise dominates the series ({@link noiseDominated}): a sample is mostly that
   * noise, so tests of one sample against the level (a dip, a climb) read noise, not the load.
   */
  readonly noiseDominated: boolean;
  /** Standard deviation of one second's load about the point forecast (0 for a smooth series). */
  readonly perSecondDeviation: number;
  /** The median load measured over the last hours (0 before any): the level the series usually runs at. */
  readonly usual: number;
  /**
   * The target term's margin over the load at the point, as a share of the target's own margin
   * ({@link staffingShare}); null where the series is not noisy at its usual level
   * ({@link noisyAtUsual}), or before any load: there the target's margin stands.
   */
  readonly staffingShare: number | null;
}

function errorLayout(cfg: OptimizerConfig): HistogramLayout {
  return { firstBucketSize: 0.02, ratio: 1 + 1e-7, bucketCount: 250, halfLifeMs: cfg.forecastErrorHalfLifeMs };
}

/** A forecaster with no history. Its band starts from a prior of `forecastPriorError` until errors are measured. */
export function emptyForecast(cfg: OptimizerConfig, nowMs: number): ForecastState {
  const prior = addSample(emptyHistogram(nowMs), errorLayout(cfg), ERROR_OFFSET + cfg.forecastPriorError, nowMs, 2);
  return {
    atMs: null, measured: 0, latest: 0, level: 0, trend: 0, intervalMs: 0,
    daily: emptyProfile(DAY_MS, DAILY_BINS), weekly: emptyProfile(7 * DAY_MS, WEEKLY_BINS),
    squaredError: [null, null, null], squaredErrorAtMs: null, errors: prior, rateErrors: prior, loads: emptyHistogram(nowMs), pending: [], upper: null,
    noise: emptyLoadNoise(nowMs),
  };
}

/**
 * The level's time constant: the configured one, or longer where the samples' means are noisy
 * relative to the load. An exponential average with time constant τ over samples whose mean over T
 * seconds has variance k·L/T (load-noise.ts: k as the samples show it) has variance about k·L/(2τ),
 * so its standard deviation stays within a share ε of the level L when τ ≥ k / (2ε²L) seconds.
 * A smooth or interpolated series learns no noise, and Poisson arrivals at tens of requests a
 * second need less than the configured 30 s: neither is touched. Page views at a few requests a
 * second (issue 11, the weblog shape: 10-s means with a CV about 0.5) need minutes: with 30 s the
 * level, and the count, followed each sample's noise.
 */
export function levelTimeConstantMs(f: ForecastState, cfg: OptimizerConfig): number {
  const needed = 1000 * noiseIndex(f.noise) / (2 * LEVEL_NOISE_SHARE ** 2 * Math.exp(f.level));
  return Math.max(cfg.forecastLevelTimeConstantMs, Math.min(LEVEL_MAX_TIME_CONSTANT_MS, needed));
}

/**
 * Whether the samples' own noise dominates the series (the level needs longer than configured to
 * stay within {@link LEVEL_NOISE_SHARE}). There, the point's base is the level, not the latest
 * sample (modelPoints), and a forecast is judged against the horizon's last sample, not against the
 * peak of all its samples: replicas asked for at t serve from t + startup
 * for one sample interval, until those asked for at the next sample can, so that interval's load is
 * what a scale-out must meet (the long-window max, the noise floor and the target's margin cover
 * scale-in). The peak of n noisy means grows with n whatever the rate does: on the weblog shape at
 * 10 s the band read from it was ×2.8 the point and held the count at 1.7× the HPA rule's
 * replica-hours. Elsewhere the peak is kept: on Poisson series at 30 requests/s a narrower band
 * let the count follow the point, with more changes than the HPA rule (docs/benchmarks.md, ninth pass).
 */
export function noiseDominated(f: ForecastState, cfg: OptimizerConfig): boolean {
  return levelTimeConstantMs(f, cfg) > cfg.forecastLevelTimeConstantMs;
}

/** The horizon a forecast at this state covers: one startup delay plus one sample interval. */
export function horizonMs(f: ForecastState, cfg: OptimizerConfig): number {
  return cfg.startupMs + f.intervalMs;
}

/** Log peak forecast of each model at the state's latest observation (null: no opinion). */
function modelPoints(f: ForecastState, cfg: OptimizerConfig): { points: (number | null)[]; model: Seasonality; burst: boolean; noisy: boolean } {
  const h = horizonMs(f, cfg);
  const burst = f.upper !== null && f.latest > f.upper;
  // Up at once, down smoothly: a rise is met now, a dip must last before capacity follows it.
  // Where the samples' own noise dominates, the latest sample is mostly that noise, not a rise: the
  // base is the level (the rate), and the target term (observe.ts `coveringReplicas`) still reacts
  // to the sample as measured, as the HPA rule does (issue 11: on the weblog shape the latest's noise,
  // carried into the point, its band and the noise floor, held the count above the HPA rule's).
  // A burst carries only what the band did not explain (the excess over it), not the whole jump:
  // noise that just clears the band would otherwise add its full swing and scale out for a minute
  // (issue 11: half the changes on a low-rate daily trace were such blips).
  const noisy = noiseDominated(f, cfg);
  const base = (noisy ? f.level : Math.max(f.level, f.latest)) + (burst ? Math.min(Math.LN2, f.latest - f.upper!) : 0) + Math.min(MAX_TREND_RISE, Math.max(0, f.trend * h));
  const at = f.atMs ?? 0;
  const daily = seasonalRise(f.daily, at, h);
  const weekly = seasonalRise(f.weekly, at, h);
  const points = [base, daily === null ? null : base + daily, weekly === null ? null : base + weekly];
  // The plainest model unless a seasonal one has a measured, clearly lower error.
  let model: Seasonality = 'none';
  let best = f.squaredError[0] ?? Infinity;
  for (const i of [1, 2] as const) {
    const e = f.squaredError[i];
    if (points[i] !== null && e !== null && e !== undefined && e < best * SEASONAL_ADVANTAGE) {
      model = SEASONALITIES[i];
      best = e;
    }
  }
  return { points, model, burst, noisy };
}

/**
 * Whether one second's load at the series' usual level deviates by at least the tolerance's share of
 * it: demand whose seconds are noisy where it usually runs (Poisson or bursty arrivals at up to tens
 * of requests a second per replica's worth), not a smooth or interpolated series (whose samples learn
 * no noise, or a little). Judged at the usual level, not sample by sample, so that the square-root
 * staffing covers every load of the series its share is spread over: gated on {@link noiseDominated}
 * it covered only the low loads — a web log at 4× the table's rate is noise-dominated on 69 % of its
 * samples, its nights — where it asks for more than the target's margin, while the high loads, where
 * it asks for less and pays for the nights, kept the target's: +3.8 to +4.3 % replica-hours against
 * the HPA rule (docs/benchmarks.md, twelfth pass).
 */
function noisyAtUsual(noise: LoadNoise, usual: number, cfg: OptimizerConfig): boolean {
  return usual > 0 && noisyAt(perSecondDeviation(noise, usual), usual, cfg);
}

/**
 * Whether one second's deviation is at least the tolerance's share of the load it is about: a
 * change the HPA rule would not make is within a second's noise there. Read at the usual level for
 * the staffing ({@link noisyAtUsual}), at the point for the scale-in's swing lift (recommend.ts).
 */
export function noisyAt(deviation: number, load: number, cfg: OptimizerConfig): boolean {
  return deviation >= cfg.tolerance * load;
}

/**
 * The rate's relative uncertainty over the horizon as one standard deviation: the band's log width at
 * its quantile over that quantile of a standard normal (×1/0.84 at the default 0.8). At the median
 * the band says nothing of its spread, and the staffing keeps the seconds' noise alone. A width taken
 * as it is (one deviation read as 0.84) took 27 of the 42 held-out rows with the rate-scaled web logs
 * ahead, as a deviation 29 (docs/benchmarks.md, twelfth pass). The width is the samples' band's:
 * the target term scales the sample as measured, its noise and all; the rate's band there took 29 of
 * those rows ahead instead of 31 (thirteenth pass).
 */
function bandDeviation(hi: number, cfg: OptimizerConfig): number {
  const z = standardNormalQuantile(cfg.forecastQuantile);
  return z > 1e-9 ? Math.max(hi, 0) / z : 0;
}

/**
 * How far the highest of `samples` sample means lies above the rate through their own noise, in log:
 * the expected largest of that many standard normals (Blom's approximation, the normal quantile of
 * (n − 0.375) / (n + 0.25)) times one mean's relative deviation √(k / (L·T)) (load-noise.ts: a
 * T-second mean's variance is k·L/T). It grows with the samples a horizon holds, so a band read from
 * the peak of the samples widens as the cadence shortens though the rate is the same: on the web log
 * at 4× the table's rate its log width was 0.36 at 10 s samples, 0.29 at 15, 0.20 at 30 and 0.14 at
 * 60. 0 for one sample, and for a series without per-second noise.
 */
export function samplesNoiseMaximum(samples: number, k: number, load: number, intervalMs: number): number {
  if (samples <= 1 || !(k > 0 && load > 0 && intervalMs > 0)) return 0;
  return standardNormalQuantile((samples - 0.375) / (samples + 0.25)) * Math.sqrt(k / (load * intervalMs / 1000));
}

/**
 * The staffing margin at load L: m(L) = √(k·L + (c·L)²), one second's noise about the rate (k·L,
 * load-noise.ts) and the rate's own uncertainty over the horizon (c·L, c the band's log width as a
 * deviation, {@link bandDeviation}) under one root. Where the seconds' noise dominates, the margin
 * grows as √L (square-root staffing: per-second overflow is lost alike at every level when the
 * margin is the same number of its deviations); where the rate's uncertainty does, it grows as L,
 * as the target's does. It is scaled so that over the loads of the last hours it spends what the
 * target's margin would: the share at the point p is (m(p) / p) · E[L] / E[m(L)], and
 * E[L · share(L)] = E[L]. With c = 0 this is the pure square root a·√(u·L), u = (E[L] / E[√L])².
 * The square root alone left the peaks of the table's web log at 60 s short of what a level change
 * within the horizon needs (20.99 % unserved against the HPA rule's 20.59, which the target's
 * margin had kept at 20.28); the band's term puts the target's proportion back where the rate is
 * uncertain (20.91 %; and at a capacity of 10 replicas 31 rows ahead instead of 29:
 * docs/benchmarks.md, twelfth pass). Read from the same histogram as the usual level (bucket
 * midpoints, 5 % wide): no more state.
 */
export function staffingShare(loads: DecayingHistogram, k: number, c: number, point: number): number | null {
  const margin = (load: number) => Math.sqrt(k * load + (c * load) ** 2);
  let sum = 0;
  let marginSum = 0;
  loads.weights.forEach((w, b) => {
    if (w === 0) return;
    const mid = (bucketStart(USUAL_LAYOUT, b) + bucketStart(USUAL_LAYOUT, b + 1)) / 2;
    sum += w * mid;
    marginSum += w * margin(mid);
  });
  return marginSum > 0 && point > 0 ? (margin(point) / point) * (sum / marginSum) : null;
}

/**
 * Forecasts already made, per state and configuration. A state is immutable and the same one is
 * forecast three times per sample (observe's count, recommend's evidence, the next observation's
 * burst test), and the forecast reads three histograms' quantiles and the noise index: remembering it
 * made the core about 10 % faster per sample (bench/optimizer-core.ts). Weak keys: a state dropped
 * by its caller takes its forecast with it.
 */
const forecasts = new WeakMap<ForecastState, { readonly cfg: OptimizerConfig; readonly forecast: LoadForecast }>();

/** The forecast at the state's latest observation. */
export function forecastLoad(f: ForecastState, cfg: OptimizerConfig): LoadForecast {
  const known = forecasts.get(f);
  if (known?.cfg === cfg) return known.forecast;
  const forecast = computeForecast(f, cfg);
  forecasts.set(f, { cfg, forecast });
  return forecast;
}

function computeForecast(f: ForecastState, cfg: OptimizerConfig): LoadForecast {
  const { points, model, burst, noisy } = modelPoints(f, cfg);
  const point = points[SEASONALITIES.indexOf(model)]!;
  const layout = errorLayout(cfg);
  const hi = percentile(f.errors, layout, cfg.forecastQuantile) - ERROR_OFFSET;
  const rateHi = percentile(f.rateErrors, layout, cfg.forecastQuantile) - ERROR_OFFSET;
  const rateLo = percentile(f.rateErrors, layout, 1 - cfg.forecastQuantile) - ERROR_OFFSET;
  const usual = percentile(f.loads, USUAL_LAYOUT, 0.5);
  const h = horizonMs(f, cfg);
  const climb = f.trend * h;
  return {
    load: Math.exp(f.latest), measured: f.measured, point: Math.exp(point), lower: Math.exp(point + Math.min(rateLo, 0)), upper: Math.exp(point + Math.max(rateHi, 0)), samplesUpper: Math.exp(point + Math.max(hi, 0)),
    horizonMs: h, seasonality: model, burst, noiseDominated: noisy, rising: !noisy && climb > 0 && climb <= STEADY_RISE, perSecondDeviation: perSecondDeviation(f.noise, Math.exp(point)),
    usual, staffingShare: noisyAtUsual(f.noise, usual, cfg) ? staffingShare(f.loads, noiseIndex(f.noise), bandDeviation(hi, cfg), Math.exp(point)) : null,
  };
}

/**
 * Folds one load observation in. `saturated` marks a sample at capacity: what it served is a lower
 * bound of its load. Returns a new state; observations must come in time order.
 */
export function observeLoad(f: ForecastState, atMs: number, load: number, saturated: boolean, cfg: OptimizerConfig): ForecastState {
  const y = Math.log(Math.max(load, LOAD_FLOOR)) + (saturated ? Math.log(cfg.saturatedGrowth) : 0);
  if (f.atMs === null) {
    return { ...f, atMs, measured: load, latest: y, level: y, trend: 0, loads: addSample(f.loads, USUAL_LAYOUT, load, atMs), noise: observeLoadNoise(f.noise, atMs, 0, 0, load, saturated) };
  }
  const dt = atMs - f.atMs;
  if (dt <= 0) return f;
  const layout = errorLayout(cfg);
  // The band the previous forecast gave: a sample above it is a burst.
  const priorUpper = Math.log(forecastLoad(f, cfg).samplesUpper);

  // Resolve the forecasts whose horizon has passed; the others take this observation into their peak
  // (on a noise-dominated series, their last sample instead).
  // noiseDominated(f), from the level's time constant, which the smoothing below needs too.
  const levelTauMs = levelTimeConstantMs(f, cfg);
  const lastOnly = levelTauMs > cfg.forecastLevelTimeConstantMs;
  let errors = f.errors;
  let rateErrors = f.rateErrors;
  const squaredError = f.squaredError.slice();
  let squaredErrorAtMs = f.squaredErrorAtMs;
  const pending: PendingForecast[] = [];
  for (const p of f.pending) {
    const inHorizon = atMs <= p.dueMs;
    // A horizon with no sample in it (slow cadence) is judged by the first sample after it.
    const counts = inHorizon || p.peak === null;
    const peak = counts ? (lastOnly ? y : Math.max(p.peak ?? -Infinity, y)) : p.peak;
    const samples = lastOnly ? 1 : p.samples + (counts ? 1 : 0);
    if (inHorizon) {
      pending.push({ ...p, peak, samples });
      continue;
    }
    const weight = squaredErrorAtMs === null ? 1 : 1 - Math.exp(-Math.max(0, p.dueMs - squaredErrorAtMs) / MODEL_ERROR_MEMORY_MS);
    p.points.forEach((point, i) => {
      if (point === null) return;
      const e = peak - point;
      const before = squaredError[i];
      squaredError[i] = before === null || before === undefined ? e * e : before + weight * (e * e - before);
    });
    squaredErrorAtMs = p.dueMs;
    const chosen = p.points[SEASONALITIES.indexOf(p.model)];
    if (chosen !== null && chosen !== undefined) {
      errors = addSample(errors, layout, Math.max(0, ERROR_OFFSET + peak - chosen), atMs);
      // The noise index reads a histogram's median: only where there is a maximum to take off.
      const noise = samples > 1 ? samplesNoiseMaximum(samples, noiseIndex(f.noise), Math.exp(f.level), f.intervalMs) : 0;
      rateErrors = addSample(rateErrors, layout, Math.max(0, ERROR_OFFSET + peak - noise - chosen), atMs);
    }
  }

  // Holt's linear smoothing in time: alpha = 1 − e^(−dt/τ), the same decay per second at any cadence.
  const alpha = 1 - Math.exp(-dt / levelTauMs);
  const beta = 1 - Math.exp(-dt / cfg.forecastTrendTimeConstantMs);
  const predicted = f.level + f.trend * dt;
  const level = predicted + alpha * (y - predicted);
  const trend = f.trend + beta * ((level - f.level) / dt - f.trend);

  const next: ForecastState = {
    atMs, measured: load, latest: y, level, trend,
    intervalMs: f.intervalMs === 0 ? dt : f.intervalMs + 0.2 * (dt - f.intervalMs),
    daily: observeSeason(f.daily, atMs, y), weekly: observeSeason(f.weekly, atMs, y),
    squaredError, squaredErrorAtMs, errors, rateErrors, loads: addSample(f.loads, USUAL_LAYOUT, load, atMs), pending, upper: priorUpper,
    noise: observeLoadNoise(f.noise, atMs, dt, f.intervalMs, load, saturated),
  };
  const h = horizonMs(next, cfg);
  const lastIssued = pending[pending.length - 1]?.atMs ?? -Infinity;
  if (atMs - lastIssued >= h / 8) {
    const { points, model } = modelPoints(next, cfg);
    pending.push({ atMs, dueMs: atMs + h, model, points, peak: null, samples: 0 });
    if (pending.length > MAX_PENDING) pending.splice(0, pending.length - MAX_PENDING);
  }
  return next;
}
