import { describe, expect, it } from 'vitest';
import { compileCandidatePool, resolveRouterConfig, routeJob, withPerformance } from '../../src/domain';
import { NOW_MS, asset, job } from './fixtures';

const config = resolveRouterConfig();

describe('refusals list why each candidate failed', () => {
  it('every candidate and every reason, with counts and a readable summary', () => {
    const pool = compileCandidatePool([
      asset('no-gpu', { capabilities: ['spark'] }),
      asset('wrong-region', { region: 'us-east-1' }),
      asset('dear', { perf: { unitCost: 2 } }),
      asset('gone', { status: 'removed', complianceTags: [] }),
    ]);
    const out = routeJob({ job: job({ allowedRegions: ['eu-west-1'] }), pool, config, nowMs: NOW_MS });
    if (out.outcome !== 'refused') throw new Error('expected a refusal');
    expect(out.cause).toBe('no_eligible_candidate');
    expect(out.rejections.list().map((r) => [r.assetId, r.reasons.map((x) => x.code)])).toEqual([
      ['no-gpu', ['missing_capability']],
      ['wrong-region', ['region_not_allowed']],
      ['dear', ['cost_above_ceiling']],
      ['gone', ['asset_removed', 'compliance_tag_absent']],
    ]);
    expect(out.rejectionCounts).toMatchObject({ missing_capability: 1, region_not_allowed: 1, cost_above_ceiling: 1, asset_removed: 1, compliance_tag_absent: 1 });
    expect(out.reasoning).toContain('all 4 candidates rejected');
    expect(out.reasoning).toContain('gone: asset is removed from the registry; compliance tag gdpr absent');
    // Serialised, the refusal carries the full list (this is what the audit trail stores).
    const json = JSON.parse(JSON.stringify(out)) as { rejections: { assetId: string }[] };
    expect(json.rejections.map((r) => r.assetId)).toEqual(['no-gpu', 'wrong-region', 'dear', 'gone']);
  });

  it.each([
    { name: 'invalid request', over: { costCeilingPerUnit: 0 }, cause: 'invalid_request', text: /costCeilingPerUnit must be a positive/ },
    { name: 'invalid objective', over: { latencyObjectiveMs: Number.NaN }, cause: 'invalid_request', text: /latencyObjectiveMs/ },
  ])('$name', ({ over, cause, text }) => {
    const out = routeJob({ job: job(over), pool: compileCandidatePool([asset('a')]), config, nowMs: NOW_MS });
    expect(out.outcome === 'refused' && out.cause).toBe(cause);
    expect(out.reasoning).toMatch(text);
  });

  it('an empty registry refuses with no_candidates', () => {
    const out = routeJob({ job: job(), pool: compileCandidatePool([]), config, nowMs: NOW_MS });
    expect(out.outcome === 'refused' && out.cause).toBe('no_candidates');
  });
});

describe('decision record', () => {
  it('has chosen, runner-up, margin, fallbacks, counts and a reasoning string', () => {
    const pool = compileCandidatePool([
      asset('best', { perf: { unitCost: 0.1 } }),
      asset('second', { provider: 'gcp', region: 'us-east-1', perf: { unitCost: 0.2 } }),
      asset('no-gpu', { capabilities: [] }),
    ]);
    const out = routeJob({ job: job(), pool, config, nowMs: NOW_MS });
    if (out.outcome !== 'routed') throw new Error(out.reasoning);
    expect(out).toMatchObject({ jobId: 'job-1', decidedAtMs: NOW_MS, candidateCount: 3, eligibleCount: 2 });
    expect(out.chosen.assetId).toBe('best');
    expect(out.runnerUp?.assetId).toBe('second');
    expect(out.marginOverRunnerUp).toBeGreaterThan(0);
    expect(out.fallbacks.map((f) => f.assetId)).toEqual(['second']);
    expect(out.reasoning).toMatch(/^job job-1 \(class batch, priority normal\) routed to best \[aws\/eu-west-1\]: score 0\.\d+ = cost 0\.9×0\.3/);
    expect(out.reasoning).toContain('margin');
    expect(out.reasoning).toContain('2 of 3 candidates eligible, rejected: missing_capability 1');
    expect(out.reasoning).toContain('fallbacks: second (different-region-and-provider)');
  });

  it('withPerformance changes the route without recompiling, and leaves the old pool intact', () => {
    const pool = compileCandidatePool([asset('a', { perf: { unitCost: 0.1 } }), asset('b', { perf: { unitCost: 0.2 } })]);
    const degraded = withPerformance(pool, [['a', { ...asset('a').performance, anomalyActive: true, anomalySeverity: 0.9 }], ['ghost', asset('x').performance]]);
    const before = routeJob({ job: job(), pool, config, nowMs: NOW_MS });
    const after = routeJob({ job: job(), pool: degraded, config, nowMs: NOW_MS });
    expect(before.outcome === 'routed' && before.chosen.assetId).toBe('a');
    expect(after.outcome === 'routed' && after.chosen.assetId).toBe('b');
    expect(after.rejections.reasonsOf('a')?.[0]?.code).toBe('anomaly_active');
  });

  it('a policy hook that routes re-entrantly does not corrupt the outer decision', () => {
    const pool = compileCandidatePool([asset('a', { perf: { unitCost: 0.1 } }), asset('b', { perf: { unitCost: 0.2 } })]);
    const nested = { name: 'nested', evaluate: () => { routeJob({ job: job({ requiredCapabilities: ['none'] }), pool, config, nowMs: NOW_MS }); return { verdict: 'allow', reasons: [] } as const; } };
    const out = routeJob({ job: job(), pool, config, hooks: [nested], nowMs: NOW_MS });
    expect(out.outcome === 'routed' && out.chosen.assetId).toBe('a');
    expect(out.outcome === 'routed' && out.runnerUp?.assetId).toBe('b');
  });

  it('compiling a pool with duplicate ids fails', () => {
    expect(() => compileCandidatePool([asset('a'), asset('a')])).toThrow(/asset a appears twice/);
  });

  it('handles more than 32 capabilities (multi-word bit sets)', () => {
    const caps = Array.from({ length: 70 }, (_, i) => `c${i}`);
    const pool = compileCandidatePool([asset('all', { capabilities: caps }), asset('most', { capabilities: caps.slice(0, 69) })]);
    const out = routeJob({ job: job({ requiredCapabilities: ['c1', 'c69'] }), pool, config, nowMs: NOW_MS });
    expect(out.outcome === 'routed' && out.chosen.assetId).toBe('all');
    expect(out.rejections.reasonsOf('most')).toEqual([{ code: 'missing_capability', text: 'missing capability c69' }]);
  });
});
