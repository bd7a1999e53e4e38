import { describe, expect, it } from 'vitest';
import { erfc, normalTail, scoreOfTail } from '../../src/domain/likelihood';

describe('likelihood', () => {
  it.each([
    [0, 0.5],
    [1, 0.15865525393145707],
    [3, 0.0013498980316301],
    [5, 2.866515718791939e-7],
  ])('normalTail(%d) matches the normal distribution', (z, p) => {
    expect(normalTail(z) / p).toBeCloseTo(1, 5);
  });

  it('is symmetric: erfc(-x) = 2 - erfc(x)', () => {
    expect(erfc(-0.7)).toBeCloseTo(2 - erfc(0.7), 12);
  });

  it('maps a tail of 1e-5 to 0.5 and saturates at 1', () => {
    expect(scoreOfTail(1e-5)).toBeCloseTo(0.5, 4);
    expect(scoreOfTail(0)).toBe(1);
    expect(scoreOfTail(1)).toBe(0);
    expect(scoreOfTail(1e-3)).toBeLessThan(scoreOfTail(1e-4));
  });
});
