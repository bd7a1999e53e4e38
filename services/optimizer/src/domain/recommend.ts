/**
 * The optimiser's decision for one asset at `nowMs`, in priority order:
 * 1. scale_out / scale_in when the stabilised, rate-limited, bounded count that covers the load
 *    forecast's upper band (forecast.ts) differs from current — out at once, in only when the drop
 *    exceeds the tolerance (fewer, larger changes; tighter under cost pressure);
 * 2. right_size when scaling is pinned at a bound and the VPA-style size differs enough;
 * 3. rebalance on a sustained latency or cost breach that capacity would not fix;
 * 4. hold.
 */
import { historyConfidence, roundConfidence } from './confidence';
import type { OptimizerConfig } from './config';
import { forecastLoad, noisyAt } from './forecast';
import { hpaDesired, inWindow, needOf, rateBounds, scaleInPause, signalRatios, stabilise } from './hpa';
import { belowUsual, inDip, underCostPressure } from './observe';
import { rebalanceSignal } from './rebalance';
import type { Action, Evidence, Recommendation } from './recommendation';
import { recommendSize, worthResizing } from './right-size';
import { last, mean } from './ring';
import type { DesiredPoint, OptimizerState } from './state';
import { explain } from './rationale';

/** Share of the history points a window ending at `nowMs` holds that satisfy `test`; 0 when none. */
function agreement(history: readonly DesiredPoint[], nowMs: number, windowMs: number, test: (p: DesiredPoint) => boolean): number {
  const points = inWindow(history, nowMs, windowMs);
  return points.length === 0 ? 0 : points.filter(test).length / points.length;
}

/**
 * The HPA rule's tolerance, applied to the forecast: a change within it is not worth making (the
 * next swing would undo it), judged on the newest unrounded need; except that the count the band's
 * top requires is always met — the tolerance saves changes, never capacity the forecast says is needed.
 * A scale-out the band forces within the tolerance steps by the tolerance, not by the replica or two
 * it needs now: the band's top is rising through the count, and a load still rising would ask again
 * at the next sample (issue 11: on EC2 network-in 5abac7 at 10 s, rises to 40-46 replicas ended in
 * +1 and +2 steps a sample apart: 2,792 changes against the HPA rule's 2,702; stepping by the
 * tolerance, 2,678, at 818 replica-hours instead of 812 (the HPA rule: 852). Up to ten replicas
 * the tolerance's step is the one replica needed anyway, so small counts are not affected.
 * A scale-in is judged on the rounded step, except where the load has stayed level below the count
 * over the long window (`longWindow`, {@link onLevelBelow}).
 */
function withinTolerance(stabilised: number, current: number, newest: DesiredPoint | undefined, downTolerance: number, cfg: OptimizerConfig, longWindow: readonly DesiredPoint[]): number {
  if (stabilised > current) {
    const need = newest?.need ?? stabilised;
    if (need > current * (1 + cfg.tolerance)) return stabilised;
    // The epsilon keeps float noise (10 × 1.1 = 11.000000000000002) from adding a replica.
    return (newest?.required ?? 0) > current ? Math.max(stabilised, Math.ceil(current * (1 + cfg.tolerance) - 1e-9)) : current;
  }
  if (stabilised < current) return (current - stabilised) / current > downTolerance || onLevelBelow(longWindow, current, downTolerance) ? stabilised : current;
  return current;
}

/** How far apart the long window's needs may be, in replicas, for the load to count as level. */
const LEVEL_SPAN_REPLICAS = 1;

/**
 * Whether the load has stayed level below the count for the whole long scale-down window: its needs
 * within {@link LEVEL_SPAN_REPLICAS} of each other, the largest more than the tolerance below the
 * count — the HPA rule's own scale-in test. The tolerance is judged on the rounded count elsewhere,
 * which merges the steps of a fall into fewer, larger ones; on a level load there is no fall to
 * merge, and at 11-20 replicas (where one replica is inside the tolerance) it held a replica above
 * the need for the whole plateau (issue 11: real RDS and EC2 CPU series, +0.7 to +2 % replica-hours
 * against the HPA rule, all of it that replica). Empty before a whole window has been seen.
 */
function onLevelBelow(longWindow: readonly DesiredPoint[], current: number, downTolerance: number): boolean {
  if (longWindow.length === 0) return false;
  const needs = longWindow.map(needOf);
  const largest = Math.max(...needs);
  return largest - Math.min(...needs) <= LEVEL_SPAN_REPLICAS && (current - largest) / current > downTolerance;
}

