import { describe, expect, it } from 'vitest';
import { alphaForHalfLife, baselineStd, seedBaseline, updateBaseline } from '../../src/domain/baseline';
import { whiteNoise } from './series';

describe('baseline', () => {
  it('halves a weight every half-life', () => {
    expect(Math.pow(1 - alphaForHalfLife(10), 10)).toBeCloseTo(0.5, 12);
  });

  it('converges to the mean and stddev of a stationary series', () => {
    let b = seedBaseline(100);
    for (const [i, s] of whiteNoise(20_000, 7, 50, 2).entries()) {
      b = updateBaseline(b, s.value, Math.max(alphaForHalfLife(500), 1 / (i + 1)), 4);
    }
    expect(b.mean).toBeCloseTo(50, 0);
    expect(baselineStd(b)).toBeGreaterThan(1.7);
    expect(baselineStd(b)).toBeLessThan(2.3);
  });

  it('moves only a bounded amount on one outlier, thanks to the clamp', () => {
    const b = { mean: 0, variance: 1 };
    const after = updateBaseline(b, 1e6, 0.01, 4);
    expect(after.mean).toBeCloseTo(0.04, 10);
    expect(Math.sqrt(after.variance)).toBeLessThan(1.1);
  });

  it('never reports a zero stddev, even on a flat series', () => {
    expect(baselineStd({ mean: 5, variance: 0 })).toBeGreaterThan(0);
  });
});
