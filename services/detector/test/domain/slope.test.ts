import { describe, expect, it } from 'vitest';
import { trendOf } from '../../src/domain/slope';
import { seededNormal } from './series';

const minutes = (n: number) => Array.from({ length: n }, (_, i) => i * 60_000);

describe('trendOf', () => {
  it.each([
    { name: 'rising line', values: minutes(16).map((_, i) => 2 * i), slopePerSecond: 2 / 60 },
    { name: 'falling line', values: minutes(16).map((_, i) => -3 * i), slopePerSecond: -3 / 60 },
    { name: 'flat', values: minutes(16).map(() => 7), slopePerSecond: 0 },
  ])('measures the slope of a $name', ({ values, slopePerSecond }) => {
    expect(trendOf({ timestampsMs: minutes(16), values }).slopePerSecond).toBeCloseTo(slopePerSecond, 9);
  });

  it('uses timestamps, so a missing sample does not bend a straight line', () => {
    const ts = minutes(17).filter((_, i) => i !== 8);
    const trend = trendOf({ timestampsMs: ts, values: ts.map((t) => t / 60_000) });
    expect(trend.slopePerSecond).toBeCloseTo(1 / 60, 9);
  });

  it('gives a small t-statistic on noise and a large one on a noisy ramp', () => {
    const n = seededNormal(3);
    const noise = minutes(16).map(() => n());
    const ramp = noise.map((e, i) => e + 0.5 * i);
    expect(Math.abs(trendOf({ timestampsMs: minutes(16), values: noise }).slopeT)).toBeLessThan(3);
    expect(trendOf({ timestampsMs: minutes(16), values: ramp }).slopeT).toBeGreaterThan(5);
  });

  it('falls back to sample order when all timestamps are equal', () => {
    const trend = trendOf({ timestampsMs: minutes(8).map(() => 0), values: [0, 1, 2, 3, 4, 5, 6, 7] });
    expect(trend.slopePerSecond).toBeCloseTo(1, 9);
  });
});
