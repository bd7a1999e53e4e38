import { describe, expect, it } from 'vitest';
import { compileCandidatePool, resolveRouterConfig, routeJob } from '../../src/domain';
import type { AssetCandidate } from '../../src/domain';
import { NOW_MS, asset, job } from './fixtures';

const config = resolveRouterConfig({ weightsByJobClass: { flat: { cost: 0, latency: 0, reliability: 1, saturation: 0 } } });

// With only reliability weighted and zero errors everywhere, totals tie exactly, so the stated
// tie-break order is all that decides.
describe('deterministic tie-breaks: score, unit cost, p95 latency, error rate, assetId', () => {
  it.each<{ name: string; assets: AssetCandidate[]; want: string }>([
    { name: 'lower unit cost wins', assets: [asset('a', { perf: { unitCost: 0.5 } }), asset('b', { perf: { unitCost: 0.4 } })], want: 'b' },
    { name: 'then lower latency', assets: [asset('a', { perf: { latencyP95Ms: 60 } }), asset('b', { perf: { latencyP95Ms: 70 } })], want: 'a' },
    { name: 'then lower error rate', assets: [asset('a', { perf: { errorRate: 0.001 } }), asset('b', { perf: { errorRate: 0.002 } })], want: 'a' },
    { name: 'finally assetId, by code unit', assets: [asset('b'), asset('B'), asset('a')], want: 'B' },
  ])('$name', ({ assets, want }) => {
    const flatJob = job({ jobClass: 'flat' });
    for (const order of [assets, [...assets].reverse()]) {
      const out = routeJob({ job: flatJob, pool: compileCandidatePool(order), config, nowMs: NOW_MS });
      if (out.outcome !== 'routed') throw new Error(out.reasoning);
      expect(out.chosen.assetId).toBe(want);
    }
  });

  it('identical inputs give identical records', () => {
    const pool = compileCandidatePool([asset('a'), asset('b', { region: 'us-east-1' }), asset('c', { provider: 'gcp' })]);
    const a = JSON.stringify(routeJob({ job: job(), pool, config, nowMs: NOW_MS }));
    const b = JSON.stringify(routeJob({ job: job(), pool, config, nowMs: NOW_MS }));
    expect(a).toBe(b);
  });
});
