import { describe, expect, it } from 'vitest';
import { flappingOf, flappingTail, isFlapping, poissonTail, updateUsualStep } from '../../src/domain/flapping';
import { seededNormal } from './series';

const flat = (n: number) => Array.from({ length: n }, () => 0);

describe('flappingOf', () => {
  it.each([
    { name: 'flat', values: flat(16), reversals: 0 },
    { name: 'a spike', values: [...flat(8), 10, ...flat(7)], reversals: 1 },
    { name: 'two spikes 5 samples apart', values: [...flat(4), 10, 0, 0, 0, 0, 10, ...flat(6)], reversals: 2 },
    { name: 'a step', values: [...flat(8), ...Array.from({ length: 8 }, () => 10)], reversals: 0 },
    { name: 'flapping every sample', values: Array.from({ length: 16 }, (_, i) => (i % 2 ? 5 : -5)), reversals: 14 },
    { name: 'flapping every other sample', values: Array.from({ length: 16 }, (_, i) => (Math.floor(i / 2) % 2 ? 5 : -5)), reversals: 6 },
    { name: 'flapping every third sample', values: Array.from({ length: 16 }, (_, i) => (Math.floor(i / 3) % 2 ? 5 : -5)), reversals: 0 },
  ])('counts $reversals large reversals in $name', ({ values, reversals }) => {
    expect(flappingOf(values, 1, 1).reversals).toBe(reversals);
  });

  it('calls a step large only beyond 3.5 usual steps and two stddevs', () => {
    const values = Array.from({ length: 16 }, (_, i) => (i % 2 ? 2 : -2));
    expect(isFlapping(flappingOf(values, 1, 1))).toBe(true);
    expect(isFlapping(flappingOf(values, 1.2, 1))).toBe(false);
    expect(isFlapping(flappingOf(values, 1, 2.5))).toBe(false);
    expect(flappingOf(values, 1, 1).meanLargeStep).toBe(4);
  });

  it('finds no flapping in white noise against its own usual step', () => {
    const e = seededNormal(7);
    const values = Array.from({ length: 20_000 }, () => e());
    const usual = 2 / Math.sqrt(Math.PI); // mean |difference| of two standard normals
    let flapping = 0;
    for (let i = 16; i <= values.length; i++) if (isFlapping(flappingOf(values.slice(i - 16, i), usual, 1))) flapping++;
    expect(flapping).toBe(0);
  });
});

describe('flappingTail', () => {
  const flapping = flappingOf(Array.from({ length: 16 }, (_, i) => (i % 2 ? 5 : -5)), 1, 1);
  it('is tiny on a series that never flaps and large on one that always does', () => {
    expect(flappingTail(flapping, 0)).toBeLessThan(1e-10);
    expect(flappingTail(flapping, 14)).toBeGreaterThan(0.4);
  });
  it('is 1 when the window does not flap', () => {
    expect(flappingTail(flappingOf(flat(16), 1, 1), 0)).toBe(1);
  });
});

describe('poissonTail', () => {
  it.each([
    { count: 0, mean: 2, p: 1 },
    { count: 1, mean: 2, p: 1 - Math.exp(-2) },
    { count: 3, mean: 0.5, p: 1 - Math.exp(-0.5) * (1 + 0.5 + 0.125) },
    { count: 10, mean: 0.02, p: (Math.exp(-0.02) * 0.02 ** 10 / 3_628_800) * (1 + 0.02 / 11 + 0.02 ** 2 / 132) },
  ])('P(N >= $count | mean $mean)', ({ count, mean, p }) => {
    expect(poissonTail(count, mean) / p).toBeCloseTo(1, 4);
  });
});

describe('updateUsualStep', () => {
  it('learns every step unlimited, or at most 3.5 usual steps of a large one when limited', () => {
    expect(updateUsualStep(1, 100, 0.5, false, 0)).toBe(50.5);
    expect(updateUsualStep(1, 100, 0.5, true, 0)).toBe(2.25);
    expect(updateUsualStep(1, 2, 0.5, true, 0)).toBe(1.5);
  });
  it('grows from 0 on a series that was flat, through the floor', () => {
    expect(updateUsualStep(0, 5, 0.5, true, 1)).toBe(1.75);
  });
});
