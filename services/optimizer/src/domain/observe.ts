/**
 * Folding one sample into an asset's state: rolling series, the usage histogram, the latest custom
 * signals, and the HPA rule's desired count for the stabilisation windows. Pure: returns a new state.
 */
import type { OptimizerConfig } from './config';
import { addSample, emptyHistogram } from './decaying-histogram';
import { hpaDesired, signalRatios } from './hpa';
import { emptyRing, push } from './ring';
import type { OptimizationSample } from './sample';
import { InvalidSampleError, validateSample } from './sample';
import type { DesiredPoint, OptimizerState, SeriesName, SignalReading } from './state';
import { MAX_DESIRED_POINTS, SERIES } from './state';

/** A fresh state for an asset that has not been sampled yet. */
export function initialState(assetId: string, cfg: OptimizerConfig, nowMs: number): OptimizerState {
  const series = Object.fromEntries(SERIES.map((s) => [s, emptyRing(cfg.windowSize)])) as Record<SeriesName, ReturnType<typeof emptyRing>>;
  return {
    v: 1, assetId, sampleCount: 0, firstSampleAtMs: nowMs, lastSampleAtMs: -Infinity, replicas: 0, sizeUnits: 0,
    series, usage: emptyHistogram(nowMs), desired: [], scaleEvents: [], signals: [], published: null,
  };
}

/** Whether unit cost is above its target (when one is set): idle capacity then costs real money. */
export function underCostPressure(unitCost: number, cfg: OptimizerConfig): boolean {
  return cfg.unitCostTarget > 0 && unitCost > cfg.unitCostTarget;
}

/**
 * Folds a sample into the state. A sample not newer than the last one is ignored (Kafka redelivery
 * and replays must not count twice); an invalid one throws {@link InvalidSampleError}.
 */
export function observe(state: OptimizerState | null, sample: OptimizationSample, cfg: OptimizerConfig): OptimizerState {
  const errors = validateSample(sample);
  if (errors.length > 0) throw new InvalidSampleError(`sample for ${sample.assetId} at ${sample.atMs}: ${errors.join('; ')}`);
  const s0 = state ?? initialState(sample.assetId, cfg, sample.atMs);
  if (sample.atMs <= s0.lastSampleAtMs) return s0;

  const series = { ...s0.series };
  for (const name of SERIES) series[name] = push(series[name], sample[name]);

  const signalsIn = sample.signals ?? [];
  const ratios = signalRatios({ saturation: sample.saturation, queueDepth: sample.queueDepth, replicas: sample.replicas, signals: signalsIn }, cfg);
  const downTolerance = underCostPressure(sample.unitCost, cfg) ? cfg.costPressureTolerance : cfg.tolerance;
  const hpa = hpaDesired(sample.replicas, ratios, cfg.tolerance, downTolerance);
  const horizonMs = Math.max(cfg.scaleUpStabilizationMs, cfg.scaleDownStabilizationMs);
  const desired: DesiredPoint[] = s0.desired.filter((p) => p.atMs > sample.atMs - horizonMs);
  desired.push({ atMs: sample.atMs, replicas: hpa.replicas, ratio: hpa.ratio });
  if (desired.length > MAX_DESIRED_POINTS) desired.splice(0, desired.length - MAX_DESIRED_POINTS);

  const readings: SignalReading[] = s0.signals.filter((r) => !signalsIn.some((g) => g.name === r.name));
  for (const g of signalsIn) readings.push({ name: g.name, value: g.value, target: g.target, weight: g.weight, atMs: sample.atMs });
  // Most recently seen signals win the bounded slots; a signal that stopped reporting ages out.
  readings.sort((a, b) => b.atMs - a.atMs || (a.name < b.name ? -1 : 1));

  const periodMs = Math.max(cfg.scaleUpPeriodMs, cfg.scaleDownPeriodMs);
  return {
    v: 1, assetId: s0.assetId,
    sampleCount: s0.sampleCount + 1,
    firstSampleAtMs: s0.sampleCount === 0 ? sample.atMs : s0.firstSampleAtMs,
    lastSampleAtMs: sample.atMs,
    replicas: sample.replicas, sizeUnits: sample.sizeUnits,
    series,
    usage: addSample(s0.usage, cfg.histogram, sample.saturation * sample.sizeUnits, sample.atMs),
    desired,
    scaleEvents: s0.scaleEvents.filter((e) => e.atMs > sample.atMs - periodMs),
    signals: readings.slice(0, cfg.maxCustomSignals),
    published: s0.published,
  };
}
