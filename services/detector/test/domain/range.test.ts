import { describe, expect, it } from 'vitest';
import { rangeExcess, updateRange } from '../../src/domain/range';

// Tolerance 5 % of the width plus 1 stddev, as the detector's defaults.
const excess = (low: number, high: number, value: number, std: number) => rangeExcess({ low, high }, value, 0.05, 1, std);

describe('rangeExcess', () => {
  it.each([
    { name: 'inside the range', low: 10, high: 20, value: 15, std: 1, expected: 0 },
    { name: 'just past the high, within the tolerance', low: 10, high: 20, value: 21, std: 1, expected: 0 },
    { name: 'past the high by more than the tolerance', low: 10, high: 20, value: 25, std: 1, expected: 0.5 },
    { name: 'below the low by more than the tolerance', low: 10, high: 20, value: 7, std: 1, expected: 0.3 },
    { name: 'a range of one value', low: 10, high: 10, value: 50, std: 1, expected: 0 },
  ])('$name: $expected', ({ low, high, value, std, expected }) => {
    expect(excess(low, high, value, std)).toBeCloseTo(expected, 12);
  });

  // A positive series skewed to the right: a floor at 1, bursts to 11, a stddev of 2 set by the
  // bursts. The linear tolerance below the low is 0.5 + 2, so it reaches below zero.
  it.each([
    { name: 'a fall to a twentieth of the low is a new extreme', value: 0.05, expected: 0.095 },
    { name: 'a fall to zero is a new extreme', value: 0, expected: 0.1 },
    { name: 'a fall to a fifth of the low is not', value: 0.2, expected: 0 },
  ])('below a positive range: $name', ({ value, expected }) => {
    expect(excess(1, 11, value, 2)).toBeCloseTo(expected, 12);
  });

  it.each([
    { name: 'whose low crept up from zero (the range forgets): its next zero is not an extreme', low: 0.01, value: 0 },
    { name: 'whose low is zero', low: 0, value: -0.5 },
    { name: 'whose low is negative', low: -1, value: -0.05 },
  ])('below a range $name', ({ low, value }) => {
    expect(excess(low, 11, value, 2)).toBe(0);
  });
});

describe('updateRange', () => {
  it('widens at once to include a value outside it', () => {
    expect(updateRange({ low: 10, high: 20 }, 25, 15, 0)).toEqual({ low: 10, high: 25 });
    expect(updateRange({ low: 10, high: 20 }, 5, 15, 0)).toEqual({ low: 5, high: 20 });
  });

  it('pulls both ends towards the centre by alpha, forgetting an old extreme', () => {
    expect(updateRange({ low: 10, high: 20 }, 15, 15, 0.1)).toEqual({ low: 10.5, high: 19.5 });
  });
});
