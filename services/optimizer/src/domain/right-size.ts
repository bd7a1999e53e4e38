/**
 * Right-sizing a replica, after the VPA recommender: size = percentile of per-replica usage from the
 * decaying histogram, plus a safety margin, divided by the utilisation target (so that, resized, the
 * percentile sits at the target the HPA rule steers to, and the two do not fight), rounded up to a
 * size step.
 *
 * It is recommended only when replica scaling is pinned at a bound: at `minReplicas` and still
 * under target (shrink the replica), or at `maxReplicas` and still over it (grow it). Elsewhere the
 * HPA rule is the right tool, and resizing the unit it scales would make both loops chase each other.
 */
import type { OptimizerConfig } from './config';
import { percentile } from './decaying-histogram';
import type { OptimizerState } from './state';

/** A size recommendation and its evidence. */
export interface SizeRecommendation {
  /** Per-replica usage at `sizePercentile`, in size units. */
  readonly usagePercentile: number;
  /** Recommended size per replica, a multiple of `sizeStepUnits`. */
  readonly sizeUnits: number;
}

/** Recommends a per-replica size from the usage histogram. */
export function recommendSize(state: OptimizerState, cfg: OptimizerConfig): SizeRecommendation {
  const usagePercentile = percentile(state.usage, cfg.histogram, cfg.sizePercentile);
  const raw = usagePercentile * (1 + cfg.sizeSafetyMargin) / cfg.targetSaturation;
  const steps = Math.max(1, Math.ceil(raw / cfg.sizeStepUnits - 1e-9));
  return { usagePercentile, sizeUnits: Number((steps * cfg.sizeStepUnits).toFixed(6)) };
}

/** Whether a size change is large enough to be worth a restart. */
export function worthResizing(currentSizeUnits: number, targetSizeUnits: number, cfg: OptimizerConfig): boolean {
  return Math.abs(targetSizeUnits - currentSizeUnits) / currentSizeUnits > cfg.rightSizeTolerance;
}
