/** Plugin router hooks in the router's real core: a rule's deny, a broken rule failing closed, both named in the decision. */
import { describe, expect, it } from 'vitest';
import { definePlugin } from '@maestro/plugin-sdk';
import { createContainment, routerPolicyHooks, type PluginFailure } from '@maestro/plugin-sdk/host';
import { compileCandidatePool, resolveRouterConfig, routeJob } from '../src/domain';
import { NOW_MS, asset, job } from './domain/fixtures';

const plugin = definePlugin({
  name: 'acme',
  version: '1.0.0',
  policyHooks: {
    router: [
      { name: 'no-frozen', evaluate: ({ candidate }) => (candidate.complianceTags.includes('frozen') ? { verdict: 'deny', reasons: [`${candidate.assetId} is frozen`] } : { verdict: 'allow', reasons: [] }) },
      { name: 'region-table', evaluate: ({ candidate }) => { if (candidate.region === 'ap-south-1') throw new Error('no entry for ap-south-1'); return { verdict: 'allow', reasons: [] }; } },
    ],
  },
});

describe('plugin router hooks', () => {
  const failures: PluginFailure[] = [];
  const hooks = routerPolicyHooks([plugin], createContainment({ timeoutMs: 5_000, onFailure: (f) => failures.push(f) }));
  const pool = compileCandidatePool([
    asset('best', { complianceTags: ['gdpr', 'frozen'], perf: { unitCost: 0.1 } }),
    asset('broken-region', { region: 'ap-south-1', perf: { unitCost: 0.2 } }),
    asset('ok', { perf: { unitCost: 0.6 } }),
  ]);

  it('keeps the job off the frozen asset and the asset the broken rule cannot judge, naming the plugin', () => {
    const out = routeJob({ job: job(), pool, config: resolveRouterConfig(), hooks, nowMs: NOW_MS });
    expect(out.outcome).toBe('routed');
    if (out.outcome !== 'routed') return;
    expect(out.chosen.assetId).toBe('ok');
    expect(out.policyResults.filter((r) => r.verdict === 'deny')).toEqual([
      { hook: 'acme/no-frozen', assetId: 'best', verdict: 'deny', reasons: ['best is frozen'] },
      { hook: 'acme/region-table', assetId: 'broken-region', verdict: 'deny', reasons: ['plugin acme failed: router policy hook region-table threw: no entry for ap-south-1'] },
    ]);
    expect(failures.map((f) => f.kind)).toEqual(['threw']);
  });
});
