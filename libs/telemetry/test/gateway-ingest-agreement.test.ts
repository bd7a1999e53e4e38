/**
 * The gateway and ingest give one verdict per signal (issue 14, item 7). For any signal:
 *
 * - sent to POST /v1/telemetry (JSON), the gateway accepts it iff ingest accepts what the gateway
 *   publishes, after the Avro round trip and however late ingest consumes it, and with identical
 *   converted values;
 * - written to `telemetry.raw` directly (any double, NaN and infinities included), ingest refuses
 *   it with the codes the gateway gives the same signal, and accepts it with the same values.
 *
 * F6 was the counterexample: `latency_s: 1e306` is finite as sent and infinite in milliseconds.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import avro from 'avsc';
import { avroSchemas, type HealthSignal as WireSignal } from '@maestro/contracts';
import { METRIC_ALIASES, METRIC_NAMES, judgeWireSignal, resolveSignalLimits, toWireSignal, validateSignal, type ValidationResult } from '../src/index';

const limits = resolveSignalLimits();
const NOW = 1_800_000_000_000;
const wireType = avro.Type.forSchema(avroSchemas['maestro.telemetry.HealthSignal'] as avro.Schema);

const metricName = fc.constantFrom(...METRIC_NAMES, ...Object.keys(METRIC_ALIASES), 'bogus');
// Every double: huge (overflows on ×1000), subnormal (underflows on ÷1000), negative zero, NaN, ±∞.
const metricValue = fc.oneof(fc.double(), fc.constantFrom(1e306, -1e306, Number.MAX_VALUE, Number.MIN_VALUE, -0, 1.5e305), fc.constant(null));
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);

const rawSignal = fc.record({
  assetId: fc.oneof(word, fc.constantFrom('', ' bad', ':svc', 'a'.repeat(201))),
  timestampMs: fc.integer({ min: NOW - 400_000, max: NOW + 10_000 }),
  metrics: fc.dictionary(metricName, metricValue, { maxKeys: 4 }),
  region: fc.option(fc.oneof(word, fc.constant('')), { nil: null }),
  provider: fc.option(word, { nil: null }),
  labels: fc.dictionary(word, fc.string({ maxLength: 20 }), { maxKeys: 3 }),
});

function codes(result: ValidationResult): string[] {
  return result.ok ? [] : result.errors.map((e) => `${e.field}:${e.code}`).sort();
}

function avroRoundTrip(value: WireSignal): WireSignal {
  return wireType.fromBuffer(wireType.toBuffer(value)) as WireSignal;
}

describe('gateway and ingest agree', () => {
  it('on what the gateway publishes: accepted by ingest, at any later instant, with identical values', () => {
    fc.assert(fc.property(rawSignal, fc.integer({ min: 0, max: 600_000 }), fc.option(word, { nil: null }), (raw, delayMs, tenant) => {
      const json: unknown = JSON.parse(JSON.stringify(raw));
      const gateway = validateSignal(json, { nowMs: NOW, limits });
      if (!gateway.ok) return;
      const consumed = avroRoundTrip(toWireSignal(gateway.signal, { tenant, receivedAtMs: NOW }));
      const ingest = judgeWireSignal(consumed, NOW + delayMs, limits);
      expect(ingest).toEqual(gateway);
      expect(consumed.tenant).toBe(tenant);
    }), { numRuns: 3_000 });
  });

  it('on a signal written to the topic directly: the same verdict, codes and values', () => {
    fc.assert(fc.property(rawSignal, (raw) => {
      const wire: WireSignal = { ...raw, metrics: raw.metrics as Record<string, number>, tenant: null, receivedAtMs: null };
      // Only what Avro can carry reaches ingest (a null metric value or a bad id type cannot).
      fc.pre(wireType.isValid(wire));
      const gateway = validateSignal(wire, { nowMs: NOW, limits });
      const ingest = judgeWireSignal(avroRoundTrip(wire), NOW, limits);
      expect(ingest.ok).toBe(gateway.ok);
      expect(codes(ingest)).toEqual(codes(gateway));
      if (gateway.ok && ingest.ok) expect(ingest.signal).toEqual(gateway.signal);
    }), { numRuns: 3_000 });
  });

  it('refuses F6 (latency_s 1e306) at the gateway, as ingest does', () => {
    const raw = { assetId: 'svc-f6', timestampMs: NOW, metrics: { latency_s: 1e306 } };
    const gateway = validateSignal(raw, { nowMs: NOW, limits });
    expect(codes(gateway)).toEqual(['metrics.latency_s:metric_not_finite']);
    const direct = judgeWireSignal({ ...raw, region: null, provider: null, labels: {}, tenant: null, receivedAtMs: null }, NOW, limits);
    expect(codes(direct)).toEqual(codes(gateway));
  });
});
