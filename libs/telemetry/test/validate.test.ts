import { describe, expect, it } from 'vitest';
import { TELEMETRY_ERROR_CODE_LIST, resolveSignalLimits, validateSignal } from '../src/index';
import type { TelemetryErrorCode } from '../src/index';

const NOW = 1_700_000_000_000;
const limits = resolveSignalLimits({ maxMetrics: 8, maxLabels: 3, maxLabelKeyLength: 8, maxLabelValueLength: 16, maxAssetIdLength: 24 });
const options = { nowMs: NOW, limits };

function record(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { timestampMs: NOW - 1_000, assetId: 'svc-a', metrics: { latency_ms: 12 }, region: 'eu-west-1', provider: 'aws', ...overrides };
}

const manyKeys = (count: number, value: unknown): Record<string, unknown> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, value]));

// One row per way a record can be refused: the code and the field it is reported against.
const refusals: { name: string; input: unknown; code: TelemetryErrorCode; field: string }[] = [
  { name: 'array record', input: [record()], code: 'invalid_record', field: '' },
  { name: 'null record', input: null, code: 'invalid_record', field: '' },
  { name: 'missing asset id', input: record({ assetId: undefined }), code: 'missing_asset_id', field: 'assetId' },
  { name: 'empty asset id', input: record({ assetId: '' }), code: 'missing_asset_id', field: 'assetId' },
  { name: 'numeric asset id', input: record({ assetId: 42 }), code: 'invalid_asset_id', field: 'assetId' },
  { name: 'asset id with a space', input: record({ assetId: 'svc a' }), code: 'invalid_asset_id', field: 'assetId' },
  { name: 'asset id starting with a separator', input: record({ assetId: ':svc' }), code: 'invalid_asset_id', field: 'assetId' },
  { name: 'asset id too long', input: record({ assetId: 'a'.repeat(25) }), code: 'invalid_asset_id', field: 'assetId' },
  { name: 'missing timestamp', input: record({ timestampMs: undefined }), code: 'invalid_timestamp', field: 'timestampMs' },
  { name: 'string timestamp', input: record({ timestampMs: String(NOW) }), code: 'invalid_timestamp', field: 'timestampMs' },
  { name: 'fractional timestamp', input: record({ timestampMs: NOW - 0.5 }), code: 'invalid_timestamp', field: 'timestampMs' },
  { name: 'NaN timestamp', input: record({ timestampMs: Number.NaN }), code: 'invalid_timestamp', field: 'timestampMs' },
  { name: 'negative timestamp', input: record({ timestampMs: -1 }), code: 'invalid_timestamp', field: 'timestampMs' },
  { name: 'timestamp beyond the skew bound', input: record({ timestampMs: NOW + 5_001 }), code: 'timestamp_in_future', field: 'timestampMs' },
  { name: 'timestamp older than max age', input: record({ timestampMs: NOW - 300_001 }), code: 'timestamp_too_old', field: 'timestampMs' },
  { name: 'metrics missing', input: record({ metrics: undefined }), code: 'no_metrics', field: 'metrics' },
  { name: 'metrics empty', input: record({ metrics: {} }), code: 'no_metrics', field: 'metrics' },
  { name: 'metrics all null', input: record({ metrics: { cpu: null } }), code: 'no_metrics', field: 'metrics' },
  { name: 'metrics as an array', input: record({ metrics: [1, 2] }), code: 'invalid_metrics', field: 'metrics' },
  { name: 'too many metric entries', input: record({ metrics: manyKeys(9, 1) }), code: 'too_many_metrics', field: 'metrics' },
  { name: 'unknown metric', input: record({ metrics: { latency: 3 } }), code: 'unknown_metric', field: 'metrics.latency' },
  { name: 'prototype name as metric', input: record({ metrics: { toString: 3 } }), code: 'unknown_metric', field: 'metrics.toString' },
  { name: 'string metric value', input: record({ metrics: { cpu: '0.5' } }), code: 'metric_not_number', field: 'metrics.cpu' },
  { name: 'NaN metric', input: record({ metrics: { latency_ms: Number.NaN } }), code: 'metric_not_finite', field: 'metrics.latency_ms' },
  { name: 'infinite metric', input: record({ metrics: { throughput_rps: Infinity } }), code: 'metric_not_finite', field: 'metrics.throughput_rps' },
  // F6: finite as sent, infinite after conversion to ms; the gateway answered 202 and ingest dead-lettered it.
  { name: 'latency_s finite only before conversion (F6)', input: record({ metrics: { latency_s: 1e306 } }), code: 'metric_not_finite', field: 'metrics.latency_s' },
  { name: 'negative latency', input: record({ metrics: { latency_ms: -1 } }), code: 'metric_negative', field: 'metrics.latency_ms' },
  { name: 'negative throughput', input: record({ metrics: { throughput_rps: -0.1 } }), code: 'metric_negative', field: 'metrics.throughput_rps' },
  { name: 'negative queue depth', input: record({ metrics: { queue_depth: -3 } }), code: 'metric_negative', field: 'metrics.queue_depth' },
  { name: 'negative unit cost', input: record({ metrics: { unit_cost: -0.01 } }), code: 'metric_negative', field: 'metrics.unit_cost' },
  { name: 'negative latency via alias', input: record({ metrics: { latency_s: -2 } }), code: 'metric_negative', field: 'metrics.latency_s' },
  { name: 'error rate above 1', input: record({ metrics: { error_rate: 1.01 } }), code: 'metric_out_of_range', field: 'metrics.error_rate' },
  { name: 'negative saturation', input: record({ metrics: { saturation: -0.2 } }), code: 'metric_out_of_range', field: 'metrics.saturation' },
  { name: 'cpu given as percent under the ratio name', input: record({ metrics: { cpu: 85 } }), code: 'metric_out_of_range', field: 'metrics.cpu' },
  { name: 'cpu_percent above 100', input: record({ metrics: { cpu_percent: 120 } }), code: 'metric_out_of_range', field: 'metrics.cpu_percent' },
  { name: 'metric and its alias', input: record({ metrics: { latency_ms: 5, latency_s: 0.005 } }), code: 'metric_conflict', field: 'metrics.latency_s' },
  { name: 'two aliases of one metric', input: record({ metrics: { latency_s: 1, latency_us: 1 } }), code: 'metric_conflict', field: 'metrics.latency_us' },
  { name: 'labels as a string', input: record({ labels: 'team=a' }), code: 'invalid_labels', field: 'labels' },
  { name: 'too many labels', input: record({ labels: manyKeys(4, 'x') }), code: 'too_many_labels', field: 'labels' },
  { name: 'numeric label value', input: record({ labels: { tier: 1 } }), code: 'invalid_label', field: 'labels.tier' },
  { name: 'empty label key', input: record({ labels: { '': 'x' } }), code: 'invalid_label', field: 'labels.' },
  { name: 'label key too long', input: record({ labels: { ['k'.repeat(9)]: 'x' } }), code: 'label_too_long', field: `labels.${'k'.repeat(9)}` },
  { name: 'label value too long', input: record({ labels: { team: 'v'.repeat(17) } }), code: 'label_too_long', field: 'labels.team' },
  { name: 'numeric region', input: record({ region: 7 }), code: 'invalid_attribute', field: 'region' },
  { name: 'empty provider', input: record({ provider: '' }), code: 'invalid_attribute', field: 'provider' },
];

