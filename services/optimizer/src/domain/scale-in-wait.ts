/**
 * How long a scale-in the forecast allows must wait, learned per series (issue 11): a quick
 * scale-in wins replica-hours on a series whose drops are real, and loses demand on one whose
 * drops are followed by surprises that only the HPA rule's long window insures against. No fixed
 * wait suits both, so each series sets its own from its own evidence, AIMD-style: a scale-in that
 * proves wrong (the load outgrows the count scaled in to within one startup delay — a "regret")
 * multiplies the wait; one that proves right shortens it by a step. It starts at the long window
 * (the HPA rule's own wait) and stays between `scaleDownForecastMs` and it. All in time, so the
 * cadence does not matter: every sample judges a scale-in until one at least a startup delay after
 * it, so the first sample after it always does (at a 120 s cadence it may be the only one).
 */
import type { OptimizerConfig } from './config';

/** A scale-in awaiting its verdict: when the lower count was first seen, and the count. */
export interface ScaleInCheck {
  readonly atMs: number;
  readonly to: number;
}

/** The learned wait and the one scale-in being judged (a newer scale-in replaces it). */
export interface ScaleInWait {
  readonly waitMs: number;
  readonly check: ScaleInCheck | null;
}

/** Whether the wait is learned at all (`scaleInWaitStepMs` > 0 and a forecast scale-in exists). */
export function adaptiveWait(cfg: OptimizerConfig): boolean {
  return cfg.scaleInWaitStepMs > 0 && cfg.scaleDownForecastMs > 0;
}

/** The learned wait's bounds: the fixed short window and the long window. */
function bounds(cfg: OptimizerConfig): { min: number; max: number } {
  const max = cfg.scaleDownStabilizationMs;
  return { min: Math.min(cfg.scaleDownForecastMs, max), max };
}

/** A series starts conservative: the HPA rule's wait, until its own scale-ins prove quicker ones safe. */
export function initialScaleInWait(cfg: OptimizerConfig): ScaleInWait {
  return { waitMs: adaptiveWait(cfg) ? bounds(cfg).max : bounds(cfg).min, check: null };
}

/** The wait a forecast scale-in must see the desired counts agree for, now. */
export function scaleInWaitMs(w: ScaleInWait, cfg: OptimizerConfig): number {
  const { min, max } = bounds(cfg);
  return adaptiveWait(cfg) ? Math.min(max, Math.max(min, w.waitMs)) : min;
}

/** One sample as the judge sees it: its time, the replicas it saw running, and its load in replicas' worth. */
export interface ScaleInEvidence {
  readonly atMs: number;
  readonly replicas: number;
  readonly load: number;
  readonly saturated: boolean;
}

/**
 * Folds one sample into the wait. `previousReplicas` is the count the sample before saw: a lower
 * count now is a scale-in, which this sample already starts to judge. A regret is a load above
 * `scaleInRegretUtilisation` of the count scaled in to, or a saturated sample.
 */
export function judgeScaleIn(w: ScaleInWait, previousReplicas: number, e: ScaleInEvidence, cfg: OptimizerConfig): ScaleInWait {
  if (!adaptiveWait(cfg)) return w;
  const { min, max } = bounds(cfg);
  let { waitMs, check } = w;
  if (previousReplicas > 0 && e.replicas < previousReplicas) {
    // A newer scale-in before the last one's verdict: the load stayed low enough to go lower, so
    // the earlier one was right.
    if (check !== null) waitMs = Math.max(min, waitMs - cfg.scaleInWaitStepMs);
    check = { atMs: e.atMs, to: e.replicas };
  }
  if (check === null) return waitMs === w.waitMs ? w : { waitMs, check };
  if (e.saturated || e.load > check.to * cfg.scaleInRegretUtilisation) return { waitMs: Math.min(max, waitMs * cfg.scaleInWaitGrowth), check: null };
  if (e.atMs - check.atMs >= cfg.startupMs) return { waitMs: Math.max(min, waitMs - cfg.scaleInWaitStepMs), check: null };
  return { waitMs, check };
}
