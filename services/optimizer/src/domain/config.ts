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
  /** Scale-up needs every desired count in this window above current (min rule). @default 60_000 */
  readonly scaleUpStabilizationMs: number;
  /** ...and at least this many samples in it, so one spike cannot scale out. @default 3 */
  readonly scaleUpMinSamples: number;
  /** Scale-down uses the max desired over this window, which must be fully observed. @default 300_000 */
  readonly scaleDownStabilizationMs: number;
  /** Scale-up limit per period: the larger of +percent and +pods. @default 1.0, 4, 60_000 */
  readonly scaleUpMaxPercent: number;
  readonly scaleUpMaxPods: number;
  readonly scaleUpPeriodMs: number;
  /** Scale-down limit per period, as a fraction of replicas at the period start. @default 0.5, 60_000 */
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
  /** Consecutive samples that make a latency or cost breach "sustained". @default 5 */
  readonly sustainSamples: number;
  /** Custom signals remembered per asset (most recently seen kept). @default 8 */
  readonly maxCustomSignals: number;
}

/** Defaults: the Kubernetes HPA and VPA defaults where they exist, scaled to a streaming cadence. */
export const DEFAULT_OPTIMIZER_CONFIG: OptimizerConfig = Object.freeze({
  windowSize: 60, targetSaturation: 0.6, queueDepthPerReplicaTarget: 10, tolerance: 0.1, costPressureTolerance: 0.05,
  minReplicas: 1, maxReplicas: 100,
  scaleUpStabilizationMs: 60_000, scaleUpMinSamples: 3, scaleDownStabilizationMs: 300_000,
  scaleUpMaxPercent: 1, scaleUpMaxPods: 4, scaleUpPeriodMs: 60_000, scaleDownMaxPercent: 0.5, scaleDownPeriodMs: 60_000,
  sizePercentile: 0.9, sizeSafetyMargin: 0.15, sizeStepUnits: 0.25, rightSizeTolerance: 0.2, rightSizeMinConfidence: 0.5,
  histogram: Object.freeze({ firstBucketSize: 0.01, ratio: 1.1, bucketCount: 120, halfLifeMs: 3_600_000 }),
  fullConfidenceSamples: 30, fullConfidenceSpanMs: 1_800_000,
  latencyObjectiveMs: 0, unitCostTarget: 0, sustainSamples: 5, maxCustomSignals: 8,
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
  if (!(int(c.scaleUpMinSamples) && c.scaleUpMinSamples >= 1)) fail('scaleUpMinSamples', 'an integer >= 1');
  if (!(c.scaleDownMaxPercent > 0 && c.scaleDownMaxPercent <= 1)) fail('scaleDownMaxPercent', 'in (0, 1]');
  if (!(c.sizePercentile > 0 && c.sizePercentile <= 1)) fail('sizePercentile', 'in (0, 1]');
  if (!(c.sizeStepUnits > 0)) fail('sizeStepUnits', '> 0');
  if (!(c.histogram.ratio > 1 && c.histogram.firstBucketSize > 0 && c.histogram.halfLifeMs > 0)) fail('histogram', 'ratio > 1, firstBucketSize > 0, halfLifeMs > 0');
  if (!(int(c.sustainSamples) && c.sustainSamples >= 1 && c.sustainSamples <= c.windowSize)) fail('sustainSamples', 'an integer in [1, windowSize]');
  for (const k of ['queueDepthPerReplicaTarget', 'latencyObjectiveMs', 'unitCostTarget', 'scaleUpStabilizationMs', 'scaleDownStabilizationMs', 'scaleUpMaxPercent', 'scaleUpMaxPods', 'scaleUpPeriodMs', 'scaleDownPeriodMs', 'sizeSafetyMargin', 'rightSizeTolerance', 'fullConfidenceSamples', 'fullConfidenceSpanMs'] as const) {
    if (!(Number.isFinite(c[k]) && c[k] >= 0)) fail(k, 'a finite number >= 0');
  }
  return Object.freeze(c);
}
