/** Optimiser configuration, resolved once at boot into a frozen object. Units are in the names. */
import type { HistogramLayout } from './decaying-histogram';

/** Fully resolved optimiser settings for one asset class. Defaults in {@link DEFAULT_OPTIMIZER_CONFIG}. */
export interface OptimizerConfig {
  /** Samples kept per rolling series. @default 60 */
  readonly windowSize: number;
  /** Utilisation the HPA rule steers toward. @default 0.6 */
  readonly targetSaturation: number;
  /** Queue depth per replica the HPA rule steers toward; 0 disables the signal. @default 10 */
  readonly queueDepthPerReplicaTarget: number;
  /** HPA tolerance band: |ratio − 1| within it means no change. Kubernetes uses 0.1. @default 0.1 */
  readonly tolerance: number;
  /** Tolerance for scale-in while unit cost is above `unitCostTarget`: idle capacity costs money. @default 0.05 */
  readonly costPressureTolerance: number;
  readonly minReplicas: number; // @default 1
  readonly maxReplicas: number; // @default 100
  /**
   * Scale-up takes the min desired count over this window (one spike cannot scale out). Windows are
   * time, not sample counts: the window holds the samples taken in it, and the newest sample always
   * counts (it describes the interval before it), so a 120 s cadence meets a 60 s window. The
   * forecast band already absorbs noise, so by default there is none. @default 0
   */
  readonly scaleUpStabilizationMs: number;
  /**
   * Scale-down takes the max desired over this window, once that much history exists — except that
   * below that max it may go down to the count the forecast's upper band needs at the target
   * utilisation, once the desired counts of the last `scaleDownForecastMs` agree. @default 300_000
   */
  readonly scaleDownStabilizationMs: number;
  /**
   * The shorter window a scale-down the forecast allows must wait. The long window's max is the HPA
   * rule's cover for the noise a single sample cannot show; when the forecast's band over the next
   * startup delay is below it, the load has really fallen, and a wrong scale-down is undone in one
   * startup delay. After a scale-in, the next one the forecast allows waits one horizon (hpa.ts
   * `scaleInPause`). 0 keeps the long window only. @default 60_000
   */
  readonly scaleDownForecastMs: number;
  /**
   * A scale-in the forecast allows stops at the point forecast plus this many standard deviations of
   * one second's load (learnt per series: load-noise.ts). A sample's mean over its interval
   * hides per-second noise, which at a low request rate is a large share of the load; the target
   * utilisation's margin grows with the load, the noise only as its square root, so at low rates the
   * margin falls short. A series without per-second noise (a smooth or interpolated one) learns none
   * and is not affected. 3: at 2.5 the synthetic daily trace (Poisson arrivals, about 30 requests/s)
   * still lost more than the HPA rule at 30 s samples, at 3.5 it billed more replica-hours than that
   * rule at 30 s (issue 11, docs/benchmarks.md, sixth pass). @default 3
   */
  readonly scaleDownNoiseDeviations: number;
  /**
   * A sample whose load is below this share of the series' usual level (the median load of the last
   * hours, forecast.ts) is in a dip: a scale-in then waits the long window's max, as the HPA rule does,
   * instead of following the forecast down. Loads revert: a lull in traffic far below its usual level
   * tends to come back within minutes, faster than one startup delay and the target's margin cover
   * (issue 11: speed and occupancy series, ×3.6 to ×21 within minutes of a fall), while a load back at
   * its usual level after a spike (the end of a burst) is not in a dip and still follows the forecast.
   * A third: a quarter or 0.3 won fewer rows of the replay, 0.4 and a half billed more replica-hours than
   * the HPA rule on held-out traces (docs/benchmarks.md, ninth pass). Not applied where the samples'
   * own noise dominates the series (observe.ts `inDip`). 0 disables. @default 0.33
   */
  readonly scaleDownDipShare: number;
  /** Scale-up limit per period: the larger of +percent and +pods. @default 1.0, 4, 60_000 */
  readonly scaleUpMaxPercent: number;
  readonly scaleUpMaxPods: number;
  readonly scaleUpPeriodMs: number;
  /** Scale-down limit per period, as a fraction of replicas at the period start (the Kubernetes default policy). @default 1, 15_000 */
  readonly scaleDownMaxPercent: number;
  readonly scaleDownPeriodMs: number;
  /** Percentile of per-replica usage that sizes a replica (VPA target). @default 0.9 */
  readonly sizePercentile: number;
  /** Safety margin on the sizing percentile (VPA uses 15 %). @default 0.15 */
  readonly sizeSafetyMargin: number;
  /** Sizes are rounded up to this step so tiny usage drift cannot flap a recommendation. @default 0.25 */
  readonly sizeStepUnits: number;
  /** Relative size change below which right_size is not worth a restart. @default 0.2 */
  readonly rightSizeTolerance: number;
  /** Minimum confidence before right_size is recommended. @default 0.5 */
  readonly rightSizeMinConfidence: number;
  readonly histogram: HistogramLayout;
  /** History needed for full confidence: both this many samples and this span. @default 30, 1_800_000 */
  readonly fullConfidenceSamples: number;
  readonly fullConfidenceSpanMs: number;
  /** p95 objective; a sustained breach with spare capacity recommends rebalance. 0 disables. @default 0 */
  readonly latencyObjectiveMs: number;
  /** Unit-cost target; sustained excess tightens scale-in and may recommend rebalance. 0 disables. @default 0 */
  readonly unitCostTarget: number;
  /** How long every sample must breach for a latency or cost breach to be "sustained". @default 60_000 */
  readonly sustainMs: number;
  /** Custom signals remembered per asset (most recently seen kept). @default 8 */
  readonly maxCustomSignals: number;
  /** Time a new replica takes to serve: the horizon the load is forecast over. @default 60_000 */
  readonly startupMs: number;
  /** Quantile of the forecast's error band the recommended count covers. @default 0.8 */
  readonly forecastQuantile: number;
  /**
   * Utilisation the forecast's upper quantile may reach. The count is the larger of the latest load
   * as measured at `targetSaturation` (the HPA rule's own term: the reaction, and the margin for what
   * a sample's mean hides) and the band's top over the next startup delay at this utilisation (the
   * anticipation: a rise the band sees coming is covered before it arrives). @default 1
   */
  readonly peakSaturation: number;
  /**
   * Time constants of the forecast's level and trend (Holt smoothing in time). The level's is the
   * shortest it uses: where a sample's own noise is a large share of the load it averages over up to
   * ten minutes (forecast.ts `levelTimeConstantMs`). @default 30_000, 900_000
   */
  readonly forecastLevelTimeConstantMs: number;
  readonly forecastTrendTimeConstantMs: number;
  /** Half-life of the forecast errors the band is read from. @default 21_600_000 */
  readonly forecastErrorHalfLifeMs: number;
  /** Log error the band assumes before any is measured (ln 1.3: a 30 % band). @default 0.262 */
  readonly forecastPriorError: number;
  /**
   * Saturation at which a sample's load is hidden above capacity, and the growth then assumed. The
   * guess enters the forecast (met at `peakSaturation`), not the target term, which answers for the
   * load measured: with the target's margin on top of the guess, a flash crowd that kept samples
   * saturated while replicas started was asked for ×2.5 per sample, compounding to ×2.4 its load.
   * ×1.5, not ×2: on the isolated spikes of an EC2 network-in trace ×2 billed 7-28 % more
   * replica-hours than the HPA rule, while leaving far less unserved either way. @default 0.98, 1.5
   */
  readonly saturatedAt: number;
  readonly saturatedGrowth: number;
}

