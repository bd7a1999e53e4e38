import { describe, expect, it } from 'vitest';
import type { TelemetrySample } from '@maestro/contracts';
import { createTelemetryImpliedProvider } from '../../src/providers/index';

const sample = (assetId: string, ingestedAtMs: number, extra: Partial<TelemetrySample> = {}): TelemetrySample => ({
  assetId,
  timestampMs: ingestedAtMs - 5_000,
  ingestedAtMs,
  metrics: { cpu_utilization: 0.5 },
  region: 'eu-west-1',
  provider: 'aws',
  labels: { team: 'core' },
  tenant: null,
  ...extra,
});

describe('createTelemetryImpliedProvider', () => {
  const provider = createTelemetryImpliedProvider();

  it('has the documented defaults', () => {
    expect([provider.name, provider.precedence]).toEqual(['telemetry', 100]);
    expect(createTelemetryImpliedProvider({ name: 'agents', precedence: 7 })).toMatchObject({ name: 'agents', precedence: 7 });
  });

  it('implies an asset from a sample: id, provider, region, labels, seen at ingest time', () => {
    expect(provider.observeSamples([sample('a', 10_000, { tenant: 'acme' })])).toEqual([
      { assetId: 'a', kind: null, name: null, provider: 'aws', region: 'eu-west-1', capabilities: [], complianceTags: [], labels: { team: 'core' }, tenant: 'acme', source: 'telemetry', observedAtMs: 10_000 },
    ]);
  });

  it('keeps the latest sample of each asset in a batch', () => {
    const implied = provider.observeSamples([sample('a', 3, { region: 'late' }), sample('b', 1), sample('a', 2, { region: 'early' })]);
    expect(implied.map((a) => `${a.assetId}:${a.region}:${a.observedAtMs}`)).toEqual(['a:late:3', 'b:eu-west-1:1']);
  });

  it('carries nulls through and does not share the sample labels', () => {
    const s = sample('a', 1, { region: null, provider: null });
    const [implied] = provider.observeSamples([s]);
    expect(implied).toMatchObject({ region: null, provider: null });
    expect(implied?.labels).not.toBe(s.labels);
  });
});
