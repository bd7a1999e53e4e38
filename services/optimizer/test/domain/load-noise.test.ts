import { describe, expect, it } from 'vitest';
import type { LoadNoise } from '../../src/domain';
import { emptyLoadNoise, observeLoadNoise, perSecondDeviation } from '../../src/domain';
import { seededRandom } from '../../../../test/support/seeded-random';
import { poisson, sampleMeans } from './fixtures';

const T0 = Date.UTC(2026, 0, 5);
const HOUR_S = 3_600;

function learn(means: readonly number[], tickS: number, saturatedEvery = 0): LoadNoise {
  let n = emptyLoadNoise(T0);
  means.forEach((m, i) => {
    n = observeLoadNoise(n, T0 + (i + 1) * tickS * 1000, tickS * 1000, tickS * 1000, m, saturatedEvery > 0 && i % saturatedEvery === 0);
  });
  return n;
}

describe('per-second load noise, learnt from sample means', () => {
  // 4 requests a second at 2 requests per replica: a load of 2 replicas' worth, whose seconds vary
  // by sqrt(4) / 2 = 1 replica's worth; a 10 s or 60 s mean shows only a third or an eighth of it.
  it.each([10, 60])('Poisson arrivals seen every %i s: the deviation of one second is recovered', (tickS) => {
    const draw = poisson(seededRandom(7));
    const n = learn(sampleMeans(() => draw(4) / 2, tickS, 6 * HOUR_S), tickS);
    // Within sampling error over an hour's memory; a histogram's median errs up by up to a bucket.
    expect(perSecondDeviation(n, 2)).toBeGreaterThan(0.85);
    expect(perSecondDeviation(n, 2)).toBeLessThan(1.25);
    // Variance grows with the load (counts): at 4× the load, twice the deviation.
    expect(perSecondDeviation(n, 8) / perSecondDeviation(n, 2)).toBeCloseTo(2, 6);
  });

  it('a series interpolated between 5-minute points (ramps with kinks) has none', () => {
    const rand = seededRandom(11);
    const points = Array.from({ length: 80 }, () => 2 + 10 * rand());
    const perSecond = (s: number) => {
      const i = Math.floor(s / 300);
      return points[i]! + (points[i + 1]! - points[i]!) * (s % 300) / 300;
    };
    for (const tickS of [10, 30, 60]) {
      expect(perSecondDeviation(learn(sampleMeans(perSecond, tickS, 79 * 300), tickS), 5)).toBeLessThan(0.01);
    }
  });

  it('nothing is known before three evenly spaced unsaturated samples', () => {
    expect(perSecondDeviation(emptyLoadNoise(T0), 5)).toBe(0);
    // Every other sample saturated: no triple is ever complete.
    expect(perSecondDeviation(learn([2, 5, 2, 5, 2, 5, 2, 5], 10, 2), 5)).toBe(0);
    // Uneven gaps: a 10 s step after 60 s ones does not make a second difference.
    let n = emptyLoadNoise(T0);
    n = observeLoadNoise(n, T0, 0, 0, 2, false);
    n = observeLoadNoise(n, T0 + 60_000, 60_000, 60_000, 5, false);
    n = observeLoadNoise(n, T0 + 70_000, 10_000, 60_000, 2, false);
    expect(perSecondDeviation(n, 5)).toBe(0);
  });
});
