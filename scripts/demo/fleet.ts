/**
 * The demo's simulated fleet: assets in several regions and providers, each reporting every metric
 * the services read (docs/telemetry.md: the router's four, the optimiser's load and shape, a series
 * for each in the detector), and faults that bend their telemetry until a remediation clears them.
 *
 * Pure: the clock is an argument and the noise is seeded, so a scenario can be replayed; the HTTP
 * edges (posting telemetry, receiving the executor's webhook) live beside it.
 */
import type { HealthSignal } from '@maestro/contracts';

/** One simulated asset and its healthy levels. */
export interface DemoAsset {
  readonly id: string;
  readonly service: string;
  readonly region: string;
  readonly provider: string;
  readonly replicas: number;
  readonly sizeUnits: number;
  readonly latencyMs: number;
  readonly errorRate: number;
  readonly throughputRps: number;
  readonly cpu: number;
  readonly unitCost: number;
}

/** The incidents the demo injects. */
export const faultKinds = ['latency_spike', 'error_step', 'cpu_drift', 'oscillation', 'region_dark'] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface Fault {
  readonly kind: FaultKind;
  readonly sinceMs: number;
}

/** What a remediation did to an asset: the fault it cleared, or why it could not. */
export type Remediation =
  | { readonly ok: true; readonly cleared: FaultKind | null; readonly detail: string }
  | { readonly ok: false; readonly detail: string };

/**
 * Strategies that can bring back an asset whose region went dark: its traffic must move elsewhere.
 * A restart or a throttle of an unreachable asset changes nothing, and the demo's receiver says so
 * (a 4xx, so the executor reports the action failed and the healer escalates at once).
 */
const BRINGS_BACK_A_DARK_REGION = new Set(['failover', 'runbook']);

/** How long a remediated asset takes to come back: its telemetry recovers after this. */
export const REMEDIATION_DELAY_MS = 2_000;

export const demoRegions = ['eu-west-1', 'us-east-1', 'ap-south-1', 'sa-east-1'] as const;
export const demoProviders = ['aws', 'gcp', 'azure'] as const;
const services = [
  { name: 'checkout', latencyMs: 45, throughputRps: 120, cpu: 0.45, unitCost: 0.012 },
  { name: 'search', latencyMs: 80, throughputRps: 300, cpu: 0.55, unitCost: 0.004 },
  { name: 'inference', latencyMs: 140, throughputRps: 40, cpu: 0.6, unitCost: 0.09 },
] as const;

/** A deterministic noise source in [-0.5, 0.5). */
export function seededNoise(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
}

/** Every service in every region on every provider: 36 assets. */
export function demoAssets(): DemoAsset[] {
  const out: DemoAsset[] = [];
  demoRegions.forEach((region, r) => demoProviders.forEach((provider, p) => services.forEach((svc, s) => {
    // Small, fixed differences between otherwise equal assets, so the router has a real choice.
    const skew = 1 + ((r * 7 + p * 3 + s) % 5) * 0.05;
    out.push({
      id: `${svc.name}-${region}-${provider}`, service: svc.name, region, provider,
      replicas: 2 + ((r + p + s) % 3), sizeUnits: s === 2 ? 4 : 2,
      latencyMs: svc.latencyMs * skew, errorRate: 0.002 * skew, throughputRps: svc.throughputRps / skew,
      cpu: Math.min(0.8, svc.cpu * skew), unitCost: svc.unitCost * (p === 2 ? 0.9 : skew),
    });
  })));
  return out;
}

/** The fleet: its assets, their faults, and what each reports at a given time. */
export interface Fleet {
  readonly assets: readonly DemoAsset[];
  /** One health signal per asset at `nowMs`, faults applied. */
  signals(nowMs: number): HealthSignal[];
  inject(kind: FaultKind, assetIds: readonly string[], nowMs: number): void;
  /** Carries out a remediation (from the executor's webhook) on one asset. */
  remediate(assetId: string, strategy: string, nowMs: number): Remediation;
  /** The asset's fault now, or undefined; a remediated fault is gone once its delay has passed. */
  faultOf(assetId: string, nowMs: number): Fault | undefined;
}

