import { describe, expect, it } from 'vitest';
import type { RejectionCode } from '../../src/domain';
import { compileCandidatePool, resolveRouterConfig, routeJob } from '../../src/domain';
import { NOW_MS, asset, job } from './fixtures';

const config = resolveRouterConfig();
const healthy = asset('healthy');

describe('hard filters record every reason with a code and text', () => {
  it.each<{ name: string; candidate: ReturnType<typeof asset>; jobOver?: Parameters<typeof job>[0]; refused?: boolean; codes: RejectionCode[]; text: RegExp }>([
    { name: 'missing capability', candidate: asset('a', { capabilities: ['spark'] }), codes: ['missing_capability'], text: /missing capability gpu/ },
    { name: 'capability no asset has', candidate: asset('a'), jobOver: { requiredCapabilities: ['gpu', 'quantum'] }, refused: true, codes: ['missing_capability'], text: /missing capability quantum/ },
    { name: 'compliance tag absent', candidate: asset('a', { complianceTags: ['soc2'] }), codes: ['compliance_tag_absent'], text: /compliance tag gdpr absent/ },
    { name: 'region not allowed', candidate: asset('a', { region: 'us-east-1' }), jobOver: { allowedRegions: ['eu-west-1', 'eu-central-1'] }, codes: ['region_not_allowed'], text: /region us-east-1 not allowed \(allowed: eu-west-1, eu-central-1\)/ },
    { name: 'cost above ceiling, with numbers', candidate: asset('a', { perf: { unitCost: 1.25 } }), codes: ['cost_above_ceiling'], text: /unit cost 1\.25 above ceiling 1/ },
    { name: 'stale', candidate: asset('a', { status: 'stale' }), codes: ['asset_stale'], text: /stale/ },
    { name: 'removed', candidate: asset('a', { status: 'removed' }), codes: ['asset_removed'], text: /removed/ },
    { name: 'severe anomaly', candidate: asset('a', { perf: { anomalyActive: true, anomalySeverity: 0.8 } }), codes: ['anomaly_active'], text: /severity 0\.8 above bound 0\.5/ },
    { name: 'an out-of-range number, named with its value', candidate: asset('a', { perf: { errorRate: 1.5 } }), codes: ['performance_invalid'], text: /cannot be scored: error rate 1\.5 out of range \(expected in \[0, 1\]\)$/ },
    {
      name: 'every out-of-range number, each named',
      candidate: asset('a', { perf: { latencyP95Ms: -3, saturation: Number.POSITIVE_INFINITY, anomalyActive: true, anomalySeverity: Number.NaN } }),
      codes: ['performance_invalid'],
      text: /latency p95 -3 ms out of range \(expected >= 0\); saturation Infinity out of range \(expected in \[0, 1\]\); anomaly severity NaN out of range/,
    },
    {
      name: 'no number reported at all',
      candidate: asset('a', { perf: { latencyP95Ms: Number.NaN, errorRate: Number.NaN, unitCost: Number.NaN, saturation: Number.NaN } }),
      codes: ['performance_invalid'], text: /none reported \(latency p95, error rate, unit cost, saturation all missing\)/,
    },
    {
      name: 'several failures at once, all listed',
      candidate: asset('a', { capabilities: [], complianceTags: [], region: 'us-east-1', status: 'stale', perf: { unitCost: 3 } }),
      jobOver: { requiredCapabilities: ['gpu', 'spark'], allowedRegions: ['eu-west-1'] },
      codes: ['asset_stale', 'missing_capability', 'missing_capability', 'compliance_tag_absent', 'region_not_allowed', 'cost_above_ceiling'],
      text: /missing capability spark/,
    },
  ])('$name', ({ candidate, jobOver, refused, codes, text }) => {
    const pool = compileCandidatePool([healthy, candidate]);
    const out = routeJob({ job: job(jobOver), pool, config, nowMs: NOW_MS });
    expect(out.outcome).toBe(refused ? 'refused' : 'routed');
    const reasons = out.rejections.reasonsOf('a');
    expect(reasons?.map((r) => r.code)).toEqual(codes);
    expect(reasons?.map((r) => r.text).join(' | ')).toMatch(text);
    if (!refused) expect(out.rejections.reasonsOf('healthy')).toBeNull();
  });

  it('a tolerated anomaly (at the bound) passes the filter but is penalised below a healthy peer', () => {
    const degraded = asset('degraded', { perf: { anomalyActive: true, anomalySeverity: 0.5, unitCost: 0.1 } });
    const out = routeJob({ job: job(), pool: compileCandidatePool([degraded, healthy]), config, nowMs: NOW_MS });
    if (out.outcome !== 'routed') throw new Error(out.reasoning);
    expect(out.chosen.assetId).toBe('healthy');
    expect(out.runnerUp?.assetId).toBe('degraded');
    expect(out.runnerUp?.score.anomalyPenalty).toBe(0.2);
  });

  it('the anomaly bound is configurable', () => {
    const a = asset('a', { perf: { anomalyActive: true, anomalySeverity: 0.3 } });
    const strict = resolveRouterConfig({ maxAnomalySeverity: 0.2 });
    const out = routeJob({ job: job(), pool: compileCandidatePool([a]), config: strict, nowMs: NOW_MS });
    expect(out.outcome).toBe('refused');
    expect(out.rejectionCounts.anomaly_active).toBe(1);
  });

  it('an empty allowed-regions list means any region', () => {
    const out = routeJob({ job: job({ allowedRegions: [] }), pool: compileCandidatePool([asset('x', { region: 'ap-south-1' })]), config, nowMs: NOW_MS });
    expect(out.outcome).toBe('routed');
  });
});
