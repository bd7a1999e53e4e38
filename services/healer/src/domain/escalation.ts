import type { HealingAction } from './action';
import type { HealingContext } from './anomaly';
import type { HealerConfig } from './config';
import type { RecoveryEvaluation } from './recovery';
import { planStep } from './step-planning';
import type { DecideResult } from './step-planning';

/**
 * The decision after `action` failed to bring recovery: the next usable rung of the action's own
 * ladder (settled later as `escalated`), or `exhausted` when none is left. Policies run again, and
 * a dry-run incident stays dry-run.
 *
 * The claim of an escalation does not check the asset's cooldown (this incident set it) but does
 * check the caps, taking over the failed step's slot (`supersedes`). Its dedupe key is
 * `anomalyId#nextStep`, so two healers escalating the same failure act once.
 */
export function escalate(action: HealingAction, failure: RecoveryEvaluation, ctx: HealingContext, config: HealerConfig, nowMs: number): DecideResult {
  if (failure.status !== 'failed') {
    throw new RangeError(`escalate called for ${action.dedupeKey} whose recovery is ${failure.status}; only a failed action escalates`);
  }
  return planStep({
    anomaly: action.anomaly,
    ctx,
    config,
    ladder: action.ladder,
    fromStep: action.step + 1,
    mode: action.mode,
    nowMs,
    escalatedFrom: { step: action.step, strategy: action.strategy, dedupeKey: action.dedupeKey },
    reasons: [`step ${action.step} (${action.strategy}) failed: ${failure.reasons.join('; ')}`],
  });
}
