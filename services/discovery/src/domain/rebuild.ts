/**
 * Rebuilding the registry from the compacted `assets` topic, for a start without a stored state.
 *
 * The topic holds each asset's merged record, not what each source said, so every source named in
 * `sources` gets a stand-in contribution carrying the published attributes. Merging identical
 * stand-ins reproduces the published record, so a restart publishes nothing by itself; each
 * stand-in is replaced as soon as its source reports again (a snapshot source's first poll replaces
 * all of its stand-ins at once, and drops the assets it no longer lists).
 *
 * Telemetry stand-ins carry only what telemetry can say (provider, region, labels): a stand-in that
 * outlives its source must not keep supplying a name or an attestation the file has since dropped.
 * Their staleness clock restarts at the rebuild, so the telemetry consumer has one staleness window
 * to catch up before anything is marked stale; an asset already published as stale stays stale.
 */
import type { AssetEvent } from '@maestro/contracts';
import { findSource } from './catalog';
import type { ResolvedDiscoveryConfig } from './config';
import type { AssetEntry, Contribution, RegistryState } from './registry';
import { REGISTRY_STATE_VERSION } from './registry';

/**
 * The registry implied by the records read from the `assets` topic, oldest first (a compacted read
 * may still hold several records of a key: the last one wins). Removed assets are left out, and so
 * is any source no longer in the catalog; an asset left with no known source starts its removal
 * grace at `nowMs`.
 */
export function registryFromEvents(events: Iterable<AssetEvent>, nowMs: number, config: ResolvedDiscoveryConfig): RegistryState {
  const latest = new Map<string, AssetEvent>();
  for (const event of events) latest.set(event.assetId, event);
  const entries: [string, AssetEntry][] = [];
  for (const [id, event] of latest) {
    if (event.change === 'removed') continue;
    entries.push([id, entryFromEvent(event, nowMs, config)]);
  }
  return { version: REGISTRY_STATE_VERSION, assets: Object.fromEntries(entries) };
}

function entryFromEvent(event: AssetEvent, nowMs: number, config: ResolvedDiscoveryConfig): AssetEntry {
  const contributions: Contribution[] = [];
  for (const source of new Set(event.sources)) {
    const spec = findSource(config, source);
    if (spec === undefined) continue;
    contributions.push(spec.mode === 'snapshot' ? snapshotStandIn(event, source, nowMs) : telemetryStandIn(event, source, nowMs));
  }
  const everListed = contributions.some((c) => findSource(config, c.source)?.mode === 'snapshot');
  return {
    assetId: event.assetId,
    contributions,
    published: event,
    everListed,
    unlistedAtMs: everListed || contributions.length > 0 ? null : nowMs,
  };
}

function snapshotStandIn(event: AssetEvent, source: string, nowMs: number): Contribution {
  return {
    assetId: event.assetId,
    kind: event.kind,
    name: event.name,
    provider: event.provider,
    region: event.region,
    capabilities: event.capabilities,
    complianceTags: event.complianceTags,
    labels: event.labels,
    tenant: event.tenant,
    source,
    observedAtMs: event.atMs,
    restoredAtMs: nowMs,
  };
}

function telemetryStandIn(event: AssetEvent, source: string, nowMs: number): Contribution {
  return {
    assetId: event.assetId,
    kind: null,
    name: null,
    provider: event.provider,
    region: event.region,
    capabilities: [],
    complianceTags: [],
    labels: event.labels,
    tenant: event.tenant,
    source,
    observedAtMs: event.lastSeenMs ?? event.atMs,
    restoredAtMs: event.change === 'stale' ? null : nowMs,
  };
}
