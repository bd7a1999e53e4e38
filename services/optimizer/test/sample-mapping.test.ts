import { describe, expect, it } from 'vitest';
import type { TelemetrySample } from '@maestro/contracts';
import { toOptimizationSample } from '../src/sample-mapping';

function telemetry(metrics: Record<string, number>, labels: Record<string, string> = {}): TelemetrySample {
  return { assetId: 'a-1', timestampMs: 1_000, ingestedAtMs: 1_001, metrics, region: null, provider: null, labels, tenant: null };
}

describe('toOptimizationSample', () => {
  it('maps every metric the telemetry carries, latency into both percentiles', () => {
    const out = toOptimizationSample(telemetry({ saturation: 0.7, cpu: 0.2, latency_ms: 35, throughput_rps: 120, unit_cost: 0.03, queue_depth: 12 }, { replicas: '3', size_units: '2.5' }), null);
    expect(out).toEqual({
      kind: 'sample',
      sample: { assetId: 'a-1', atMs: 1_000, latencyP50Ms: 35, latencyP95Ms: 35, throughputPerS: 120, unitCost: 0.03, saturation: 0.7, queueDepth: 12, replicas: 3, sizeUnits: 2.5, signals: [] },
    });
  });

  it.each([
    ['cpu when saturation is absent', { cpu: 0.4 }, { kind: 'sample' }],
    ['skips a sample with no load metric', { latency_ms: 50 }, { kind: 'skip', reason: 'no saturation or cpu metric' }],
  ] as const)('%s', (_name, metrics, expected) => {
    expect(toOptimizationSample(telemetry(metrics), null)).toMatchObject(expected);
  });

  it.each([
    ['absent metrics read as 0 (neutral in every rule)', {}, null, { replicas: 1, sizeUnits: 1, queueDepth: 0, unitCost: 0, latencyP95Ms: 0 }],
    ['absent labels fall back to what is known of the asset', {}, { replicas: 7, sizeUnits: 4 }, { replicas: 7, sizeUnits: 4 }],
    ['present labels win over what is known', { replicas: '2' }, { replicas: 7, sizeUnits: 4 }, { replicas: 2, sizeUnits: 4 }],
  ] as const)('%s', (_name, labels, known, expected) => {
    const out = toOptimizationSample(telemetry({ saturation: 0.5 }, labels), known);
    expect(out.kind === 'sample' && out.sample).toMatchObject(expected);
  });

  it('parses custom signals from signal.* labels, weight defaulting to 1, in name order', () => {
    const out = toOptimizationSample(telemetry({ saturation: 0.5 }, { 'signal.power_w': '180/150@0.5', 'signal.backlog': '30/10', team: 'x' }), null);
    expect(out.kind === 'sample' && out.sample.signals).toEqual([
      { name: 'backlog', value: 30, target: 10, weight: 1 },
      { name: 'power_w', value: 180, target: 150, weight: 0.5 },
    ]);
  });

  it.each([
    ['a non-integer replicas label', { replicas: 'three' }, /label replicas="three" is not an integer/],
    ['zero replicas', { replicas: '0' }, /replicas must be an integer >= 1/],
    ['a non-numeric size', { size_units: 'big' }, /label size_units="big" is not a number/],
    ['a signal without a target', { 'signal.backlog': '30' }, /label signal\.backlog="30" is not <value>\/<target>\[@<weight>\]/],
    ['a signal with a non-numeric part', { 'signal.backlog': '30/ten' }, /non-numeric part/],
    ['a signal with a zero target', { 'signal.backlog': '30/0' }, /signal backlog: target must be > 0/],
    ['a signal weight above 1', { 'signal.backlog': '30/10@2' }, /signal backlog: weight must be in \[0, 1\]/],
    ['an unnamed signal', { 'signal.': '1/1' }, /is not <value>/],
  ] as const)('rejects %s with the reason', (_name, labels, reason) => {
    const out = toOptimizationSample(telemetry({ saturation: 0.5 }, labels), null);
    expect(out.kind).toBe('invalid');
    expect(out.kind === 'invalid' && out.reason).toMatch(reason);
  });

  it('rejects an out-of-range metric the core cannot use', () => {
    expect(toOptimizationSample(telemetry({ saturation: 1.5 }), null)).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/saturation must be in \[0, 1\]/) });
  });
});
