import { describe, expect, it } from 'vitest';
import type { TelemetrySample } from '@maestro/contracts';
import { createPerformanceViews, p95 } from '../src/performance-view';

const sample = (assetId: string, timestampMs: number, metrics: Record<string, number>): TelemetrySample => ({
  assetId, timestampMs, ingestedAtMs: timestampMs, metrics, region: null, provider: null, labels: {}, tenant: null,
});

describe('p95', () => {
  it.each([
    [[], Number.NaN],
    [[7], 7],
    [[1, 2, 3, 4, 5], 5],
    [Array.from({ length: 20 }, (_, i) => i + 1), 19],
    [Array.from({ length: 100 }, (_, i) => 100 - i), 95],
  ])('of %j is %d (nearest rank)', (values, expected) => {
    expect(p95(values)).toEqual(expected);
  });
});

describe('createPerformanceViews', () => {
  const window = { maxSamples: 3, maxAgeMs: 1_000 };

  it('reports NaN for what an asset never sent, so the pool marks it unscorable', () => {
    const views = createPerformanceViews(window);
    views.observe([sample('a', 1, { latency_ms: 10 })]);
    expect(views.viewOf('a')).toEqual({ latencyP95Ms: 10, errorRate: Number.NaN, unitCost: Number.NaN, saturation: Number.NaN });
    expect(views.viewOf('unknown').latencyP95Ms).toBeNaN();
  });

  it('keeps the last maxSamples for p95 latency and mean error rate, latest cost and saturation', () => {
    const views = createPerformanceViews(window);
    const changed = views.observe([
      sample('a', 1, { latency_ms: 500, error_rate: 0.5, unit_cost: 2, saturation: 0.9 }),
      sample('a', 2, { latency_ms: 10, error_rate: 0.1 }),
      sample('a', 3, { latency_ms: 20, error_rate: 0.2, unit_cost: 1 }),
      sample('a', 4, { latency_ms: 30, error_rate: 0.3, cpu: 0.4 }),
    ]);
    expect(changed).toEqual(new Set(['a']));
    const v = views.viewOf('a');
    expect(v.latencyP95Ms).toBe(30);
    expect(v.errorRate).toBeCloseTo(0.2, 12);
    expect(v).toMatchObject({ unitCost: 1, saturation: 0.4 });
  });

  it('drops samples older than maxAgeMs behind the newest, by event time', () => {
    const views = createPerformanceViews({ maxSamples: 10, maxAgeMs: 1_000 });
    views.observe([sample('a', 0, { latency_ms: 900 }), sample('a', 500, { latency_ms: 10 }), sample('a', 1_400, { latency_ms: 20 })]);
    expect(views.viewOf('a').latencyP95Ms).toBe(20);
  });

  it('ignores a redelivered or late sample, so a replay cannot rewind the window', () => {
    const views = createPerformanceViews(window);
    views.observe([sample('a', 10, { latency_ms: 10 })]);
    expect(views.observe([sample('a', 10, { latency_ms: 999 }), sample('a', 5, { latency_ms: 999 })])).toEqual(new Set());
    expect(views.viewOf('a').latencyP95Ms).toBe(10);
  });
});