describe('validateSignal refusals', () => {
  it.each(refusals)('$name → $code', ({ input, code, field }) => {
    const result = validateSignal(input, options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual(expect.objectContaining({ code, field }));
    for (const error of result.errors) expect(error.message.length).toBeGreaterThan(0);
  });

  it('exercises every code in the catalog (a new code needs a row above)', () => {
    const covered = new Set(refusals.map((row) => row.code));
    expect(TELEMETRY_ERROR_CODE_LIST.filter((code) => !covered.has(code))).toEqual([]);
  });

  it('reports every problem of a record, not only the first', () => {
    const result = validateSignal(record({ assetId: '', timestampMs: 'x', metrics: { cpu: 2, bogus: 1 } }), options);
    expect(result.ok ? [] : result.errors.map((error) => error.code).sort()).toEqual(
      ['invalid_timestamp', 'metric_out_of_range', 'missing_asset_id', 'unknown_metric'],
    );
  });

  it('reports one error for an oversized metrics map, whatever its size', () => {
    const result = validateSignal(record({ metrics: manyKeys(10_000, 'junk') }), options);
    expect(result.ok ? [] : result.errors).toHaveLength(1);
  });

  it('says a missing timestamp is missing, and names the type of a wrong one', () => {
    const message = (input: unknown) => {
      const result = validateSignal(input, options);
      return result.ok ? '' : result.errors.find((e) => e.field === 'timestampMs')?.message;
    };
    expect(message(record({ timestampMs: undefined }))).toBe('timestampMs is required (epoch ms)');
    expect(message(record({ timestampMs: 'soon' }))).toBe('timestampMs must be a non-negative integer (epoch ms), got a string of length 4');
    expect(message(record({ timestampMs: 1.5 }))).toBe('timestampMs must be a non-negative integer (epoch ms), got number 1.5');
  });
});

describe('validateSignal acceptance', () => {
  it('normalises a complete record', () => {
    const result = validateSignal(
      record({ region: 'EU-West-1', provider: 'AWS', labels: { team: 'core' }, metrics: { latency_ms: 12, cpu: 0.5, extra: null }, traceId: 'ignored' }),
      options,
    );
    expect(result).toEqual({
      ok: true,
      signal: { timestampMs: NOW - 1_000, assetId: 'svc-a', metrics: { latency_ms: 12, cpu: 0.5 }, region: 'eu-west-1', provider: 'aws', labels: { team: 'core' } },
    });
  });

  it('leaves unmeasured metrics absent and defaults labels to {}', () => {
    const result = validateSignal({ timestampMs: NOW, assetId: 'db/1', metrics: { queue_depth: 0, cpu: null } }, options);
    expect(result.ok && result.signal).toEqual({ timestampMs: NOW, assetId: 'db/1', metrics: { queue_depth: 0 }, labels: {} });
    expect(result.ok && Object.keys(result.signal.metrics)).toEqual(['queue_depth']);
  });

  it.each([
    { name: 'exactly at the skew bound', timestampMs: NOW + 5_000 },
    { name: 'exactly at the age bound', timestampMs: NOW - 300_000 },
  ])('accepts a timestamp $name', ({ timestampMs }) => {
    expect(validateSignal(record({ timestampMs }), options).ok).toBe(true);
  });

  it.each([
    { ratio: 0, metric: 'error_rate' },
    { ratio: 1, metric: 'saturation' },
  ])('accepts the ratio bound $ratio for $metric', ({ ratio, metric }) => {
    expect(validateSignal(record({ metrics: { [metric]: ratio } }), options).ok).toBe(true);
  });

  it('keeps a label named __proto__ as an own label instead of changing the prototype', () => {
    const labels = JSON.parse('{"__proto__": "x", "team": "a"}') as unknown;
    // Default limits: `__proto__` is longer than the 8-character keys the table above allows.
    const result = validateSignal(record({ labels }), { nowMs: NOW, limits: resolveSignalLimits() });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.getPrototypeOf(result.signal.labels)).toBe(Object.prototype);
    expect(Object.keys(result.signal.labels)).toEqual(['__proto__', 'team']);
  });
});
