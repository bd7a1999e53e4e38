import type { Anomaly } from './anomaly';
import type { HealingAction } from './action';
import { isTracked } from './decision';
import type { DecisionDraft, HealingDecision } from './decision';
import type { SlotAcquisition } from './slot';

/**
 * Phase 3 of a healing decision, pure: turns the adapter's atomic acquisition result into the final
 * decision record. Only `acquired` lets the action proceed; every other result is a suppression
 * carrying the numbers behind it.
 */
export function settleDecision(draft: DecisionDraft, acquisition: SlotAcquisition): HealingDecision {
  const decision = { ...draft, suppression: null };
  switch (acquisition.status) {
    case 'acquired': {
      if (draft.mode === 'dry_run') {
        return { ...decision, outcome: 'dry_run', reasons: [...draft.reasons, `dry-run mode: ${draft.strategy} is recorded, not executed`] };
      }
      const escalated = draft.escalatedFrom !== null;
      return {
        ...decision,
        outcome: escalated ? 'escalated' : 'execute',
        reasons: [...draft.reasons, escalated ? `escalating to ${draft.strategy}` : `executing ${draft.strategy}`],
      };
    }
    case 'duplicate':
      return {
        ...decision,
        outcome: 'suppressed_duplicate',
        suppression: { kind: 'duplicate' },
        reasons: [...draft.reasons, `already decided under ${draft.dedupeKey} (redelivered anomaly): not acting twice`],
      };
    case 'cooldown':
      return {
        ...decision,
        outcome: 'suppressed_cooldown',
        suppression: { kind: 'cooldown', remainingMs: acquisition.remainingMs },
        reasons: [...draft.reasons, `${draft.assetId} is cooling down after a recent action: ${acquisition.remainingMs} ms left`],
      };
    case 'cap_reached':
      return {
        ...decision,
        outcome: 'suppressed_cap',
        suppression: { kind: 'cap', scope: acquisition.scope, inFlight: acquisition.inFlight, limit: acquisition.limit },
        reasons: [...draft.reasons, `${acquisition.inFlight} actions in flight in ${acquisition.scope}, limit ${acquisition.limit}`],
      };
  }
}

/**
 * The action to track after a settled decision, or null when nothing was started. The adapter
 * stores it and evaluates its recovery as samples arrive.
 */
export function actionFromDecision(decision: HealingDecision, anomaly: Anomaly, startedAtMs: number): HealingAction | null {
  if (!isTracked(decision) || decision.step === null || decision.strategy === null || decision.params === null || decision.expectedRecovery === null) {
    return null;
  }
  return {
    dedupeKey: decision.dedupeKey,
    anomaly,
    ladder: decision.ladder,
    step: decision.step,
    strategy: decision.strategy,
    params: decision.params,
    expectedRecovery: decision.expectedRecovery,
    startedAtMs,
    mode: decision.mode,
  };
}
