/** A metric in a unit Maestro does not take is refused with the names and units it does take. */
import { describe, expect, it } from 'vitest';
import { resolveSignalLimits, validateSignal } from '../src/index';

const NOW = 1_700_000_000_000;
const options = { nowMs: NOW, limits: resolveSignalLimits() };
const messageFor = (metrics: Record<string, unknown>) => {
  const result = validateSignal({ assetId: 'svc-a', timestampMs: NOW - 1_000, metrics }, options);
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.errors.map((e) => e.message).join('\n');
};

describe('a metric in the wrong unit', () => {
  it.each([
    ['latency_seconds', 'unknown metric "latency_seconds": latency is accepted as latency_ms (milliseconds), latency_s (seconds) or latency_us (microseconds)'],
    ['latency_ns', 'unknown metric "latency_ns": latency is accepted as latency_ms (milliseconds), latency_s (seconds) or latency_us (microseconds)'],
    ['cpu_millicores', 'unknown metric "cpu_millicores": cpu is accepted as cpu (a fraction of the allocated CPU, 0 to 1) or cpu_percent (percent)'],
    ['throughput_rph', 'unknown metric "throughput_rph": throughput is accepted as throughput_rps (requests per second) or throughput_rpm (requests per minute)'],
    ['queue_len', 'unknown metric "queue_len": queue is accepted as queue_depth (items waiting)'],
  ])('%s names the units accepted for it', (name, message) => {
    expect(messageFor({ [name]: 3 })).toBe(message);
  });

  it('a name of no known quantity is only called unknown', () => {
    expect(messageFor({ memory_mb: 3 })).toBe('unknown metric "memory_mb"');
  });

  it('a percentage sent as a fraction metric says which name takes percent', () => {
    expect(messageFor({ cpu: 55 })).toBe('cpu must be within [0, 1] as cpu, got 55 (cpu is a fraction of the allocated CPU, 0 to 1: for percent send cpu_percent)');
    expect(messageFor({ error_rate: 4 })).toContain('for percent send error_rate_percent');
  });

  it('a ratio out of range for another reason gets no percent hint', () => {
    expect(messageFor({ cpu: 250 })).toBe('cpu must be within [0, 1] as cpu, got 250');
    expect(messageFor({ cpu_percent: 150 })).toBe('cpu_percent must be within [0, 1] as cpu, got 150 (1.5 cpu)');
  });
});
