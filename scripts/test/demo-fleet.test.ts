/** The demo's simulated fleet: what its assets report, how faults bend it, what remediations clear. */
import { describe, expect, it } from 'vitest';
import { createFleet, demoAssets, demoProviders, demoRegions, demoScenario, faultKinds, REMEDIATION_DELAY_MS } from '../demo/fleet';

const assets = demoAssets();
const latest = (fleet: ReturnType<typeof createFleet>, id: string, nowMs: number) => fleet.signals(nowMs).find((s) => s.assetId === id)!.metrics;

describe('demo fleet', () => {
  it('has tens of assets over every region and provider, each reporting every metric the services read', () => {
    expect(assets).toHaveLength(36);
    expect(new Set(assets.map((a) => a.region))).toEqual(new Set(demoRegions));
    expect(new Set(assets.map((a) => a.provider))).toEqual(new Set(demoProviders));
    const [signal] = createFleet(assets).signals(1_000_000);
    expect(Object.keys(signal!.metrics).sort()).toEqual(['cpu', 'error_rate', 'latency_ms', 'queue_depth', 'saturation', 'throughput_rps', 'unit_cost']);
    expect(signal!.labels).toMatchObject({ replicas: expect.stringMatching(/^\d+$/), size_units: expect.stringMatching(/^\d+$/) });
    expect(signal).toMatchObject({ region: expect.any(String), provider: expect.any(String) });
  });

  it('the scenario injects each kind of incident once', () => {
    expect(demoScenario(assets).map((i) => i.kind)).toEqual([...faultKinds]);
  });

  it.each([
    ['latency_spike', 'latency_ms', (v: number, base: number) => v > base * 10],
    ['error_step', 'error_rate', (v: number) => v > 0.05],
    ['oscillation', 'latency_ms', (v: number, base: number) => v > base * 3],
  ] as const)('%s bends %s until a restart clears it, a few seconds later', (kind, metric, bent) => {
    const fleet = createFleet(assets);
    const id = 'checkout-eu-west-1-aws';
    const base = assets.find((a) => a.id === id)!.latencyMs;
    fleet.inject(kind, [id], 0);
    expect(bent(latest(fleet, id, 100)[metric]!, base)).toBe(true);
    // At 4 s, then just before 6 s: both in the oscillation's slow half-period (it flips every 2 s).
    expect(fleet.remediate(id, 'restart', 4_000)).toMatchObject({ ok: true, cleared: kind });
    expect(bent(latest(fleet, id, 4_000 + REMEDIATION_DELAY_MS - 1)[metric]!, base)).toBe(true);
    expect(fleet.faultOf(id, 4_000 + REMEDIATION_DELAY_MS)).toBeUndefined();
    expect(bent(latest(fleet, id, 4_000 + REMEDIATION_DELAY_MS)[metric]!, base)).toBe(false);
  });

  it('a CPU drift climbs slowly', () => {
    const fleet = createFleet(assets);
    const id = 'inference-ap-south-1-aws';
    fleet.inject('cpu_drift', [id], 0);
    const early = latest(fleet, id, 2_000).cpu!;
    const later = latest(fleet, id, 40_000).cpu!;
    expect(later - early).toBeGreaterThan(0.15);
  });

  it('a dark region is brought back by a failover, not by a restart', () => {
    const fleet = createFleet(assets);
    const id = 'search-sa-east-1-azure';
    fleet.inject('region_dark', [id], 0);
    expect(latest(fleet, id, 100)).toMatchObject({ error_rate: 1 });
    expect(fleet.remediate(id, 'restart', 1_000)).toMatchObject({ ok: false, detail: expect.stringContaining('only a failover') });
    expect(fleet.faultOf(id, 60_000)?.kind).toBe('region_dark');
    expect(fleet.remediate(id, 'failover', 60_000)).toMatchObject({ ok: true, cleared: 'region_dark' });
    expect(latest(fleet, id, 60_000 + REMEDIATION_DELAY_MS).error_rate).toBeLessThan(0.01);
  });

  it('a remediation of a healthy asset clears nothing, and an unknown asset is refused', () => {
    const fleet = createFleet(assets);
    expect(fleet.remediate('checkout-eu-west-1-aws', 'throttle', 0)).toMatchObject({ ok: true, cleared: null });
    expect(fleet.remediate('nope', 'throttle', 0)).toMatchObject({ ok: false });
  });
});
