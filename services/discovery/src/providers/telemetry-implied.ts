/**
 * Telemetry-implied provider: every asset that sends telemetry exists, even if no inventory lists
 * it. A sample says little about the asset (its id, provider, region and labels), so this source
 * has the lowest default precedence and never names a kind, a name, capabilities or attestations.
 * Pure: the discovery consumer hands it each batch of `telemetry.samples`.
 */
import type { TelemetrySample } from '@maestro/contracts';
import type { DiscoveredAsset, TelemetryDiscoveryProvider } from '../domain/index';
import { dedupeAssets } from '../domain/index';

/** Options of {@link createTelemetryImpliedProvider}. */
export interface TelemetryImpliedProviderOptions {
  /** @default "telemetry" */
  readonly name?: string;
  /** @default 100 */
  readonly precedence?: number;
}

/** Creates the provider. */
export function createTelemetryImpliedProvider(options: TelemetryImpliedProviderOptions = {}): TelemetryDiscoveryProvider {
  const name = options.name ?? 'telemetry';
  return {
    name,
    precedence: options.precedence ?? 100,
    observeSamples: (samples) => dedupeAssets(samples.map((sample) => fromSample(sample, name))),
  };
}

// `observedAtMs` is the ingest time, not the sample's own timestamp: staleness asks "have we stopped
// hearing from it", which is Maestro's clock; an agent that buffers or runs a slow clock (ingest
// accepts samples up to minutes old) would otherwise look stale while it reports every few seconds.
function fromSample(sample: TelemetrySample, source: string): DiscoveredAsset {
  return {
    assetId: sample.assetId,
    kind: null,
    name: null,
    provider: sample.provider,
    region: sample.region,
    capabilities: [],
    complianceTags: [],
    labels: { ...sample.labels },
    tenant: sample.tenant ?? null,
    source,
    observedAtMs: sample.ingestedAtMs,
  };
}
