import { describe, expect, it } from 'vitest';
import { compileCandidatePool, resolveRouterConfig, routeJob } from '../../src/domain';
import type { PolicyHook, RoutingOutcome } from '../../src/domain';
import { NOW_MS, asset, job } from './fixtures';

const config = resolveRouterConfig();
const pool = compileCandidatePool([
  asset('cheap', { provider: 'onprem', perf: { unitCost: 0.1 } }),
  asset('dear', { provider: 'aws', region: 'us-east-1', perf: { unitCost: 0.6 } }),
]);
const hook = (name: string, evaluate: PolicyHook['evaluate']): PolicyHook => ({ name, evaluate });
const allow = { verdict: 'allow', reasons: [] } as const;
const chosen = (out: RoutingOutcome) => (out.outcome === 'routed' ? out.chosen.assetId : `refused:${out.cause}`);

describe('policy hooks are evaluated inline and recorded', () => {
  it.each<{ name: string; hooks: PolicyHook[]; want: string }>([
    { name: 'no hooks: the cheap asset wins', hooks: [], want: 'cheap' },
    { name: 'deny removes a candidate', hooks: [hook('no-onprem', (c) => (c.candidate.provider === 'onprem' ? { verdict: 'deny', reasons: ['on-prem closed'] } : allow))], want: 'dear' },
    { name: 'adjust can reorder', hooks: [hook('boost-aws', (c) => (c.candidate.provider === 'aws' ? { verdict: 'adjust', reasons: ['commit'], scoreDelta: 0.5 } : allow))], want: 'dear' },
    { name: 'a throwing hook fails closed (deny)', hooks: [hook('broken', (c) => { if (c.candidate.assetId === 'cheap') throw new Error('boom'); return allow; })], want: 'dear' },
    { name: 'a non-finite delta fails closed', hooks: [hook('nan', (c) => (c.candidate.assetId === 'cheap' ? { verdict: 'adjust', reasons: [], scoreDelta: Number.NaN } : allow))], want: 'dear' },
    { name: 'deny everything refuses', hooks: [hook('freeze', () => ({ verdict: 'deny', reasons: ['change freeze'] }))], want: 'refused:no_eligible_candidate' },
  ])('$name', ({ hooks, want }) => {
    expect(chosen(routeJob({ job: job(), pool, config, hooks, nowMs: NOW_MS }))).toBe(want);
  });

  it('records denies as rejections, adjusts in the breakdown, and allows for the reported assets', () => {
    const hooks = [
      hook('no-onprem', (c) => (c.candidate.provider === 'onprem' ? { verdict: 'deny', reasons: ['on-prem closed'] } : allow)),
      hook('nudge', () => ({ verdict: 'adjust', reasons: ['small nudge'], scoreDelta: -0.01 })),
    ];
    const out = routeJob({ job: job(), pool, config, hooks, nowMs: NOW_MS });
    if (out.outcome !== 'routed') throw new Error(out.reasoning);
    expect(out.rejections.reasonsOf('cheap')).toEqual([{ code: 'policy_denied', text: 'policy no-onprem denied: on-prem closed' }]);
    expect(out.chosen.score.policyDelta).toBeCloseTo(-0.01, 12);
    const verdicts = out.policyResults.map((r) => `${r.assetId}:${r.hook}:${r.verdict}`).sort();
    expect(verdicts).toEqual(['cheap:no-onprem:deny', 'cheap:nudge:adjust', 'dear:no-onprem:allow', 'dear:nudge:adjust']);
    expect(out.reasoning).toContain('policy: 1 denied, 2 adjusted');
  });

  it('hooks see job, candidate, base score and nowMs', () => {
    const seen: unknown[] = [];
    routeJob({ job: job({ priority: 'critical' }), pool, config, nowMs: NOW_MS, hooks: [hook('spy', (c) => { seen.push([c.job.priority, c.candidate.assetId, c.baseScore > 0, c.nowMs]); return allow; })] });
    expect(seen).toContainEqual(['critical', 'cheap', true, NOW_MS]);
  });
});
