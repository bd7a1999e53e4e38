import { describe, expect, it } from 'vitest';
import { InvalidSampleError, MAX_PENDING, observe, resolveOptimizerConfig } from '../../src/domain';
import { run, sample } from './fixtures';

const cfg = resolveOptimizerConfig({ windowSize: 10 });

describe('rolling state', () => {
  it('is bounded whatever the number of samples, and survives a JSON round trip', () => {
    const { state } = run(500, (k) => ({ saturation: (k % 10) / 10, signals: [{ name: `s${k % 20}`, value: 1, target: 1, weight: 1 }] }), cfg);
    expect(state.series.saturation.values).toHaveLength(10);
    expect(state.signals.length).toBeLessThanOrEqual(cfg.maxCustomSignals);
    expect(state.desired.length).toBeLessThanOrEqual(32);
    expect(state.forecast.pending.length).toBeLessThanOrEqual(MAX_PENDING);
    // Two seasonal profiles (about 1,250 numbers) are most of it.
    expect(JSON.stringify(state).length).toBeLessThan(16_000);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('does not mutate the previous state', () => {
    const a = observe(null, sample(0), cfg);
    const snapshot = JSON.stringify(a);
    observe(a, sample(1, { saturation: 0.9 }), cfg);
    expect(JSON.stringify(a)).toBe(snapshot);
  });

  it('ignores a redelivered or older sample', () => {
    const a = observe(observe(null, sample(0), cfg), sample(1), cfg);
    expect(observe(a, sample(1), cfg)).toBe(a);
    expect(observe(a, sample(0), cfg)).toBe(a);
  });

  it.each([
    { over: { saturation: 1.5 }, msg: /saturation/ },
    { over: { replicas: 0 }, msg: /replicas/ },
    { over: { latencyP95Ms: Number.NaN }, msg: /latencyP95Ms/ },
    { over: { signals: [{ name: 'x', value: 1, target: 0, weight: 1 }] }, msg: /signal x: target/ },
  ])('rejects an invalid sample: $msg', ({ over, msg }) => {
    expect(() => observe(null, sample(0, over), cfg)).toThrow(InvalidSampleError);
    expect(() => observe(null, sample(0, over), cfg)).toThrow(msg);
  });

  it.each([
    { over: { tolerance: 1.2 }, msg: /tolerance/ },
    { over: { minReplicas: 5, maxReplicas: 2 }, msg: /minReplicas/ },
    { over: { sustainMs: -1 }, msg: /sustainMs/ },
    { over: { peakSaturation: 0.5 }, msg: /peakSaturation/ },
    { over: { forecastQuantile: 1 }, msg: /forecastQuantile/ },
  ])('rejects bad configuration at resolve time: $msg', ({ over, msg }) => {
    expect(() => resolveOptimizerConfig(over)).toThrow(msg);
  });
});
