import { describe, expect, it } from 'vitest';
import { rangeExcess, seedRange, updateRange } from '../../src/domain/range';
import type { Range } from '../../src/domain/range';

// A range of width 10 (0 to 10) judged with the service's tolerance: 5 % of the width plus one
// stddev of 0.5, i.e. 1 value unit beyond either end.
const TOL_FRACTION = 0.05;
const TOL_STD = 1;
const STD = 0.5;
const excess = (r: Range, value: number) => rangeExcess(r, value, TOL_FRACTION, TOL_STD, STD);
const range = (routineHigh = 0, routineLow = 0): Range => ({ low: 0, high: 10, routineHigh, routineLow });

describe('range: the tolerance', () => {
  it.each([
    { what: 'inside the range', value: 5, expected: 0 },
    { what: 'past the high end, within the tolerance', value: 10.9, expected: 0 },
    { what: 'past the high end, beyond the tolerance', value: 12, expected: 0.2 },
    { what: 'past the low end, beyond the tolerance', value: -3, expected: 0.3 },
  ])('$what: excess $expected', ({ value, expected }) => {
    expect(excess(range(), value)).toBeCloseTo(expected, 12);
  });

  it('is 0 for a range of no width (a flat start)', () => {
    expect(excess(seedRange(4), 100)).toBe(0);
  });

  // A quiet CPU series with routine spikes whose peaks vary: its records come in sizes up to the
  // routine margin, and one half again as large is still routine; before, any record past the
  // width-and-stddev tolerance was a new extreme.
  it.each([
    { what: 'a record 1.2 past the end, routine margin 0.9 (tolerance 1.35)', r: range(0.9), value: 11.2, expected: 0 },
    { what: 'a record 1.4 past the end, routine margin 0.9', r: range(0.9), value: 11.4, expected: 0.14 },
    { what: 'a routine margin below the tolerance changes nothing', r: range(0.5), value: 11.2, expected: 0.12 },
  ])('on the high side: $what', ({ r, value, expected }) => {
    expect(excess(r, value)).toBeCloseTo(expected, 12);
  });

  it('keeps the sides apart: routine records at the top do not widen the bottom', () => {
    expect(excess(range(3, 0), 12)).toBe(0);
    expect(excess(range(3, 0), -2)).toBeCloseTo(0.2, 12);
    expect(excess(range(0, 3), -2)).toBe(0);
    expect(excess(range(0, 3), 12)).toBeCloseTo(0.2, 12);
  });
});

describe('range: learning', () => {
  const alpha = 0.01;

  it('widens at once and pulls both ends towards the centre', () => {
    const r = updateRange(range(), 12, 5, alpha, false);
    expect(r.high).toBe(12);
    expect(r.low).toBeCloseTo(0.05, 12);
  });

  it('remembers the margin of a routine record, per side', () => {
    const up = updateRange(range(), 10.8, 5, alpha, true);
    expect(up.routineHigh).toBeCloseTo(0.8, 12);
    expect(up.routineLow).toBe(0);
    const down = updateRange(range(), -0.6, 5, alpha, true);
    expect(down.routineLow).toBeCloseTo(0.6, 12);
    expect(down.routineHigh).toBe(0);
  });

  it('learns no margin from a value that is not routine (warm-up, or a new extreme)', () => {
    const r = updateRange(range(), 10.8, 5, alpha, false);
    expect(r.routineHigh).toBe(0);
    expect(r.high).toBe(10.8);
  });

  it('keeps the larger of a new routine margin and the faded old one, and forgets at the range pace', () => {
    const r = updateRange(range(0.9), 10.3, 5, alpha, true);
    expect(r.routineHigh).toBeCloseTo(0.9 * (1 - alpha), 12);
    let faded = range(0.9);
    for (let i = 0; i < 69; i++) faded = updateRange(faded, 5, 5, alpha, true);
    expect(faded.routineHigh).toBeCloseTo(0.9 * 0.99 ** 69, 12);
    expect(faded.routineHigh).toBeLessThan(0.45);
  });
});

describe('range: below a positive range', () => {
  // A positive series skewed to the right: a floor at 1, bursts to 11, a stddev of 2 set by the
  // bursts. The linear tolerance below the low is 0.5 + 2, so it reaches below zero.
  const positive = (low: number, value: number) => rangeExcess({ low, high: 11, routineHigh: 0, routineLow: 0 }, value, TOL_FRACTION, TOL_STD, 2);

  it.each([
    { what: 'a fall to a twentieth of the low is a new extreme', value: 0.05, expected: 0.095 },
    { what: 'a fall to zero is a new extreme', value: 0, expected: 0.1 },
    { what: 'a fall to a fifth of the low is not', value: 0.2, expected: 0 },
  ])('$what', ({ value, expected }) => {
    expect(positive(1, value)).toBeCloseTo(expected, 12);
  });

  it.each([
    { what: 'whose low crept up from zero (the range forgets): its next zero is not an extreme', low: 0.01, value: 0 },
    { what: 'whose low is zero', low: 0, value: -0.5 },
    { what: 'whose low is negative', low: -1, value: -0.05 },
  ])('does not apply to a range $what', ({ low, value }) => {
    expect(positive(low, value)).toBe(0);
  });
});
