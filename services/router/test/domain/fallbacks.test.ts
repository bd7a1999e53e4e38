import { describe, expect, it } from 'vitest';
import { compileCandidatePool, resolveRouterConfig, routeJob } from '../../src/domain';
import type { AssetCandidate, RoutingDecision } from '../../src/domain';
import { NOW_MS, asset, job } from './fixtures';

const decide = (assets: AssetCandidate[], fallbackCount = 3): RoutingDecision => {
  const out = routeJob({ job: job(), pool: compileCandidatePool(assets), config: resolveRouterConfig({ fallbackCount }), nowMs: NOW_MS });
  if (out.outcome !== 'routed') throw new Error(out.reasoning);
  return out;
};
// Lower unit cost = higher score; the primary is always the cheapest.
const at = (id: string, provider: string, region: string, unitCost: number) => asset(id, { provider, region, perf: { unitCost } });

describe('fallbacks come from other failure domains', () => {
  it.each<{ name: string; assets: AssetCandidate[]; n?: number; want: [string, string][] }>([
    {
      name: 'different region and provider beats a better-scored same-region peer',
      assets: [at('primary', 'aws', 'eu', 0.1), at('same-domain', 'aws', 'eu', 0.11), at('other-both', 'gcp', 'us', 0.5)],
      n: 1, want: [['other-both', 'different-region-and-provider']],
    },
    {
      name: 'order of tiers: region+provider, region, provider, same',
      assets: [at('primary', 'aws', 'eu', 0.1), at('same', 'aws', 'eu', 0.2), at('prov', 'gcp', 'eu', 0.3), at('reg', 'aws', 'us', 0.4), at('both', 'gcp', 'us', 0.5)],
      n: 4, want: [['both', 'different-region-and-provider'], ['reg', 'different-region'], ['prov', 'different-provider'], ['same', 'same-domain']],
    },
    {
      name: 'spreads fallbacks over regions before reusing one',
      assets: [at('primary', 'aws', 'eu', 0.1), at('us-1', 'gcp', 'us', 0.2), at('us-2', 'gcp', 'us', 0.3), at('ap-1', 'azure', 'ap', 0.6)],
      n: 2, want: [['us-1', 'different-region-and-provider'], ['ap-1', 'different-region-and-provider']],
    },
    {
      name: 'N is configurable and bounded by what is eligible',
      assets: [at('primary', 'aws', 'eu', 0.1), at('x', 'gcp', 'us', 0.2)],
      n: 5, want: [['x', 'different-region-and-provider']],
    },
  ])('$name', ({ assets, n, want }) => {
    const out = decide(assets, n);
    expect(out.chosen.assetId).toBe('primary');
    expect(out.fallbacks.map((f) => [f.assetId, f.failureDomain])).toEqual(want);
  });

  it('never includes the primary or rejected candidates', () => {
    const out = decide([at('primary', 'aws', 'eu', 0.1), { ...at('stale', 'gcp', 'us', 0.1), status: 'stale' }, at('ok', 'aws', 'eu', 0.9)]);
    expect(out.fallbacks.map((f) => f.assetId)).toEqual(['ok']);
  });

  it('fallbackCount 0 returns none', () => {
    expect(decide([at('primary', 'aws', 'eu', 0.1), at('x', 'gcp', 'us', 0.2)], 0).fallbacks).toEqual([]);
  });
});

describe('fallback shortlist equals a full greedy scan', () => {
  // Reference: the greedy over every eligible candidate, sorted by the decision's own ranking.
  it.each([1, 2, 7])('random pools, seed %i', (seed) => {
    let x = seed;
    const rand = () => ((x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const assets = Array.from({ length: 300 }, (_, i) => at(`a${String(i).padStart(3, '0')}`, `p${Math.floor(rand() * 3)}`, `r${Math.floor(rand() * 4)}`, Math.round(rand() * 20) / 20));
    const out = decide(assets, 4);
    const byId = new Map(assets.map((a) => [a.assetId, a]));
    const primary = byId.get(out.chosen.assetId)!;
    // Eligible = all (no filters fail here); ranking = higher total, then the stated tie-breaks.
    const order = [out.chosen.assetId, ...assets.map((a) => a.assetId).filter((id) => id !== out.chosen.assetId)
      .sort((a, b) => byId.get(a)!.performance.unitCost - byId.get(b)!.performance.unitCost || (a < b ? -1 : 1))];
    const tier = (a: AssetCandidate) => (a.region !== primary.region ? (a.provider !== primary.provider ? 0 : 1) : (a.provider !== primary.provider ? 2 : 3));
    const want: string[] = [];
    const used: string[] = [];
    while (want.length < 4) {
      const next = order.slice(1).filter((id) => !want.includes(id))
        .map((id) => ({ id, key: tier(byId.get(id)!) * 2 + (used.includes(byId.get(id)!.region) ? 1 : 0) }))
        .sort((a, b) => a.key - b.key)[0];
      if (!next) break;
      want.push(next.id);
      used.push(byId.get(next.id)!.region);
    }
    expect(out.fallbacks.map((f) => f.assetId)).toEqual(want);
  });
});