/** Recommends an action for the asset. Pure; `nowMs` is normally the latest sample's time. */
export function recommend(state: OptimizerState, cfg: OptimizerConfig, nowMs: number): Recommendation {
  const current = state.replicas;
  const h = historyConfidence(state, cfg);
  const unitCost = last(state.series.unitCost) ?? 0;
  const latestSignals = state.signals.filter((s) => s.atMs === state.lastSampleAtMs);
  const ratios = signalRatios({
    saturation: last(state.series.saturation) ?? 0, queueDepth: last(state.series.queueDepth) ?? 0, replicas: Math.max(1, current), signals: latestSignals,
  }, cfg);
  const raw = hpaDesired(Math.max(1, current), ratios, cfg.tolerance);
  const forecast = forecastLoad(state.forecast, cfg);
  const smooth = !noisyAt(forecast.perSecondDeviation, forecast.point, cfg);
  const stab = stabilise(state.desired, current, state.firstSampleAtMs, nowMs, cfg, smooth, scaleInPause(state.scaleEvents, forecast.horizonMs, belowUsual(forecast)));
  const bounds = rateBounds(current, state.scaleEvents, nowMs, cfg);
  const stabilised = withinTolerance(stab.replicas, current, state.desired[state.desired.length - 1], underCostPressure(last(state.series.unitCost) ?? 0, cfg) ? cfg.costPressureTolerance : cfg.tolerance, cfg, stab.longWindow);
  const limited = Math.min(bounds.max, Math.max(bounds.min, stabilised));
  const target = state.sampleCount === 0 ? current : Math.min(cfg.maxReplicas, Math.max(cfg.minReplicas, limited));
  const size = recommendSize(state, cfg);

  let action: Action = 'hold';
  let targetSize = state.sizeUnits;
  let confidence = h;
  const rebalance = state.sampleCount === 0 ? null : rebalanceSignal(state, cfg);
  if (target > current) {
    action = 'scale_out';
    confidence = h * agreement(state.desired, nowMs, cfg.scaleUpStabilizationMs, (p) => p.replicas > current);
  } else if (target < current) {
    action = 'scale_in';
    confidence = h * agreement(state.desired, nowMs, cfg.scaleDownStabilizationMs, (p) => p.replicas < current);
  } else if (state.sampleCount > 0) {
    // Pinned: the windows that would scale (had the bound allowed it) agree the load is off target.
    const ratiosWithin = (windowMs: number) => inWindow(state.desired, nowMs, windowMs).map((p) => p.ratio);
    const pinnedLow = current <= cfg.minReplicas && stab.downCeiling !== null && Math.max(...ratiosWithin(cfg.scaleDownStabilizationMs)) < 1 - cfg.tolerance;
    const pinnedHigh = current >= cfg.maxReplicas && stab.upFloor !== null && Math.min(...ratiosWithin(cfg.scaleUpStabilizationMs)) > 1 + cfg.tolerance;
    const direction = size.sizeUnits < state.sizeUnits ? pinnedLow : pinnedHigh;
    if (direction && h >= cfg.rightSizeMinConfidence && worthResizing(state.sizeUnits, size.sizeUnits, cfg)) {
      action = 'right_size';
      targetSize = size.sizeUnits;
    } else if (rebalance !== null) {
      action = 'rebalance';
    } else {
      confidence = h * agreement(state.desired, nowMs, cfg.scaleUpStabilizationMs, (p) => p.replicas === current);
    }
  }

  const evidence: Evidence = {
    samples: state.sampleCount, historyConfidence: roundConfidence(h), combinedRatio: raw.ratio, driver: raw.driver, signals: ratios,
    rawDesiredReplicas: raw.replicas, upFloor: stab.upFloor, downCeiling: stab.downCeiling, rateLimitMin: bounds.min, rateLimitMax: bounds.max,
    saturationMean: state.sampleCount === 0 ? 0 : mean(state.series.saturation), latencyP95Ms: last(state.series.latencyP95Ms) ?? 0,
    throughputPerS: last(state.series.throughputPerS) ?? 0, unitCost,
    projectedUnitCost: current > 0 ? unitCost * target / current : unitCost,
    usagePercentile: size.usagePercentile, recommendedSizeUnits: size.sizeUnits,
    load: forecast.load, forecastLoad: forecast.point, forecastLower: forecast.lower, forecastUpper: forecast.upper,
    forecastHorizonMs: forecast.horizonMs, forecastQuantile: cfg.forecastQuantile, seasonality: forecast.seasonality, burst: forecast.burst ? 1 : 0,
    perSecondDeviation: forecast.perSecondDeviation, usualLoad: forecast.usual, dip: inDip(forecast, cfg) ? 1 : 0, rising: forecast.rising ? 1 : 0,
    noiseDominated: forecast.noiseDominated ? 1 : 0,
  };
  const rec = {
    assetId: state.assetId, atMs: nowMs, action, currentReplicas: current, targetReplicas: target,
    currentSizeUnits: state.sizeUnits, targetSizeUnits: targetSize, confidence: roundConfidence(confidence), evidence,
  };
  return { ...rec, rationale: explain(rec, cfg, rebalance, stab) };
}
