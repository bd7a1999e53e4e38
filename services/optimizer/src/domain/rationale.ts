/** Readable rationales: the action, then the numbers that justify it. */
import type { OptimizerConfig } from './config';
import { BELOW_USUAL_WAIT, type ScaleInPause, type Stabilised } from './hpa';
import type { RebalanceSignal } from './rebalance';
import type { Recommendation } from './recommendation';

/** Rounds for reading; the exact numbers are in the evidence. */
function f(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(3)));
}

/**
 * What set the scale-down ceiling, in words: the long window's max only when it did; otherwise the
 * forecast's count, the short window that replaced it, or the count last asked for while the forecast
 * waits after a scale-in.
 */
function downReason(down: Pick<Stabilised, 'downCeiling' | 'downSource' | 'downWindowMax' | 'forecastPause'>, cfg: OptimizerConfig, atMs: number): string {
  const longS = f(cfg.scaleDownStabilizationMs / 1000);
  const below = `below the ${longS} s scale-down window's max ${down.downWindowMax}`;
  switch (down.downSource) {
    case 'forecast':
      return `the forecast's p${f(cfg.forecastQuantile * 100)} band top as the samples reach it needs ${down.downCeiling} at target ${f(cfg.targetSaturation)} (with ${f(cfg.scaleDownNoiseDeviations)} deviations of per-second noise), ${below}`;
    case 'pause':
      return `the count last asked for ${down.downCeiling}: the forecast allows less, but not before ${waitLeft(down.forecastPause!, atMs)}, ${below}`;
    case 'recent':
      return `max desired over the last ${f(Math.min(cfg.scaleDownForecastMs, cfg.scaleDownStabilizationMs) / 1000)} s ${down.downCeiling} (the forecast allows less), ${below}`;
    default:
      return `max desired over the ${longS} s scale-down window ${down.downCeiling}`;
  }
}

/** What is left of the wait after a scale-in (hpa.ts `scaleInPause`). */
function waitLeft(pause: ScaleInPause, atMs: number): string {
  return `${f((pause.untilMs - atMs) / 1000)} s more, ${pause.belowUsual ? `${f(BELOW_USUAL_WAIT)} horizons after the last scale-in (the load below its usual level)` : 'one horizon after the last scale-in'}`;
}

/** The wait after a scale-in, when one is running. */
function paused(down: Pick<Stabilised, 'forecastPause'>, atMs: number): string {
  return down.forecastPause === null ? '' : `; a scale-in by the forecast waits ${waitLeft(down.forecastPause, atMs)}`;
}

/**
 * Why a scale-in by the forecast waits for the long window's max (observe.ts `forecastScaleInWaits`),
 * when it does. Said as the floor it sets, not as a wait for the window to pass: the window's max may
 * itself scale in, and a scale-in it sets would otherwise read as one the reason forbids.
 */
function waitReason(e: Recommendation['evidence'], cfg: OptimizerConfig): string {
  const floor = `so a scale-in goes no lower than the ${f(cfg.scaleDownStabilizationMs / 1000)} s scale-down window's max`;
  if (e.dip) return `; in a dip below ${f(cfg.scaleDownDipShare)} of its usual ${f(e.usualLoad)}, ${floor}`;
  return e.rising ? `; its trend is climbing, ${floor}` : '';
}

/**
 * What the scale-up window asked for. Without one (the default) the newest sample decides alone, and
 * "every desired count in the 0 s window" would name a window that does not exist.
 */
function upWindow(upFloor: number | null, cfg: OptimizerConfig): string {
  return cfg.scaleUpStabilizationMs === 0
    ? `the newest sample asks for ${upFloor} (no scale-up window)`
    : `every desired count in the ${f(cfg.scaleUpStabilizationMs / 1000)} s scale-up window ≥ ${upFloor}`;
}

/** Explains a recommendation (without its rationale) in one line; `down` says what set the scale-down ceiling. */
export function explain(
  rec: Omit<Recommendation, 'rationale'>, cfg: OptimizerConfig, rebalance: RebalanceSignal | null,
  down: Pick<Stabilised, 'downCeiling' | 'downSource' | 'downWindowMax' | 'forecastPause'>,
): string {
  const e = rec.evidence;
  const load = `${e.driver} at ${f(e.combinedRatio)}× target (saturation mean ${f(e.saturationMean)} vs target ${f(cfg.targetSaturation)})`;
  const cost = `unit cost ${f(e.unitCost)} → ${f(e.projectedUnitCost)} at constant throughput ${f(e.throughputPerS)}/s`;
  const conf = `confidence ${f(rec.confidence)} from ${e.samples} samples`;
  const forecast = `load ${f(e.load)} replicas' worth, forecast peak ${f(e.forecastLoad)} over the next ${f(e.forecastHorizonMs / 1000)} s (p${f(cfg.forecastQuantile * 100)} band ${f(e.forecastLower)}–${f(e.forecastUpper)}${e.seasonality === 'none' ? '' : `, ${e.seasonality} season`}${e.burst ? ', burst' : ''}${e.noiseDominated ? ', noise-dominated' : ''})`;
  // Why a scale-in waits is said where a scale-in was the question: on a scale-out it is beside the point.
  const waits = waitReason(e, cfg);
  switch (rec.action) {
    case 'scale_out':
      return `scale_out ${rec.currentReplicas} → ${rec.targetReplicas}: ${load}; ${forecast}; ${upWindow(e.upFloor, cfg)}; rate limit allows up to ${e.rateLimitMax}; ${cost}; ${conf}`;
    case 'scale_in':
      return `scale_in ${rec.currentReplicas} → ${rec.targetReplicas}: ${load}; ${forecast}${waits}; ${downReason(down, cfg, rec.atMs)}; rate limit allows down to ${e.rateLimitMin}; ${cost}; ${conf}`;
    case 'right_size':
      return `right_size ${f(rec.currentSizeUnits)} → ${f(rec.targetSizeUnits)} units per replica: replicas pinned at ${rec.currentReplicas}; p${f(cfg.sizePercentile * 100)} usage ${f(e.usagePercentile)} units × (1 + ${f(cfg.sizeSafetyMargin)}) / ${f(cfg.targetSaturation)}; ${conf}`;
    case 'rebalance': {
      const r = rebalance!;
      const what = r.reason === 'latency' ? `p95 latency above ${f(r.threshold)} ms` : `unit cost above ${f(r.threshold)}`;
      return `rebalance at ${rec.currentReplicas} replicas: ${what} for the last ${r.observed.length} samples (${r.observed.map(f).join(', ')}) while saturation ${f(r.saturationMean)} is not the bottleneck; ${conf}`;
    }
    case 'hold':
      return `hold at ${rec.currentReplicas} replicas: ${load}; ${forecast}${waits}; the count covering it is within tolerance ${f(cfg.tolerance)} or not yet sustained${paused(down, rec.atMs)}; ${conf}`;
  }
}
