import type { Anomaly } from './anomaly';
import type { HealingAction } from './action';
import { isTracked } from './decision';
import type { DecisionDraft, HealingDecision, Suppression } from './decision';
import type { HeldBack, SlotAcquisition } from './slot';
import { durationText } from './reason-text';

/**
 * Phase 3 of a healing decision, pure: turns the adapter's atomic acquisition result into the final
 * decision record. Only `acquired` lets the action proceed; every other result is a suppression
 * carrying the numbers behind it.
 */
export function settleDecision(draft: DecisionDraft, acquisition: SlotAcquisition): HealingDecision {
  const decision = { ...draft, suppression: null };
  // A dry run is never held back by a cooldown or cap: the actions that would have set them never
  // ran. What live mode would have done is recorded beside the decision instead.
  if (draft.mode === 'dry_run' && (acquisition.status === 'cooldown' || acquisition.status === 'cap_reached')) {
    return settleDecision(draft, { status: 'acquired', wouldHold: acquisition });
  }
  switch (acquisition.status) {
    case 'acquired': {
      if (draft.mode === 'dry_run') {
        const held = acquisition.wouldHold;
        return {
          ...decision, outcome: 'dry_run',
          ...(held ? { wouldSuppress: suppressionOf(held) } : {}),
          reasons: [
            ...draft.reasons, `dry-run mode: ${draft.strategy} is recorded, not executed`,
            ...(held ? [`live mode would have held it back: ${heldReason(draft, held)} (counted against dry-run actions, which never ran)`] : []),
          ],
        };
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
    case 'cap_reached':
      return {
        ...decision,
        outcome: acquisition.status === 'cooldown' ? 'suppressed_cooldown' : 'suppressed_cap',
        suppression: suppressionOf(acquisition),
        reasons: [...draft.reasons, heldReason(draft, acquisition)],
      };
  }
}

function suppressionOf(held: HeldBack): Suppression {
  return held.status === 'cooldown'
    ? { kind: 'cooldown', remainingMs: held.remainingMs }
    : { kind: 'cap', scope: held.scope, inFlight: held.inFlight, limit: held.limit };
}

function heldReason(draft: DecisionDraft, held: HeldBack): string {
  return held.status === 'cooldown'
    ? `${draft.assetId} is cooling down after a recent action: ${durationText(held.remainingMs)} left`
    : `${held.inFlight} actions in flight in ${held.scope}, limit ${held.limit}`;
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
