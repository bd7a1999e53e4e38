/**
 * Rebalance: move work elsewhere rather than change capacity. Two sustained conditions qualify,
 * both chosen because scaling would not fix them:
 * - latency above objective while utilisation is at or under target (capacity is not the bottleneck:
 *   a hot shard, a slow dependency, a noisy neighbour);
 * - unit cost above target while utilisation is near target (the capacity is used, it is just
 *   expensive here; cheaper assets elsewhere should take the work).
 * "Sustained" means every one of the last `sustainSamples` samples, so one bad sample is not enough.
 */
import type { OptimizerConfig } from './config';
import { latest, mean } from './ring';
import type { OptimizerState } from './state';

/** Why rebalance is warranted, with the numbers. */
export interface RebalanceSignal {
  readonly reason: 'latency' | 'cost';
  /** The last `sustainSamples` values of the breached series. */
  readonly observed: readonly number[];
  readonly threshold: number;
  readonly saturationMean: number;
}

/** Returns the rebalance evidence, or null when neither condition is sustained. */
export function rebalanceSignal(state: OptimizerState, cfg: OptimizerConfig): RebalanceSignal | null {
  const n = cfg.sustainSamples;
  if (state.sampleCount < n) return null;
  const saturationMean = mean(state.series.saturation, n);
  const load = saturationMean / cfg.targetSaturation;
  if (cfg.latencyObjectiveMs > 0 && load <= 1 + cfg.tolerance) {
    const observed = latest(state.series.latencyP95Ms, n);
    const threshold = cfg.latencyObjectiveMs * (1 + cfg.tolerance);
    if (observed.every((x) => x > threshold)) return { reason: 'latency', observed, threshold, saturationMean };
  }
  if (cfg.unitCostTarget > 0 && Math.abs(load - 1) <= cfg.tolerance) {
    const observed = latest(state.series.unitCost, n);
    const threshold = cfg.unitCostTarget * (1 + cfg.tolerance);
    if (observed.every((x) => x > threshold)) return { reason: 'cost', observed, threshold, saturationMean };
  }
  return null;
}
