import type { Anomaly, AnomalyKind, Intervention } from './anomaly';
import type { ResponseStrategy } from './strategy';
import { durationText, severityText } from './reason-text';

/**
 * Strategies to try in order, for anomalies at or above `minSeverity`. Escalation moves to the next
 * step when the current one did not bring recovery.
 */
export interface LadderBand {
  readonly minSeverity: number;
  readonly steps: readonly string[];
}

/** Per kind, bands in ascending `minSeverity`; the highest band an anomaly reaches applies. */
export type Ladders = Readonly<Record<AnomalyKind, readonly LadderBand[]>>;

/**
 * The ladders the healer runs with unless configured otherwise. Mild anomalies (below 0.3) get no
 * action: at that severity the detector's false-positive rate makes acting cost more than waiting.
 * Every ladder ends with a runbook, so an incident the automation cannot fix reaches a human.
 */
export const DEFAULT_LADDERS: Ladders = Object.freeze({
  spike: [
    { minSeverity: 0.3, steps: ['throttle', 'rebalance', 'restart', 'runbook'] },
    { minSeverity: 0.8, steps: ['failover', 'runbook'] },
  ],
  drop: [{ minSeverity: 0.3, steps: ['restart', 'failover', 'runbook'] }],
  drift: [
    { minSeverity: 0.3, steps: ['rebalance', 'runbook'] },
    { minSeverity: 0.7, steps: ['rebalance', 'failover', 'runbook'] },
  ],
  // Oscillation severity measures amplitude, but the detector only calls a regime flapping after
  // several reversals, so the evidence is strong even when the swing is modest: act from 0.2.
  oscillation: [{ minSeverity: 0.2, steps: ['throttle', 'rebalance', 'runbook'] }],
});

/** The band that applies to `anomaly`, or undefined when its severity is below every band. */
export function selectBand(ladders: Ladders, anomaly: Pick<Anomaly, 'kind' | 'severity'>): LadderBand | undefined {
  const bands = ladders[anomaly.kind] ?? [];
  let chosen: LadderBand | undefined;
  for (const band of bands) if (anomaly.severity >= band.minSeverity) chosen = band;
  return chosen;
}

/** A usable rung: its position on the ladder and its strategy. */
export interface Rung {
  readonly step: number;
  readonly strategy: ResponseStrategy;
}

/** What walking the ladder found, with a reason for every rung passed over. */
export interface RungSearch {
  readonly rung: Rung | undefined;
  readonly skipped: readonly string[];
}

/** What the ladder walk needs besides the ladder. */
export interface RungQuery {
  readonly anomaly: Anomaly;
  readonly history: readonly Intervention[];
  readonly strategies: ReadonlyMap<string, ResponseStrategy>;
  readonly recentFailureWindowMs: number;
  readonly nowMs: number;
}

/**
 * The first rung at or after `fromStep` worth trying. A rung is passed over when its strategy is not
 * registered (only possible for a ladder stored with an action before a redeploy), does not apply to
 * this kind and severity, or already failed on this asset and metric within the failure window:
 * repeating what just failed delays the step that might work.
 */
export function findRung(ladder: readonly string[], fromStep: number, query: RungQuery): RungSearch {
  const skipped: string[] = [];
  const { anomaly } = query;
  for (let step = fromStep; step < ladder.length; step += 1) {
    const name = ladder[step] ?? '';
    const strategy = query.strategies.get(name);
    if (strategy === undefined) {
      skipped.push(`step ${step} (${name}) skipped: no strategy registered under that name`);
    } else if (!strategy.appliesTo(anomaly.kind, anomaly.severity)) {
      skipped.push(`step ${step} (${name}) skipped: does not apply to ${anomaly.kind} at severity ${severityText(anomaly.severity)}`);
    } else if (failedRecently(name, query)) {
      skipped.push(`step ${step} (${name}) skipped: failed on ${anomaly.assetId}/${anomaly.metric} within the last ${durationText(query.recentFailureWindowMs)}`);
    } else {
      return { rung: { step, strategy }, skipped };
    }
  }
  return { rung: undefined, skipped };
}

function failedRecently(strategy: string, { anomaly, history, recentFailureWindowMs, nowMs }: RungQuery): boolean {
  return history.some(
    (past) =>
      past.strategy === strategy &&
      past.metric === anomaly.metric &&
      past.result === 'failed' &&
      // Failures of this very anomaly are the escalation path itself, not a reason to skip a rung.
      past.anomalyId !== anomaly.anomalyId &&
      nowMs - past.startedAtMs <= recentFailureWindowMs,
  );
}
