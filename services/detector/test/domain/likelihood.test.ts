import { describe, expect, it } from 'vitest';
import { erfc, initialSurpriseStats, normalTail, scoreOfTail, updateSurprise } from '../../src/domain/likelihood';

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

  it('judges a stricter reading of a sample while its history learns the raw surprise', () => {
    let s = initialSurpriseStats();
    for (let i = 1; i <= 500; i++) s = updateSurprise(s, 0.2 + 0.05 * Math.sin(i), 2000, 2, 0.02, i).stats;
    const raw = updateSurprise(s, 0.9, 2000, 2, 0.02, 501);
    const strict = updateSurprise(s, 0.9, 2000, 2, 0.02, 501, 0.2);
    expect(strict.score).toBeLessThan(raw.score);
    expect(strict.stats.longMean).toBe(raw.stats.longMean);
    expect(strict.stats.longVariance).toBe(raw.stats.longVariance);
    expect(strict.stats.recentMean).toBe(raw.stats.recentMean);
    // With no stricter reading, the judged average is the recent one.
    expect(raw.stats.judgedMean).toBe(raw.stats.recentMean);
  });
});