export function createFleet(assets: readonly DemoAsset[], seed = 7): Fleet {
  const noise = seededNoise(seed);
  const faults = new Map<string, Fault>();
  // A remediated fault keeps bending the telemetry until the asset has come back.
  const clearsAt = new Map<string, number>();
  const byId = new Map(assets.map((a) => [a.id, a]));

  function faultOf(assetId: string, nowMs: number): Fault | undefined {
    const at = clearsAt.get(assetId);
    if (at !== undefined && nowMs >= at) {
      faults.delete(assetId);
      clearsAt.delete(assetId);
    }
    return faults.get(assetId);
  }

  function signal(asset: DemoAsset, nowMs: number): HealthSignal {
    const jitter = () => 1 + noise() * 0.06;
    let latencyMs = asset.latencyMs * jitter();
    let errorRate = asset.errorRate * jitter();
    let throughputRps = asset.throughputRps * jitter();
    let cpu = asset.cpu * (1 + noise() * 0.04);
    const fault = faultOf(asset.id, nowMs);
    if (fault) {
      const sinceS = Math.max(0, (nowMs - fault.sinceMs) / 1000);
      switch (fault.kind) {
        case 'latency_spike':
          latencyMs = asset.latencyMs * 20 * jitter();
          break;
        case 'error_step':
          errorRate = 0.08 * jitter();
          break;
        case 'cpu_drift':
          // A slow climb of about one percentage point every two seconds, up to saturation.
          cpu = Math.min(0.99, cpu + sinceS * 0.005);
          break;
        case 'oscillation':
          // A flapping regime: a four-second square wave between normal and five times slower.
          latencyMs *= Math.floor(sinceS / 2) % 2 === 0 ? 5 : 1;
          break;
        case 'region_dark':
          // Requests time out: nothing served, everything failed, every call waits for the timeout.
          latencyMs = 5_000 * jitter();
          errorRate = 1;
          throughputRps = asset.throughputRps * 0.01 * jitter();
          break;
      }
    }
    const saturation = Math.min(1, cpu * 1.05);
    return {
      assetId: asset.id, timestampMs: nowMs, region: asset.region, provider: asset.provider, tenant: null, receivedAtMs: null,
      labels: { service: asset.service, replicas: String(asset.replicas), size_units: String(asset.sizeUnits), demo: 'true' },
      metrics: {
        latency_ms: round(latencyMs, 1), error_rate: round(Math.min(1, errorRate), 5), throughput_rps: round(throughputRps, 1),
        cpu: round(Math.min(1, cpu), 4), saturation: round(saturation, 4), queue_depth: Math.round(Math.max(0, saturation - 0.6) * 200), unit_cost: asset.unitCost,
      },
    };
  }

  return {
    assets,
    signals: (nowMs) => assets.map((a) => signal(a, nowMs)),
    inject(kind, assetIds, nowMs) {
      for (const id of assetIds) {
        if (!byId.has(id)) throw new RangeError(`no demo asset '${id}'`);
        faults.set(id, { kind, sinceMs: nowMs });
        clearsAt.delete(id);
      }
    },
    remediate(assetId, strategy, nowMs) {
      if (!byId.has(assetId)) return { ok: false, detail: `no demo asset '${assetId}'` };
      const fault = faultOf(assetId, nowMs);
      if (!fault) return { ok: true, cleared: null, detail: `${strategy} of ${assetId}: nothing was wrong with it` };
      if (fault.kind === 'region_dark' && !BRINGS_BACK_A_DARK_REGION.has(strategy)) {
        return { ok: false, detail: `${strategy} cannot help ${assetId}: its region is dark, only a failover moves its traffic` };
      }
      if (!clearsAt.has(assetId)) clearsAt.set(assetId, nowMs + REMEDIATION_DELAY_MS);
      return { ok: true, cleared: fault.kind, detail: `${strategy} of ${assetId} clears its ${fault.kind.replace('_', ' ')} in ${REMEDIATION_DELAY_MS / 1000} s` };
    },
    faultOf,
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** One scheduled incident: when (from the start of the incidents), what, on which assets. */
export interface ScheduledIncident {
  readonly atMs: number;
  readonly kind: FaultKind;
  readonly assetIds: readonly string[];
  readonly says: string;
}

/**
 * The demo's story: one incident of each kind, spaced so that each is detected and healed before
 * the next begins, all within about a minute and a half.
 */
export function demoScenario(assets: readonly DemoAsset[]): ScheduledIncident[] {
  const one = (service: string, region: string, provider: string) => `${service}-${region}-${provider}`;
  const dark = assets.filter((a) => a.region === 'sa-east-1' && a.provider === 'azure').map((a) => a.id);
  return [
    { atMs: 5_000, kind: 'latency_spike', assetIds: [one('checkout', 'eu-west-1', 'aws')], says: 'latency spike: checkout-eu-west-1-aws answers 20 times slower' },
    { atMs: 20_000, kind: 'error_step', assetIds: [one('search', 'us-east-1', 'gcp')], says: 'error-rate step: search-us-east-1-gcp fails 8 % of requests' },
    { atMs: 30_000, kind: 'cpu_drift', assetIds: [one('inference', 'ap-south-1', 'aws')], says: 'slow CPU drift: inference-ap-south-1-aws climbs a point every two seconds' },
    { atMs: 40_000, kind: 'oscillation', assetIds: [one('search', 'eu-west-1', 'azure')], says: 'oscillation: search-eu-west-1-azure flaps between normal and five times slower' },
    { atMs: 55_000, kind: 'region_dark', assetIds: dark, says: `region going dark: sa-east-1 on azure (${dark.join(', ')}) stops answering` },
  ];
}
