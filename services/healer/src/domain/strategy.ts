import type { ActionSpec, ExpectedRecovery } from './action';
import type { Anomaly, AnomalyKind, AssetInfo, Intervention } from './anomaly';

/** What a strategy may look at when it plans. */
export interface StrategyContext {
  readonly anomaly: Anomaly;
  readonly asset: AssetInfo;
  readonly history: readonly Intervention[];
  readonly nowMs: number;
}

/**
 * A way to heal. Pure: `plan` describes the action, an adapter performs it. Register one per name;
 * ladders refer to strategies by name.
 */
export interface ResponseStrategy {
  readonly name: string;
  /** Whether the strategy makes sense at all for this kind and severity (a ladder rung is skipped if not). */
  appliesTo(kind: AnomalyKind, severity: number): boolean;
  plan(ctx: StrategyContext): ActionSpec;
}

/** How strictly recovery is judged. */
export interface RecoveryTargetOptions {
  /**
   * Recovered means back within this many baseline standard deviations, on the side the anomaly
   * went. 2 σ: the detector does not flag values that close, so a recovered metric stops re-firing.
   * @default 2
   */
  readonly recoveryZ?: number;
  /** @default 3 */
  readonly sustainedSamples?: number;
}

/**
 * The recovery an action on `anomaly` should bring: the metric back on the near side of
 * `baselineMean ± recoveryZ · baselineStd`, in the direction of the anomaly (down after a rise, up
 * after a fall), for `sustainedSamples` samples in a row, within `withinMs`.
 */
export function recoveryTarget(anomaly: Anomaly, withinMs: number, options: RecoveryTargetOptions = {}): ExpectedRecovery {
  const { recoveryZ = 2, sustainedSamples = 3 } = options;
  const { baselineMean, baselineStd, zScore } = anomaly.evidence;
  const margin = recoveryZ * Math.max(0, baselineStd);
  const wentUp = zScore >= 0;
  return {
    metric: anomaly.metric,
    withinMs,
    condition: wentUp
      ? { op: 'at_most', threshold: baselineMean + margin, sustainedSamples }
      : { op: 'at_least', threshold: baselineMean - margin, sustainedSamples },
  };
}