/** Defaults: the Kubernetes HPA and VPA defaults where they exist, scaled to a streaming cadence. */
export const DEFAULT_OPTIMIZER_CONFIG: OptimizerConfig = Object.freeze({
  windowSize: 60, targetSaturation: 0.6, queueDepthPerReplicaTarget: 10, tolerance: 0.1, costPressureTolerance: 0.05,
  minReplicas: 1, maxReplicas: 100,
  scaleUpStabilizationMs: 0, scaleDownStabilizationMs: 300_000, scaleDownForecastMs: 60_000,
  scaleUpMaxPercent: 1, scaleUpMaxPods: 4, scaleUpPeriodMs: 15_000, scaleDownMaxPercent: 1, scaleDownPeriodMs: 15_000,
  sizePercentile: 0.9, sizeSafetyMargin: 0.15, sizeStepUnits: 0.25, rightSizeTolerance: 0.2, rightSizeMinConfidence: 0.5,
  histogram: Object.freeze({ firstBucketSize: 0.01, ratio: 1.1, bucketCount: 120, halfLifeMs: 3_600_000 }),
  fullConfidenceSamples: 30, fullConfidenceSpanMs: 1_800_000,
  latencyObjectiveMs: 0, unitCostTarget: 0, sustainMs: 60_000, maxCustomSignals: 8,
  startupMs: 60_000, forecastQuantile: 0.8, peakSaturation: 1,
  forecastLevelTimeConstantMs: 30_000, forecastTrendTimeConstantMs: 900_000, forecastErrorHalfLifeMs: 21_600_000, forecastPriorError: 0.262,
  saturatedAt: 0.98, saturatedGrowth: 1.5, scaleDownNoiseDeviations: 3, scaleDownDipShare: 0.33,
});

