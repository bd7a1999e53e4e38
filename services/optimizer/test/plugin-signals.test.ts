/** Plugin signals reach the optimiser's core as custom signals named after their plugin, exactly as measured. */
import { describe, expect, it } from 'vitest';
import type { TelemetrySample } from '@maestro/contracts';
import { definePlugin } from '@maestro/plugin-sdk';
import { createContainment, signalMeter, type PluginFailure } from '@maestro/plugin-sdk/host';
import { withPluginSignals } from '../src/plugin-signals';
import { toOptimizationSample } from '../src/sample-mapping';

const sample: TelemetrySample = { assetId: 'q-1', timestampMs: 1_000, ingestedAtMs: 1_001, metrics: { saturation: 0.4, queue_depth: 37 }, region: null, provider: null, labels: { 'signal.power_w': '180/150' }, tenant: null };

describe('plugin signals', () => {
  it('join the sample\'s own signals, values unchanged, a failing one left out and recorded', async () => {
    const failures: PluginFailure[] = [];
    const meter = signalMeter([definePlugin({
      name: 'acme', version: '1.0.0',
      optimisationSignals: [
        { name: 'backlog', measure: (s) => ({ value: (s.metrics.queue_depth ?? 0) / 3, target: 10, weight: 0.5 }) },
        { name: 'broker', measure: () => new Promise<never>(() => undefined) },
      ],
    })], createContainment({ timeoutMs: 1_000, onFailure: (f) => failures.push(f) }))!;
    const mapped = toOptimizationSample(withPluginSignals(sample, await meter(sample)), null);
    expect(mapped.kind).toBe('sample');
    if (mapped.kind !== 'sample') return;
    expect(mapped.sample.signals).toEqual(expect.arrayContaining([
      { name: 'power_w', value: 180, target: 150, weight: 1 },
      { name: 'acme/backlog', value: 37 / 3, target: 10, weight: 0.5 },
    ]));
    expect(mapped.sample.signals).toHaveLength(2);
    expect(failures.map((f) => [f.point, f.kind])).toEqual([['optimisation signal broker measure', 'timed_out']]);
  });

  it('leave a sample without plugin signals as it is', () => {
    expect(withPluginSignals(sample, [])).toBe(sample);
  });
});
