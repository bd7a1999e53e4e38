import { describe, expect, it } from 'vitest';
import { decide } from '../../src/domain/index';
import type { PolicyHook, PolicyVerdict } from '../../src/domain/index';
import { NOW, anomaly, config, context } from './fixtures';

const hook = (name: string, verdict: PolicyVerdict | (() => PolicyVerdict)): PolicyHook => ({
  name,
  evaluate: typeof verdict === 'function' ? verdict : () => verdict,
});

describe('policy hooks', () => {
  it('allow keeps the healer choice and is recorded', () => {
    const result = decide(anomaly(), context(), config({}, [hook('sla', { verdict: 'allow' })]), NOW);
    expect(result.kind === 'needs_slot' && result.draft).toMatchObject({
      strategy: 'throttle',
      overridden: false,
      policyResults: [{ hook: 'sla', verdict: 'allow', reasons: [] }],
    });
  });

  it('deny is final, keeps the proposal and the reasons', () => {
    const policies = [hook('freeze', { verdict: 'deny', reasons: ['change freeze until Monday'] }), hook('never-run', () => { throw new Error('must not run'); })];
    const result = decide(anomaly(), context(), config({}, policies), NOW);
    expect(result.kind).toBe('final');
    if (result.kind !== 'final') return;
    expect(result.decision).toMatchObject({
      outcome: 'denied_policy',
      step: 0,
      strategy: null,
      proposed: { strategy: 'throttle' },
      policyResults: [{ hook: 'freeze', verdict: 'deny', reasons: ['change freeze until Monday'] }],
    });
    expect(result.decision.reasons.join('\n')).toMatch(/freeze deny: change freeze until Monday/);
  });

  it('modify to another strategy records both choices and replans', () => {
    const policies = [hook('no-throttle-for-gold', { verdict: 'modify', strategy: 'rebalance', reasons: ['gold tenants are never throttled'] })];
    const result = decide(anomaly(), context(), config({}, policies), NOW);
    expect(result.kind).toBe('needs_slot');
    if (result.kind !== 'needs_slot') return;
    const { draft } = result;
    expect(draft.proposed).toEqual({ strategy: 'throttle', params: { assetId: 'svc-a', reduceByRatio: 0.3 } });
    expect(draft).toMatchObject({ strategy: 'rebalance', params: { assetId: 'svc-a', region: 'eu-west-1', shiftRatio: 0.45 }, overridden: true });
    expect(draft.expectedRecovery.withinMs).toBe(120_000);
    expect(draft.policyResults).toEqual([
      {
        hook: 'no-throttle-for-gold',
        verdict: 'modify',
        reasons: ['gold tenants are never throttled'],
        before: { strategy: 'throttle', params: { assetId: 'svc-a', reduceByRatio: 0.3 } },
        after: { strategy: 'rebalance', params: { assetId: 'svc-a', region: 'eu-west-1', shiftRatio: 0.45 } },
      },
    ]);
    expect(draft.reasons.join('\n')).toMatch(/no-throttle-for-gold modify \(throttle → rebalance\): gold tenants/);
  });

  it('modify of params merges over the plan; the next hook sees the modified proposal', () => {
    const seen: string[] = [];
    const observer: PolicyHook = {
      name: 'observer',
      evaluate: (ctx) => {
        seen.push(JSON.stringify(ctx.proposal.params));
        return { verdict: 'allow' };
      },
    };
    const policies = [hook('gentle', { verdict: 'modify', params: { reduceByRatio: 0.1 }, reasons: ['cap throttling at 10 %'] }), observer];
    const result = decide(anomaly(), context(), config({}, policies), NOW);
    expect(result.kind === 'needs_slot' && result.draft).toMatchObject({ strategy: 'throttle', params: { assetId: 'svc-a', reduceByRatio: 0.1 }, overridden: true });
    expect(seen).toEqual(['{"assetId":"svc-a","reduceByRatio":0.1}']);
  });

  it.each([
    { name: 'a hook that throws', policy: hook('broken', () => { throw new Error('opa down'); }), reason: /hook threw: opa down/ },
    { name: 'a modify to an unknown strategy', policy: hook('typo', { verdict: 'modify', strategy: 'reboot', reasons: ['x'] }), reason: /unknown strategy "reboot"/ },
  ])('$name fails closed as a recorded error', ({ policy, reason }) => {
    const result = decide(anomaly(), context(), config({}, [policy]), NOW);
    expect(result.kind === 'final' && result.decision.outcome).toBe('denied_policy');
    expect(result.kind === 'final' && result.decision.policyResults[0]?.verdict).toBe('error');
    expect(result.kind === 'final' && result.decision.policyResults[0]?.reasons.join()).toMatch(reason);
  });

  it('gives hooks the context they need to judge history and escalation', () => {
    let escalation: boolean | undefined;
    const spy: PolicyHook = {
      name: 'spy',
      evaluate: (ctx) => {
        escalation = ctx.escalation;
        return { verdict: 'allow' };
      },
    };
    decide(anomaly(), context(), config({}, [spy]), NOW);
    expect(escalation).toBe(false);
  });
});
