import { describe, expect, it } from 'vitest';
import { actionFromDecision, decide, isActionable, settleDecision, stateMode } from '../../src/domain/index';
import type { DecisionDraft, DecisionOutcome, HealingMode, SlotAcquisition, Suppression } from '../../src/domain/index';
import { NOW, anomaly, config, context } from './fixtures';

function draftFor(mode: HealingMode): DecisionDraft {
  const result = decide(anomaly(), context(), config({ mode }), NOW);
  if (result.kind !== 'needs_slot') throw new Error('fixture must need a slot');
  return result.draft;
}

describe('settleDecision', () => {
  it.each<{ mode: HealingMode; acquisition: SlotAcquisition; outcome: DecisionOutcome; suppression: Suppression | null; reason: RegExp }>([
    { mode: 'live', acquisition: { status: 'acquired' }, outcome: 'execute', suppression: null, reason: /executing throttle/ },
    { mode: 'dry_run', acquisition: { status: 'acquired' }, outcome: 'dry_run', suppression: null, reason: /dry-run mode: throttle is recorded, not executed/ },
    { mode: 'live', acquisition: { status: 'duplicate' }, outcome: 'suppressed_duplicate', suppression: { kind: 'duplicate' }, reason: /already decided under an-1#0/ },
    { mode: 'live', acquisition: { status: 'cooldown', remainingMs: 42_000 }, outcome: 'suppressed_cooldown', suppression: { kind: 'cooldown', remainingMs: 42_000 }, reason: /svc-a is cooling down after a recent action: 42 s left/ },
    {
      mode: 'live',
      acquisition: { status: 'cap_reached', scope: 'region:eu-west-1', inFlight: 5, limit: 5 },
      outcome: 'suppressed_cap',
      suppression: { kind: 'cap', scope: 'region:eu-west-1', inFlight: 5, limit: 5 },
      reason: /5 actions in flight in region:eu-west-1, limit 5/,
    },
    // A dry run is never held back by a cooldown its own (never executed) actions set.
    { mode: 'dry_run', acquisition: { status: 'cooldown', remainingMs: 1 }, outcome: 'dry_run', suppression: null, reason: /live mode would have held it back: svc-a is cooling down after a recent action: 1 ms left/ },
    {
      mode: 'dry_run',
      acquisition: { status: 'acquired', wouldHold: { status: 'cap_reached', scope: 'global', inFlight: 20, limit: 20 } },
      outcome: 'dry_run',
      suppression: null,
      reason: /live mode would have held it back: 20 actions in flight in global, limit 20 \(counted against dry-run actions/,
    },
  ])('$mode + $acquisition.status → $outcome', ({ mode, acquisition, outcome, suppression, reason }) => {
    const decision = settleDecision(draftFor(mode), acquisition);
    expect(decision.outcome).toBe(outcome);
    expect(decision.suppression).toEqual(suppression);
    expect(decision.reasons.at(-1)).toMatch(reason);
    // The action stays in the record even when suppressed: the audit shows what was held back.
    expect(decision.strategy).toBe('throttle');
    expect(decision.dedupeKey).toBe('an-1#0');
  });

  it('only execute and escalated are actionable', () => {
    const live = settleDecision(draftFor('live'), { status: 'acquired' });
    const dry = settleDecision(draftFor('dry_run'), { status: 'acquired' });
    expect([isActionable(live), isActionable(dry)]).toEqual([true, false]);
  });
});

describe('actionFromDecision', () => {
  it('tracks executed and dry-run actions, with the ladder they came from', () => {
    const executed = actionFromDecision(settleDecision(draftFor('live'), { status: 'acquired' }), anomaly(), NOW + 10);
    expect(executed).toMatchObject({ dedupeKey: 'an-1#0', step: 0, strategy: 'throttle', startedAtMs: NOW + 10, mode: 'live', ladder: ['throttle', 'rebalance', 'restart', 'runbook'] });
    expect(actionFromDecision(settleDecision(draftFor('dry_run'), { status: 'acquired' }), anomaly(), NOW)?.mode).toBe('dry_run');
  });

  it.each<SlotAcquisition>([{ status: 'duplicate' }, { status: 'cooldown', remainingMs: 5 }, { status: 'cap_reached', scope: 'global', inFlight: 1, limit: 1 }])(
    'tracks nothing after $status',
    (acquisition) => {
      expect(actionFromDecision(settleDecision(draftFor('live'), acquisition), anomaly(), NOW)).toBeNull();
    },
  );
});

describe('stateMode', () => {
  it('makes every dry-run decision say it is a dry run, whatever its outcome, and leaves live ones alone', () => {
    const duplicate = settleDecision(draftFor('dry_run'), { status: 'duplicate' });
    expect(stateMode(duplicate).reasons.at(-1)).toBe('dry-run mode: nothing is executed in this mode');
    const dry = settleDecision(draftFor('dry_run'), { status: 'acquired' });
    expect(stateMode(dry).reasons).toEqual(dry.reasons);
    const live = settleDecision(draftFor('live'), { status: 'duplicate' });
    expect(stateMode(live)).toBe(live);
  });
});
