/**
 * The optimiser's environment variables. Defaults are read from the core's own defaults, so the two
 * cannot drift; the core's validation (cross-field rules such as min ≤ max replicas) then runs once
 * at boot and its error is reported under the variable that caused it.
 */
import { ConfigError, decimal, integer, type ConfigOf } from '@maestro/runtime';
import { DEFAULT_OPTIMIZER_CONFIG as D, OptimizerConfigError, resolveOptimizerConfig, type OptimizerConfig } from './domain';

export const optimizerConfigSpec = {
  targetSaturation: decimal('OPTIMIZER_TARGET_SATURATION', 'Utilisation the HPA rule steers toward', { default: D.targetSaturation, min: 0.01, max: 1 }),
  queueDepthPerReplicaTarget: decimal('OPTIMIZER_QUEUE_DEPTH_PER_REPLICA_TARGET', 'Queue depth per replica the HPA rule steers toward; 0 ignores queue depth', { default: D.queueDepthPerReplicaTarget, min: 0 }),
  latencyObjectiveMs: decimal('OPTIMIZER_LATENCY_OBJECTIVE_MS', 'p95 latency objective; a sustained breach with spare capacity recommends rebalance; 0 disables', { default: D.latencyObjectiveMs, min: 0 }),
  unitCostTarget: decimal('OPTIMIZER_UNIT_COST_TARGET', 'Unit cost target; above it idle capacity scales in sooner; 0 disables', { default: D.unitCostTarget, min: 0 }),
  tolerance: decimal('OPTIMIZER_TOLERANCE', 'HPA tolerance band around target (Kubernetes uses 0.1)', { default: D.tolerance, min: 0, max: 0.99 }),
  minReplicas: integer('OPTIMIZER_MIN_REPLICAS', 'Fewest replicas ever recommended', { default: D.minReplicas, min: 1 }),
  maxReplicas: integer('OPTIMIZER_MAX_REPLICAS', 'Most replicas ever recommended', { default: D.maxReplicas, min: 1 }),
  windowSize: integer('OPTIMIZER_WINDOW_SIZE', 'Samples kept per rolling series (bounds the state per asset)', { default: D.windowSize, min: 2, max: 1_000 }),
  scaleUpStabilizationMs: integer('OPTIMIZER_SCALE_UP_STABILIZATION_MS', 'Sample time over which every desired count must exceed current before scale-out (the newest sample always counts, so any cadence meets it)', { default: D.scaleUpStabilizationMs, min: 0 }),
  scaleDownStabilizationMs: integer('OPTIMIZER_SCALE_DOWN_STABILIZATION_MS', 'Sample time of lower desired counts, fully observed, before scale-in', { default: D.scaleDownStabilizationMs, min: 0 }),
  startupMs: integer('OPTIMIZER_STARTUP_MS', 'Time a new replica takes to serve: the horizon the load is forecast over', { default: D.startupMs, min: 0 }),
  forecastQuantile: decimal('OPTIMIZER_FORECAST_QUANTILE', 'Quantile of the forecast error band the recommended count covers', { default: D.forecastQuantile, min: 0.5, max: 0.999 }),
  peakSaturation: decimal('OPTIMIZER_PEAK_SATURATION', "Utilisation the forecast's upper band may reach (at least the target saturation)", { default: D.peakSaturation, min: 0.01, max: 1 }),
  scaleDownForecastMs: integer('OPTIMIZER_SCALE_DOWN_FORECAST_MS', "Sample time of agreeing desired counts before a scale-in may follow the forecast below the scale-down window's max (and, after a scale-in, the next such one waits the startup delay plus one sample interval); 0 keeps the window's max only", { default: D.scaleDownForecastMs, min: 0 }),
  scaleDownNoiseDeviations: decimal('OPTIMIZER_SCALE_DOWN_NOISE_DEVIATIONS', "Standard deviations of one second's learnt load noise a forecast scale-in keeps above the point forecast", { default: D.scaleDownNoiseDeviations, min: 0, max: 10 }),
  scaleDownDipShare: decimal('OPTIMIZER_SCALE_DOWN_DIP_SHARE', "Share of the series' usual load below which a sample is in a dip and scale-in waits the scale-down window's max (not on a series whose samples are mostly their seconds' noise: a low sample there is noise, not a lull); 0 disables", { default: D.scaleDownDipShare, min: 0, max: 0.99 }),
  saturatedAt: decimal('OPTIMIZER_SATURATED_AT', 'Utilisation at which a sample is read as saturated (its load hidden above capacity)', { default: D.saturatedAt, min: 0.01, max: 1 }),
  saturatedGrowth: decimal('OPTIMIZER_SATURATED_GROWTH', "Growth the forecast assumes of a saturated sample's load (at least 1)", { default: D.saturatedGrowth, min: 1, max: 10 }),
  scaleUpMaxPercent: decimal('OPTIMIZER_SCALE_UP_MAX_PERCENT', 'Scale-up limit per period as a fraction of replicas (the larger of it and the pods limit applies)', { default: D.scaleUpMaxPercent, min: 0 }),
  scaleUpMaxPods: integer('OPTIMIZER_SCALE_UP_MAX_PODS', 'Scale-up limit per period in replicas (the larger of it and the percent limit applies)', { default: D.scaleUpMaxPods, min: 0 }),
  scaleUpPeriodMs: integer('OPTIMIZER_SCALE_UP_PERIOD_MS', 'Period of the scale-up rate limit', { default: D.scaleUpPeriodMs, min: 0 }),
  scaleDownPeriodMs: integer('OPTIMIZER_SCALE_DOWN_PERIOD_MS', 'Period of the scale-down rate limit', { default: D.scaleDownPeriodMs, min: 0 }),
  scaleDownMaxPercent: decimal('OPTIMIZER_SCALE_DOWN_MAX_PERCENT', 'Largest scale-in per period, as a fraction of replicas', { default: D.scaleDownMaxPercent, min: 0.01, max: 1 }),
  sustainMs: integer('OPTIMIZER_SUSTAIN_MS', 'Sample time every sample must breach for a latency or cost breach to be sustained', { default: D.sustainMs, min: 0 }),
  fullConfidenceSpanMs: integer('OPTIMIZER_FULL_CONFIDENCE_SPAN_MS', 'Sample time of history behind a fully confident recommendation', { default: D.fullConfidenceSpanMs, min: 0 }),
  stateTtlMs: integer('OPTIMIZER_STATE_TTL_MS', 'How long a silent asset keeps its state', { default: 7 * 86_400_000, min: 60_000 }),
};

export type OptimizerServiceConfig = ConfigOf<typeof optimizerConfigSpec>;

/**
 * The core's resolved config from the service's. An OptimizerConfigError names a core field first
 * ("minReplicas must be ..."); it is rethrown as a ConfigError naming the variable, so a bad
 * combination stops the process like any bad variable does.
 */
export function toOptimizerConfig(c: OptimizerServiceConfig): OptimizerConfig {
  // Only the core's fields: the service config also carries the base variables and the state TTL.
  const overrides = Object.fromEntries(Object.keys(optimizerConfigSpec).filter((k) => k !== 'stateTtlMs').map((k) => [k, c[k as keyof OptimizerServiceConfig]])) as Partial<OptimizerConfig>;
  try {
    return resolveOptimizerConfig(overrides);
  } catch (error) {
    if (!(error instanceof OptimizerConfigError)) throw error;
    const field = /^(\w+)/.exec(error.message)?.[1] ?? '';
    const spec = (optimizerConfigSpec as Record<string, { env: string } | undefined>)[field];
    throw new ConfigError(spec?.env ?? 'OPTIMIZER_*', error.message);
  }
}
