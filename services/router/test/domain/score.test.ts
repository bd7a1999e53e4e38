import { describe, expect, it } from 'vitest';
import type { RoutingOutcome } from '../../src/domain';
import { compileCandidatePool, costScore, latencyScore, reliabilityScore, resolveRouterConfig, routeJob, saturationScore } from '../../src/domain';
import { NOW_MS, asset, job } from './fixtures';

const config = resolveRouterConfig();
const routed = (out: RoutingOutcome) => {
  if (out.outcome !== 'routed') throw new Error(out.reasoning);
  return out;
};

describe('normalisers are anchored to the job, not the candidate set', () => {
  it.each([
    { fn: () => costScore(0, 1), want: 1 },
    { fn: () => costScore(0.25, 1), want: 0.75 },
    { fn: () => costScore(1, 1), want: 0 },
    { fn: () => latencyScore(0, 100), want: 1 },
    { fn: () => latencyScore(100, 100), want: 0.5 },
    { fn: () => latencyScore(200, 100), want: 1 / 3 },
    { fn: () => reliabilityScore(0, 0.05, -1), want: 1 },
    { fn: () => reliabilityScore(0.025, 0.05, -1), want: 0.5 },
    { fn: () => reliabilityScore(0.2, 0.05, -1), want: 0 },
    { fn: () => reliabilityScore(0, 0.05, 0.4), want: 0.6 },
    { fn: () => saturationScore(0.3), want: 0.7 },
  ])('$fn', ({ fn, want }) => expect(fn()).toBeCloseTo(want, 12));
});

describe('weighted score', () => {
  it('breakdown contributions add up to the total and weights sum to 1', () => {
    const out = routed(routeJob({ job: job(), pool: compileCandidatePool([asset('a', { perf: { unitCost: 0.2, latencyP95Ms: 100, errorRate: 0.01, saturation: 0.4 } })]), config, nowMs: NOW_MS }));
    const s = out.chosen.score;
    expect(s.criteria.cost.score).toBeCloseTo(0.8, 12);
    expect(s.criteria.latency.score).toBeCloseTo(0.5, 12);
    expect(s.criteria.reliability.score).toBeCloseTo(0.8, 12);
    expect(s.criteria.saturation.score).toBeCloseTo(0.6, 12);
    const sum = Object.values(s.criteria).reduce((a, c) => a + c.contribution, 0);
    expect(s.total).toBeCloseTo(sum, 12);
    expect(Object.values(out.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('per-class weights change the winner: cheap-but-slow for batch, fast-but-dear for interactive', () => {
    const cfg = resolveRouterConfig({ weightsByJobClass: { batch: { cost: 1, latency: 0.1 }, interactive: { latency: 1, cost: 0.1 } } });
    const pool = compileCandidatePool([
      asset('cheap-slow', { perf: { unitCost: 0.1, latencyP95Ms: 300 } }),
      asset('dear-fast', { perf: { unitCost: 0.9, latencyP95Ms: 10 } }),
    ]);
    expect(routed(routeJob({ job: job({ jobClass: 'batch' }), pool, config: cfg, nowMs: NOW_MS })).chosen.assetId).toBe('cheap-slow');
    expect(routed(routeJob({ job: job({ jobClass: 'interactive' }), pool, config: cfg, nowMs: NOW_MS })).chosen.assetId).toBe('dear-fast');
  });

  it('adding an unrelated candidate does not change other scores or their order (stable normalisation)', () => {
    const base = [asset('a', { perf: { unitCost: 0.3, latencyP95Ms: 80 } }), asset('b', { perf: { unitCost: 0.4, latencyP95Ms: 40 } })];
    const before = routed(routeJob({ job: job(), pool: compileCandidatePool(base), config, nowMs: NOW_MS }));
    // An outlier that would stretch a min/max normalisation: nearly free and extremely slow.
    const outlier = asset('outlier', { perf: { unitCost: 0.001, latencyP95Ms: 100_000, saturation: 0.99 } });
    const after = routed(routeJob({ job: job(), pool: compileCandidatePool([...base, outlier]), config, nowMs: NOW_MS }));
    expect(after.chosen.assetId).toBe(before.chosen.assetId);
    expect(after.chosen.score.total).toBe(before.chosen.score.total);
    expect(after.runnerUp?.score.total).toBe(before.runnerUp?.score.total);
  });

  it('reports the margin over the runner-up', () => {
    const out = routed(routeJob({ job: job(), pool: compileCandidatePool([asset('a', { perf: { unitCost: 0.2 } }), asset('b', { perf: { unitCost: 0.4 } })]), config, nowMs: NOW_MS }));
    expect(out.chosen.assetId).toBe('a');
    // Only cost differs: 0.2 of the cost score × the default cost weight 0.3.
    expect(out.marginOverRunnerUp).toBeCloseTo(0.06, 12);
  });
});

describe('weights resolver', () => {
  it.each([
    { over: { weightsByJobClass: { etl: { cost: -1 } } }, msg: /job class "etl": cost must be a finite number >= 0/ },
    { over: { weightsByJobClass: { etl: { cost: Number.NaN } } }, msg: /etl/ },
    { over: { defaultWeights: { cost: 0, latency: 0, reliability: 0, saturation: 0 } }, msg: /at least one criterion/ },
    { over: { maxAnomalySeverity: 2 }, msg: /maxAnomalySeverity/ },
    { over: { fallbackCount: 1.5 }, msg: /fallbackCount/ },
  ])('rejects $msg at resolve time', ({ over, msg }) => {
    expect(() => resolveRouterConfig(over)).toThrow(msg);
  });

  it('unknown job classes fall back to defaults; partial overrides merge over defaults', () => {
    const cfg = resolveRouterConfig({ weightsByJobClass: { etl: { cost: 0.6 } } });
    expect(cfg.weightsFor('unknown')).toEqual({ cost: 0.3, latency: 0.3, reliability: 0.25, saturation: 0.15 });
    const etl = cfg.weightsFor('etl');
    expect(etl.cost / etl.latency).toBeCloseTo(2, 12);
  });
});
