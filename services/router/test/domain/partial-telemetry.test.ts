import { describe, expect, it } from 'vitest';
import type { Criterion, RoutingOutcome } from '../../src/domain';
import { compileCandidatePool, resolveRouterConfig, routeJob, withPerformance } from '../../src/domain';
import { NOW_MS, asset, job } from './fixtures';

const config = resolveRouterConfig();
const routed = (out: RoutingOutcome) => {
  if (out.outcome !== 'routed') throw new Error(out.reasoning);
  return out;
};
const NONE = Number.NaN;

// A regression: assets reporting two of the four scored metrics (the README's example agents send
// latency and CPU) were all refused "performance_invalid", so no job could be routed to them.
describe('routing on partial telemetry: an unknown criterion is scored with the missing-metric score and named', () => {
  it.each<{ name: string; perf: Record<string, number>; unknown: Criterion[] }>([
    { name: 'latency and saturation only (no error rate, no cost)', perf: { errorRate: NONE, unitCost: NONE }, unknown: ['cost', 'reliability'] },
    { name: 'cost only', perf: { latencyP95Ms: NONE, errorRate: NONE, saturation: NONE }, unknown: ['latency', 'reliability', 'saturation'] },
    { name: 'everything but saturation', perf: { saturation: NONE }, unknown: ['saturation'] },
    { name: 'everything', perf: {}, unknown: [] },
  ])('$name', ({ perf, unknown }) => {
    const out = routed(routeJob({ job: job(), pool: compileCandidatePool([asset('a', { perf })]), config, nowMs: NOW_MS }));
    expect(out.chosen.score.unknown).toEqual(unknown);
    for (const c of unknown) {
      expect(out.chosen.score.criteria[c]).toMatchObject({ known: false, score: config.missingMetricScore });
      expect(out.chosen.score.criteria[c].raw).toBeNaN();
    }
    const contributions = Object.values(out.chosen.score.criteria).reduce((sum, c) => sum + c.contribution, 0);
    expect(out.chosen.score.total).toBeCloseTo(contributions, 12);
    if (unknown.length > 0) expect(out.reasoning).toContain(`(not reported, scored as unknown: ${unknown.join(', ')})`);
    else expect(out.reasoning).not.toContain('not reported');
  });

  it('scores an unknown with the configured score, so the penalty is the operator\'s to state', () => {
    const pool = compileCandidatePool([asset('a', { perf: { errorRate: NONE } })]);
    const total = (missingMetricScore: number) =>
      routed(routeJob({ job: job(), pool, config: resolveRouterConfig({ missingMetricScore }), nowMs: NOW_MS })).chosen.score.total;
    expect(total(1) - total(0)).toBeCloseTo(resolveRouterConfig().weightsFor('batch').reliability, 12);
  });

  it('ranks a fully measured good asset above a partially measured one, and still routes to the partial one alone', () => {
    const partial = asset('partial', { perf: { errorRate: NONE, unitCost: NONE } });
    const known = asset('known');
    expect(routed(routeJob({ job: job(), pool: compileCandidatePool([partial, known]), config, nowMs: NOW_MS })).chosen.assetId).toBe('known');
    expect(routed(routeJob({ job: job(), pool: compileCandidatePool([partial]), config, nowMs: NOW_MS })).chosen.assetId).toBe('partial');
  });

  it('does not hold an unknown cost to the ceiling, and still applies a tolerated anomaly to an unknown reliability', () => {
    const a = asset('a', { perf: { unitCost: NONE, errorRate: NONE, anomalyActive: true, anomalySeverity: 0.4 } });
    const out = routed(routeJob({ job: job({ costCeilingPerUnit: 0.01 }), pool: compileCandidatePool([a]), config, nowMs: NOW_MS }));
    expect(out.chosen.score.criteria.reliability.score).toBeCloseTo(config.missingMetricScore * 0.6, 12);
    expect(out.chosen.score.anomalyPenalty).toBe(config.anomalyPenalty);
  });

  it('learns a metric that starts being reported: withPerformance clears its missing bit', () => {
    const pool = compileCandidatePool([asset('a', { perf: { errorRate: NONE } })]);
    const later = withPerformance(pool, [['a', { ...pool.assets[0]!.performance, errorRate: 0.01 }]]);
    expect(routed(routeJob({ job: job(), pool: later, config, nowMs: NOW_MS })).chosen.score.unknown).toEqual([]);
    expect(routed(routeJob({ job: job(), pool, config, nowMs: NOW_MS })).chosen.score.unknown).toEqual(['reliability']);
  });

  it('refuses a missing-metric score outside [0, 1] by name', () => {
    expect(() => resolveRouterConfig({ missingMetricScore: 1.5 })).toThrow(/missingMetricScore must be in \[0, 1\]/);
  });
});
