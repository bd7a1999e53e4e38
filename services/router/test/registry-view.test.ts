import { describe, expect, it } from 'vitest';
import type { Anomaly, AssetEvent, TelemetrySample } from '@maestro/contracts';
import { createRoutingView } from '../src/registry-view';

const T0 = 1_700_000_000_000;
const event = (assetId: string, change: AssetEvent['change'] = 'added', labels: Record<string, string> = {}): AssetEvent => ({
  assetId, change, kind: 'service', name: null, provider: 'aws', region: null, capabilities: ['cpu'], complianceTags: [], labels, sources: [], lastSeenMs: null, atMs: T0, tenant: null,
});
const sample = (assetId: string, timestampMs: number, latency: number): TelemetrySample => ({
  assetId, timestampMs, ingestedAtMs: timestampMs, metrics: { latency_ms: latency, error_rate: 0, unit_cost: 0.5, saturation: 0.2 }, region: null, provider: null, labels: {}, tenant: null,
});
const anomaly = (assetId: string, severity: number, detectedAtMs: number): Anomaly => ({
  anomalyId: `${assetId}:latency_ms:${detectedAtMs}`, assetId, metric: 'latency_ms', kind: 'spike', relatedKinds: [], severity, score: 1, value: 1, sampleTimestampMs: detectedAtMs, detectedAtMs, evidence: {}, tenant: null,
});
const options = { window: { maxSamples: 5, maxAgeMs: 60_000 }, anomalyTtlMs: 1_000 };

describe('createRoutingView', () => {
  it('compiles the registry in asset-id order whatever the arrival order, without removed assets', () => {
    const a = createRoutingView(options);
    const b = createRoutingView(options);
    a.applyAssets([event('c'), event('a'), event('b'), event('b', 'removed')]);
    b.applyAssets([event('a'), event('c')]);
    expect(a.poolAt(T0, null).assets.map((x) => x.assetId)).toEqual(['a', 'c']);
    expect(b.poolAt(T0, null).assets).toEqual(a.poolAt(T0, null).assets);
    expect(a.poolAt(T0, null).assets[0]).toMatchObject({ region: 'unknown', status: 'active' });
  });

  it('returns the same pool when nothing changed, and patches performance without recompiling', () => {
    const view = createRoutingView(options);
    view.applyAssets([event('a'), event('b', 'stale')]);
    const first = view.poolAt(T0, null);
    expect(view.poolAt(T0, null)).toBe(first);
    view.applySamples([sample('a', T0, 40)]);
    const patched = view.poolAt(T0, null);
    expect(patched).not.toBe(first);
    expect(patched.capabilityBits).toBe(first.capabilityBits);
    expect(patched.perf.latencyP95Ms[0]).toBe(40);
    expect(patched.assets[1]!.status).toBe('stale');
  });

  it('uses the unit_cost label until telemetry reports a cost', () => {
    const view = createRoutingView(options);
    view.applyAssets([event('a', 'added', { unit_cost: '0.25' })]);
    expect(view.poolAt(T0, null).perf.unitCost[0]).toBe(0.25);
  });

  it('flags an asset while its anomaly is open, with the worst severity, and clears it at expiry', () => {
    const view = createRoutingView(options);
    view.applyAssets([event('a')]);
    view.applySamples([sample('a', T0, 40)]);
    view.applyAnomalies([anomaly('a', 0.3, T0), anomaly('a', 0.8, T0 + 500)]);
    expect(view.poolAt(T0 + 100, null).perf.anomalySeverity[0]).toBe(0.8);
    expect(view.poolAt(T0 + 1_200, null).perf.anomalySeverity[0]).toBe(0.8);
    expect(view.poolAt(T0 + 1_500, null).perf.anomalySeverity[0]).toBe(-1);
    expect(view.poolAt(T0 + 1_600, null).assets[0]!.performance.anomalyActive).toBe(false);
  });
});
