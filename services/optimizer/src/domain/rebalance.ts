/**
 * Rebalance: move work elsewhere rather than change capacity. Two sustained conditions qualify,
 * both chosen because scaling would not fix them:
 * - latency above objective while utilisation is at or under target (capacity is not the bottleneck:
 *   a hot shard, a slow dependency, a noisy neighbour);
 * - unit cost above target while utilisation is near target (the capacity is used, it is just
 *   expensive here; cheaper assets elsewhere should take the work).
 * "Sustained" means every sample of the last `sustainMs` (and at least that much history), so one
 * bad sample is not enough, at any sample interval.
 */
import type { OptimizerConfig } from './config';
import { withinWindow } from './ring';
import type { OptimizerState } from './state';

/** Why rebalance is warranted, with the numbers. */
export interface RebalanceSignal {
  readonly reason: 'latency' | 'cost';
  /** The values of the breached series over the last `sustainMs`. */
  readonly observed: readonly number[];
  readonly threshold: number;
  readonly saturationMean: number;
}

/** Returns the rebalance evidence, or null when neither condition is sustained. */
export function rebalanceSignal(state: OptimizerState, cfg: OptimizerConfig): RebalanceSignal | null {
  const now = state.lastSampleAtMs;
  if (state.sampleCount === 0 || now - state.firstSampleAtMs < cfg.sustainMs) return null;
  const window = (ring: typeof state.series.saturation) => withinWindow(ring, state.sampleTimes, now, cfg.sustainMs);
  const saturations = window(state.series.saturation);
  const saturationMean = saturations.reduce((a, b) => a + b, 0) / saturations.length;
  const load = saturationMean / cfg.targetSaturation;
  if (cfg.latencyObjectiveMs > 0 && load <= 1 + cfg.tolerance) {
    const observed = window(state.series.latencyP95Ms);
    const threshold = cfg.latencyObjectiveMs * (1 + cfg.tolerance);
    if (observed.every((x) => x > threshold)) return { reason: 'latency', observed, threshold, saturationMean };
  }
  if (cfg.unitCostTarget > 0 && Math.abs(load - 1) <= cfg.tolerance) {
    const observed = window(state.series.unitCost);
    const threshold = cfg.unitCostTarget * (1 + cfg.tolerance);
    if (observed.every((x) => x > threshold)) return { reason: 'cost', observed, threshold, saturationMean };
  }
  return null;
}
