import { describe, expect, it } from 'vitest';
import { anchorDrift, driftScore, updateDrift } from '../../src/domain/drift';
import type { DriftReading, DriftState } from '../../src/domain/drift';
import { seededNormal } from './series';

const ALPHA = 1 - Math.pow(0.5, 1 / 300);

/** Runs the test over `values` (one per second) from a reference at 0 with stddev 1. */
function readings(values: readonly number[], baselineStd = 1): DriftReading[] {
  let d: DriftState = anchorDrift(0, 1, 0);
  let level = 0;
  return values.map((x, i) => {
    level += 0.16 * (x - level);
    const r = updateDrift(d, x, level, (i + 1) * 1000, ALPHA, baselineStd);
    d = r.state;
    return r;
  });
}

const alarmsOf = (rs: readonly DriftReading[]) => rs.flatMap((r, i) => (r.alarm ? [i] : []));

describe('updateDrift (CUSUM against a slow reference)', () => {
  it('never alarms on white noise', () => {
    const e = seededNormal(1);
    expect(alarmsOf(readings(Array.from({ length: 20_000 }, () => e())))).toEqual([]);
  });

  it.each([
    // Deviations are clamped at 4 stddevs, 2 of which are allowance: any shift past about 5
    // stddevs needs about 15 samples, so one outlier cannot do what a shift does.
    { shift: 5, within: 20 }, { shift: -5, within: 20 }, { shift: 20, within: 17 },
  ])('alarms on a level shift of $shift stddevs within $within samples, once', ({ shift, within }) => {
    const e = seededNormal(2);
    const rs = readings(Array.from({ length: 300 }, () => shift + e()));
    const found = alarmsOf(rs);
    expect(found).toHaveLength(1);
    expect(found[0]).toBeLessThan(within);
    expect(Math.sign(rs[found[0]!]!.shiftZ)).toBe(Math.sign(shift));
  });

  it.each([0.05, 0.1, 0.3])('alarms on a ramp of %s stddevs per sample before it has moved 8 stddevs', (slope) => {
    const e = seededNormal(3);
    const rs = readings(Array.from({ length: 1_000 }, (_, i) => slope * i + e()));
    const first = alarmsOf(rs)[0]!;
    expect(first * slope).toBeLessThan(8);
    expect(rs[first]!.slopePerSecond).toBeGreaterThan(0);
  });

  it('is not moved to an alarm by isolated outliers', () => {
    const e = seededNormal(4);
    expect(alarmsOf(readings(Array.from({ length: 5_000 }, (_, i) => e() + (i % 50 === 0 ? 30 : 0))))).toEqual([]);
  });

  it('measures against at least part of the baseline spread', () => {
    const e = seededNormal(5);
    // A 5-stddev shift of the reference's own noise, on a series whose baseline spread is 10.
    expect(alarmsOf(readings(Array.from({ length: 300 }, () => 5 + e()), 10))).toEqual([]);
  });

  it('re-anchors after an alarm at the current level', () => {
    const rs = readings(Array.from({ length: 100 }, () => 10));
    const first = alarmsOf(rs)[0]!;
    expect(rs[first]!.state.refMean).toBeGreaterThan(5);
    expect(rs[first]!.state.up).toBe(0);
  });

  it('scores an alarm from 0.5 up with the size of the move, and anything else 0', () => {
    const base = { state: anchorDrift(0, 1, 0), progress: 1, slopePerSecond: 0, refStd: 1 };
    expect(driftScore({ ...base, alarm: false, shiftZ: 50 })).toBe(0);
    expect(driftScore({ ...base, alarm: true, shiftZ: 2 })).toBeCloseTo(0.5, 9);
    expect(driftScore({ ...base, alarm: true, shiftZ: -12 })).toBeGreaterThan(driftScore({ ...base, alarm: true, shiftZ: 6 }));
    expect(driftScore({ ...base, alarm: true, shiftZ: 1e9 })).toBeLessThanOrEqual(1);
  });
});
