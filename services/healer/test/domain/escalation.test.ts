import { describe, expect, it } from 'vitest';
import { actionFromDecision, decide, escalate, evaluateRecovery, settleDecision } from '../../src/domain/index';
import type { DecideResult, HealingAction, HealingDecision, HealingMode, PolicyHook } from '../../src/domain/index';
import { NOW, anomaly, config, context } from './fixtures';

/** Settles with `acquired` and starts tracking, like the adapter does on a free slot. */
function settle(result: DecideResult): HealingDecision {
  return result.kind === 'final' ? result.decision : settleDecision(result.draft, { status: 'acquired' });
}

/** Runs the whole incident: the metric never recovers, so every rung fails until the ladder runs out. */
function runToExhaustion(mode: HealingMode, policies: readonly PolicyHook[] = []): { decisions: HealingDecision[]; claims: DecideResult[] } {
  const cfg = config({ mode }, policies);
  const claims: DecideResult[] = [];
  let now = NOW;
  let result = decide(anomaly(), context(), cfg, now);
  const decisions: HealingDecision[] = [];
  for (let guard = 0; guard < 10; guard += 1) {
    claims.push(result);
    const decision = settle(result);
    decisions.push(decision);
    const action: HealingAction | null = actionFromDecision(decision, anomaly(), now);
    if (action === null) break;
    now = action.startedAtMs + action.expectedRecovery.withinMs;
    const stillBad = [{ timestampMs: now - 1, metrics: { latency_ms: 500 } }];
    const recovery = evaluateRecovery(action, stillBad, now);
    expect(recovery.status).toBe('failed');
    result = escalate(action, recovery, context(), cfg, now);
  }
  return { decisions, claims };
}

describe('escalation ladder', () => {
  it('climbs every rung, then reports exhaustion', () => {
    const { decisions } = runToExhaustion('live');
    expect(decisions.map((d) => [d.outcome, d.strategy, d.dedupeKey])).toEqual([
      ['execute', 'throttle', 'an-1#0'],
      ['escalated', 'rebalance', 'an-1#1'],
      ['escalated', 'restart', 'an-1#2'],
      ['escalated', 'runbook', 'an-1#3'],
      ['exhausted', null, 'an-1#4'],
    ]);
    expect(decisions[1]?.escalatedFrom).toEqual({ step: 0, strategy: 'throttle', dedupeKey: 'an-1#0' });
    expect(decisions[4]?.reasons.join('\n')).toMatch(/step 3 \(runbook\) failed[\s\S]*ladder exhausted/);
  });

  it('escalation claims take over the failed slot and ignore the cooldown this incident set', () => {
    const { claims } = runToExhaustion('live');
    const escalation = claims[1];
    expect(escalation?.kind === 'needs_slot' && escalation.claim).toMatchObject({ dedupeKey: 'an-1#1', supersedes: 'an-1#0', enforceCooldown: false });
  });

  it('a dry-run incident escalates in dry-run', () => {
    const { decisions } = runToExhaustion('dry_run');
    expect(decisions.map((d) => d.outcome)).toEqual(['dry_run', 'dry_run', 'dry_run', 'dry_run', 'exhausted']);
    expect(decisions.every((d) => d.mode === 'dry_run')).toBe(true);
  });

  it('policies run again on escalation and can stop it', () => {
    const noRestart: PolicyHook = {
      name: 'no-restart-in-business-hours',
      evaluate: (ctx) => (ctx.proposal.strategy === 'restart' && ctx.escalation ? { verdict: 'deny', reasons: ['business hours'] } : { verdict: 'allow' }),
    };
    const { decisions } = runToExhaustion('live', [noRestart]);
    expect(decisions.map((d) => d.outcome)).toEqual(['execute', 'escalated', 'denied_policy']);
    expect(decisions[2]?.dedupeKey).toBe('an-1#2');
  });

  it('uses the ladder stored with the action, not the current configuration', () => {
    const first = settle(decide(anomaly(), context(), config(), NOW));
    const action = actionFromDecision(first, anomaly(), NOW);
    if (action === null) throw new Error('expected an action');
    const reloaded = config({ ladders: { ...config().settings.ladders, spike: [{ minSeverity: 0.3, steps: ['runbook'] }] } });
    const failed = evaluateRecovery(action, [], NOW + 60_000);
    const next = escalate(action, failed, context(), reloaded, NOW + 60_000);
    expect(next.kind === 'needs_slot' && next.draft.strategy).toBe('rebalance');
  });

  it('refuses to escalate an action that has not failed', () => {
    const action = actionFromDecision(settle(decide(anomaly(), context(), config(), NOW)), anomaly(), NOW);
    if (action === null) throw new Error('expected an action');
    const pending = evaluateRecovery(action, [], NOW + 1);
    expect(() => escalate(action, pending, context(), config(), NOW + 1)).toThrow(/not_yet/);
  });

  it('dedupe keys are stable across replays of the whole incident', () => {
    const keys = () => runToExhaustion('live').decisions.map((d) => d.dedupeKey);
    expect(keys()).toEqual(keys());
  });
});
