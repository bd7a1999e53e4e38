import { describe, expect, it } from 'vitest';
import { standardNormalQuantile } from '../../src/domain';

describe('the standard normal quantile', () => {
  it('gives the textbook values, and is symmetric about the median', () => {
    expect(standardNormalQuantile(0.5)).toBeCloseTo(0, 6);
    expect(standardNormalQuantile(0.8)).toBeCloseTo(0.8416, 4);
    expect(standardNormalQuantile(0.975)).toBeCloseTo(1.96, 3);
    expect(standardNormalQuantile(0.999)).toBeCloseTo(3.0902, 3);
    expect(standardNormalQuantile(0.1)).toBeCloseTo(-standardNormalQuantile(0.9), 6);
  });

  it('refuses a probability outside (0, 1)', () => {
    for (const p of [0, 1, -0.1, 1.5, Number.NaN]) expect(() => standardNormalQuantile(p)).toThrow(RangeError);
  });
});
