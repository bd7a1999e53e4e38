import { describe, expect, it } from 'vitest';
import { METRIC_ALIASES, METRIC_NAMES, resolveMetric, resolveSignalLimits, validateSignal } from '../src/index';

const NOW = 1_700_000_000_000;
const options = { nowMs: NOW, limits: resolveSignalLimits() };

describe('unit aliases', () => {
  it.each([
    { sent: { latency_s: 0.25 }, expected: { latency_ms: 250 } },
    { sent: { latency_us: 1_500 }, expected: { latency_ms: 1.5 } },
    { sent: { cpu_percent: 7 }, expected: { cpu: 0.07 } },
    { sent: { cpu_percent: 100 }, expected: { cpu: 1 } },
    { sent: { saturation_percent: 33 }, expected: { saturation: 0.33 } },
    { sent: { error_rate_percent: 0.5 }, expected: { error_rate: 0.005 } },
    { sent: { throughput_rpm: 90 }, expected: { throughput_rps: 1.5 } },
    { sent: { latency_s: 0.1, cpu_percent: 50, queue_depth: 4 }, expected: { latency_ms: 100, cpu: 0.5, queue_depth: 4 } },
  ])('$sent → $expected', ({ sent, expected }) => {
    const result = validateSignal({ timestampMs: NOW, assetId: 'a', metrics: sent }, options);
    expect(result.ok && result.signal.metrics).toEqual(expected);
  });

  it('maps every alias to a canonical metric', () => {
    for (const alias of Object.values(METRIC_ALIASES)) expect(METRIC_NAMES).toContain(alias.canonical);
  });

  it.each(['latency', 'cpu_pct', 'constructor', '__proto__', 'hasOwnProperty'])('does not resolve %s', (name) => {
    expect(resolveMetric(name)).toBeUndefined();
  });

  it('folds -0 to 0', () => {
    const result = validateSignal({ timestampMs: NOW, assetId: 'a', metrics: { queue_depth: -0 } }, options);
    expect(result.ok && Object.is(result.signal.metrics.queue_depth, 0)).toBe(true);
  });
});
