import { describe, expect, it } from 'vitest';
import type { DecayingHistogram, HistogramLayout } from '../../src/domain';
import { addSample, bucketOf, bucketStart, emptyHistogram, percentile } from '../../src/domain';

const layout: HistogramLayout = { firstBucketSize: 0.01, ratio: 1.1, bucketCount: 120, halfLifeMs: 3_600_000 };
const fill = (values: number[], atMs: (i: number) => number, h: DecayingHistogram = emptyHistogram(0)) =>
  values.reduce((acc, v, i) => addSample(acc, layout, v, atMs(i)), h);

describe('exponential buckets', () => {
  it.each([0.005, 0.05, 0.5, 1, 3.7, 42])('bucket of %d contains it', (v) => {
    const k = bucketOf(layout, v);
    expect(bucketStart(layout, k)).toBeLessThanOrEqual(v + 1e-12);
    expect(bucketStart(layout, k + 1)).toBeGreaterThan(v);
  });

  it('relative precision is constant: bucket width / start ≈ ratio − 1 for large values', () => {
    const k = bucketOf(layout, 10);
    expect((bucketStart(layout, k + 1) - bucketStart(layout, k)) / bucketStart(layout, k)).toBeLessThan(0.11);
  });
});

describe('percentiles', () => {
  it.each([
    { p: 0.5, want: 0.5 },
    { p: 0.9, want: 0.9 },
    { p: 0.99, want: 0.99 },
  ])('p$p of 1..100 /100 is within one bucket above $want', ({ p, want }) => {
    const h = fill(Array.from({ length: 100 }, (_, i) => (i + 1) / 100), () => 0);
    const got = percentile(h, layout, p);
    expect(got).toBeGreaterThanOrEqual(want);
    expect(got).toBeLessThanOrEqual(want * 1.1 + 0.01);
  });

  it('empty histogram gives 0', () => expect(percentile(emptyHistogram(0), layout, 0.9)).toBe(0));

  it('old samples decay: after 10 half-lives, recent low values dominate the p90', () => {
    const old = fill(Array.from({ length: 100 }, () => 4), () => 0);
    const h = fill(Array.from({ length: 20 }, () => 1), () => 10 * layout.halfLifeMs, old);
    // 100 old samples weigh like 100 / 2^10 ≈ 0.1 of one new sample.
    expect(percentile(h, layout, 0.9)).toBeLessThan(1.2);
    // Without decay (same time) the old mass would still dominate.
    const flat = fill(Array.from({ length: 20 }, () => 1), () => 0, old);
    expect(percentile(flat, layout, 0.9)).toBeGreaterThan(3.9);
  });

  it('rescaling the reference after a long gap keeps weights finite and percentiles unchanged', () => {
    const base = fill([1, 2, 3], () => 0);
    const far = 100 * layout.halfLifeMs; // 2^100 would overflow the useful range without rescaling
    const h = addSample(base, layout, 2, far);
    expect(h.referenceMs).toBe(far);
    expect(Number.isFinite(h.totalWeight)).toBe(true);
    expect(h.totalWeight).toBeGreaterThan(0.99);
    expect(h.totalWeight).toBeLessThan(1.01);
    expect(percentile(h, layout, 0.5)).toBeCloseTo(bucketStart(layout, bucketOf(layout, 2) + 1), 12);
  });

  it('state is plain JSON', () => {
    const h = fill([0.5, 1.5], (i) => i * 1000);
    expect(JSON.parse(JSON.stringify(h))).toEqual(h);
  });
});