/** Thrown at boot for an unusable setting; the message names it. */
export class OptimizerConfigError extends Error {
  override readonly name = 'OptimizerConfigError';
}

/** Merges overrides over the defaults and validates the result. */
export function resolveOptimizerConfig(overrides: Partial<OptimizerConfig> = {}): OptimizerConfig {
  const c: OptimizerConfig = { ...DEFAULT_OPTIMIZER_CONFIG, ...overrides, histogram: { ...DEFAULT_OPTIMIZER_CONFIG.histogram, ...overrides.histogram } };
  const fail = (name: string, want: string) => { throw new OptimizerConfigError(`${name} must be ${want}, got ${JSON.stringify((c as unknown as Record<string, unknown>)[name])}`); };
  const int = (n: number) => Number.isInteger(n);
  if (!(int(c.windowSize) && c.windowSize >= 2)) fail('windowSize', 'an integer >= 2');
  if (!(c.targetSaturation > 0 && c.targetSaturation <= 1)) fail('targetSaturation', 'in (0, 1]');
  if (!(c.tolerance >= 0 && c.tolerance < 1)) fail('tolerance', 'in [0, 1)');
  if (!(c.costPressureTolerance >= 0 && c.costPressureTolerance <= c.tolerance)) fail('costPressureTolerance', 'in [0, tolerance]');
  if (!(int(c.minReplicas) && c.minReplicas >= 1 && int(c.maxReplicas) && c.maxReplicas >= c.minReplicas)) fail('minReplicas', 'an integer in [1, maxReplicas]');
  if (!(c.scaleDownMaxPercent > 0 && c.scaleDownMaxPercent <= 1)) fail('scaleDownMaxPercent', 'in (0, 1]');
  if (!(c.sizePercentile > 0 && c.sizePercentile <= 1)) fail('sizePercentile', 'in (0, 1]');
  if (!(c.sizeStepUnits > 0)) fail('sizeStepUnits', '> 0');
  if (!(c.histogram.ratio > 1 && c.histogram.firstBucketSize > 0 && c.histogram.halfLifeMs > 0)) fail('histogram', 'ratio > 1, firstBucketSize > 0, halfLifeMs > 0');
  if (!(c.forecastQuantile >= 0.5 && c.forecastQuantile < 1)) fail('forecastQuantile', 'in [0.5, 1)');
  if (!(c.peakSaturation >= c.targetSaturation && c.peakSaturation <= 1)) fail('peakSaturation', 'in [targetSaturation, 1]');
  if (!(c.saturatedAt > 0 && c.saturatedAt <= 1)) fail('saturatedAt', 'in (0, 1]');
  if (!(c.saturatedGrowth >= 1)) fail('saturatedGrowth', '>= 1');
  if (!(c.scaleDownDipShare >= 0 && c.scaleDownDipShare < 1)) fail('scaleDownDipShare', 'in [0, 1)');
  for (const k of ['forecastLevelTimeConstantMs', 'forecastTrendTimeConstantMs', 'forecastErrorHalfLifeMs'] as const) {
    if (!(Number.isFinite(c[k]) && c[k] > 0)) fail(k, 'a finite number > 0');
  }
  for (const k of ['queueDepthPerReplicaTarget', 'latencyObjectiveMs', 'unitCostTarget', 'scaleUpStabilizationMs', 'scaleDownStabilizationMs', 'scaleDownForecastMs', 'scaleDownNoiseDeviations', 'sustainMs', 'startupMs', 'forecastPriorError', 'scaleUpMaxPercent', 'scaleUpMaxPods', 'scaleUpPeriodMs', 'scaleDownPeriodMs', 'sizeSafetyMargin', 'rightSizeTolerance', 'fullConfidenceSamples', 'fullConfidenceSpanMs'] as const) {
    if (!(Number.isFinite(c[k]) && c[k] >= 0)) fail(k, 'a finite number >= 0');
  }
  return Object.freeze(c);
}
