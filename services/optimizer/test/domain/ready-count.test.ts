import { describe, expect, it } from 'vitest';
import { initialState, judgeSaturationOverServing, resolveOptimizerConfig, servingReplicas, startingReplicas, UNDECIDED, type OptimizationSample, type PreviousReading, type ScaleEvent } from '../../src/domain';
import { sample, T0 } from './fixtures';

const S = 1_000;
const out = (atS: number, from: number, to: number): ScaleEvent => ({ atMs: T0 + atS * S, from, to });

describe('replicas still starting, by the optimiser\'s own scale-outs', () => {
  const at = (s: number) => T0 + s * S;

  it('counts what the scale-outs of the last startup delay added, up to and at the delay, none after', () => {
    expect(startingReplicas([], 7, at(0), 60 * S)).toBe(0);
    expect(startingReplicas([out(0, 4, 7)], 7, at(30), 60 * S)).toBe(3);
    expect(startingReplicas([out(0, 4, 7)], 7, at(60), 60 * S)).toBe(3);
    expect(startingReplicas([out(0, 4, 7)], 7, at(61), 60 * S)).toBe(0);
    // Two scale-outs: the first one's replicas serve once its delay is over.
    expect(startingReplicas([out(0, 4, 6), out(30, 6, 9)], 9, at(40), 60 * S)).toBe(5);
    expect(startingReplicas([out(0, 4, 6), out(30, 6, 9)], 9, at(70), 60 * S)).toBe(3);
  });

  it('takes a scale-in from the starting replicas first', () => {
    expect(startingReplicas([out(0, 4, 7), out(20, 7, 5)], 5, at(30), 60 * S)).toBe(1);
    expect(startingReplicas([out(0, 4, 7), out(20, 7, 3)], 3, at(30), 60 * S)).toBe(0);
  });

  it('counts none an actuator has not started, and leaves at least one replica serving', () => {
    expect(startingReplicas([out(0, 4, 7)], 4, at(30), 60 * S)).toBe(0);
    expect(startingReplicas([out(0, 4, 7)], 5, at(30), 60 * S)).toBe(1);
    expect(startingReplicas([out(0, 1, 5)], 5, at(30), 60 * S)).toBe(4);
    expect(startingReplicas([out(0, 0, 5)], 5, at(30), 60 * S)).toBe(4);
  });
});

describe('which replicas a utilisation without a ready count is the mean over', () => {
  // 100 requests a second a replica. The scale-out 5 → 8 at the previous sample (10 s ago), at 450/s.
  const events = [out(0, 5, 8)];
  const previous = { atMs: T0, replicas: 5, saturation: 0.9, throughputPerS: 450 };
  // The sample after it, at `rps`, reported over the 5 serving replicas or over all 8.
  const overServing = (rps: number, over = {}) => sample(1, { saturation: rps / 500, throughputPerS: rps, replicas: 8, ...over });
  const overAll = (rps: number) => sample(1, { saturation: rps / 800, throughputPerS: rps, replicas: 8 });
  const judge = (belief: number, e: readonly ScaleEvent[], p: PreviousReading, s: OptimizationSample) => judgeSaturationOverServing(belief, e, p, s, 60 * S);

  it('reads the capacity the utilisation is over, from throughput: it stays over serving replicas, it grows by 8/5 over all', () => {
    expect(judge(0.5, events, previous, overServing(450))).toBeCloseTo(0.5 + 0.35 * 0.5);
    expect(judge(0.5, events, previous, overAll(450))).toBeCloseTo(0.5 - 0.35 * 0.5);
  });

  it('whatever the load did in between: a rise or a fall reads the same', () => {
    for (const rps of [300, 480, 500]) {
      expect(judge(0.5, events, previous, overServing(rps))).toBeCloseTo(0.675);
      expect(judge(0.5, events, previous, overAll(rps))).toBeCloseTo(0.325);
    }
  });

  it('reads nothing from a sample that says its ready count, one after no scale-out of its own, or one the actuator did not follow', () => {
    expect(judge(0.7, events, previous, overServing(450, { readyReplicas: 5 }))).toBe(0.7);
    expect(judge(0.7, [], previous, overAll(450))).toBe(0.7);
    expect(judge(0.7, [out(10, 5, 8)], previous, overAll(450))).toBe(0.7);
    expect(judge(0.7, events, previous, overServing(450, { replicas: 5 }))).toBe(0.7);
    expect(judge(0.7, events, { ...previous, replicas: 6 }, overAll(450))).toBe(0.7);
  });

  it('reads at the first sample that runs the new count, also where the actuator applied it late', () => {
    // Asked for 30 s before the previous sample, which still ran 5.
    expect(judge(0.7, [out(-30, 5, 8)], previous, overAll(450))).toBeLessThan(0.5);
    expect(judge(0.3, [out(-30, 5, 8)], previous, overServing(450))).toBeGreaterThan(0.5);
  });

  it('reads nothing while an earlier scale-out\'s replicas may come to serve between the two samples', () => {
    expect(judge(0.7, [out(-50, 4, 5), ...events], previous, overAll(450))).toBe(0.7);
    // A scale-out at -70 s serves from -10 s, inside the previous sample's interval; at -71 s, before it.
    expect(judge(0.7, [out(-70, 4, 5), ...events], previous, overAll(450))).toBe(0.7);
    expect(judge(0.7, [out(-71, 4, 5), ...events], previous, overAll(450))).toBeLessThan(0.5);
    expect(judge(0.7, [out(-50, 6, 5), ...events], previous, overAll(450))).toBeLessThan(0.5);
  });

  it('reads nothing without throughput, from an idle sample, or from a scale-out smaller than one replica in ten', () => {
    expect(judge(0.7, events, previous, overAll(450)).toFixed(2)).not.toBe('0.70');
    expect(judge(0.7, events, { ...previous, throughputPerS: 0 }, overAll(450))).toBe(0.7);
    expect(judge(0.7, events, previous, sample(1, { saturation: 0.5, throughputPerS: 0, replicas: 8 }))).toBe(0.7);
    expect(judge(0.7, events, { ...previous, saturation: 0 }, overAll(450))).toBe(0.7);
    expect(judge(0.7, [out(0, 11, 12)], { ...previous, replicas: 11 }, sample(1, { saturation: 0.3, throughputPerS: 300, replicas: 12 }))).toBe(0.7);
  });

  it('from undecided the first reading decides; what two readings agree on, one odd reading does not overturn', () => {
    expect(judge(UNDECIDED, events, previous, overAll(450))).toBeLessThan(UNDECIDED);
    expect(judge(UNDECIDED, events, previous, overServing(450))).toBeGreaterThanOrEqual(UNDECIDED);
    const agreed = judge(judge(UNDECIDED, events, previous, overServing(450)), events, previous, overServing(450));
    const once = judge(agreed, events, previous, overAll(450));
    expect(once).toBeGreaterThanOrEqual(UNDECIDED);
    expect(judge(once, events, previous, overAll(450))).toBeLessThan(UNDECIDED);
  });

  it('subtracts the starting replicas only while the asset reads as "over serving"', () => {
    const cfg = resolveOptimizerConfig({});
    const s = sample(1, { replicas: 8 });
    expect(servingReplicas(s, events, 1, cfg)).toBe(5);
    // Undecided, before any reading: the telemetry contract's convention.
    expect(servingReplicas(s, events, UNDECIDED, cfg)).toBe(5);
    expect(initialState('a', cfg, T0).saturationOverServing).toBe(UNDECIDED);
    expect(servingReplicas(s, events, 0.3, cfg)).toBe(8);
  });
});
