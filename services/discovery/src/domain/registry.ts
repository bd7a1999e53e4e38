/**
 * The registry: per asset, the latest contribution of every source that reports it, and the record
 * last published for it. Plain JSON (no Maps, no classes, no `undefined`), so the lead can keep it
 * in Redis as is; `rebuild.ts` derives it from the compacted `assets` topic instead.
 *
 * Reports only change contributions; deciding what to publish is `lifecycle.ts`'s job, so a batch
 * of reports followed by one evaluation publishes each asset at most once per change.
 */
import type { AssetEvent } from '@maestro/contracts';
import type { DiscoveredAsset, SourceReport } from './asset';
import { dedupeAssets } from './asset';
import { isSnapshotSource, sourceSpec } from './catalog';
import type { ResolvedDiscoveryConfig } from './config';

/** Bumped whenever the shape or meaning of the state changes; an older state is rebuilt from the topic. */
export const REGISTRY_STATE_VERSION = 1;

/** One source's latest word on one asset, as kept in the registry. */
export interface Contribution extends DiscoveredAsset {
  /**
   * The rebuild time, on a stand-in rebuilt from the topic (see `rebuild.ts`) and on the telemetry
   * contributions that replace it. The staleness clock runs from the later of this and
   * `observedAtMs`, so a restart does not mark every asset stale before the telemetry consumer has
   * caught up. `null` otherwise, and for an asset that was already stale when rebuilt.
   */
  readonly restoredAtMs: number | null;
}

/** Everything the registry knows about one asset. */
export interface AssetEntry {
  readonly assetId: string;
  /** At most one per source, any order. Telemetry contributions stay until the asset is removed. */
  readonly contributions: readonly Contribution[];
  /** The record last published (or rebuilt from the topic); `null` until the asset is first added. */
  readonly published: AssetEvent | null;
  /** True once any snapshot source has listed it: telemetry alone then vouches only while fresh. */
  readonly everListed: boolean;
  /** When the last snapshot source listing it dropped it; `null` while one lists it, or never did. */
  readonly unlistedAtMs: number | null;
}

/** The whole registry. */
export interface RegistryState {
  readonly version: typeof REGISTRY_STATE_VERSION;
  /** By asset id. Built with `Object.fromEntries`, so an id such as `__proto__` is an ordinary key. */
  readonly assets: Readonly<Record<string, AssetEntry>>;
}

/** A registry that knows no asset. */
export function emptyRegistry(): RegistryState {
  return { version: REGISTRY_STATE_VERSION, assets: {} };
}

/**
 * Accepts a state read back from storage: returns it when it is the current version, else `null`,
 * and the caller rebuilds from the topic (safer than misreading an old layout).
 */
export function restoreRegistry(stored: unknown): RegistryState | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const candidate = stored as { version?: unknown; assets?: unknown };
  if (candidate.version !== REGISTRY_STATE_VERSION || typeof candidate.assets !== 'object' || candidate.assets === null) return null;
  return stored as RegistryState;
}

/**
 * Records one source's report. A snapshot report replaces everything that source said before (an
 * asset it no longer lists loses the source); a telemetry report only refreshes the assets in it,
 * and a sample older than the one already held is ignored (redelivery, a lagging partition).
 * @throws UnknownSourceError when the source is not in the catalog.
 * @throws Error when an asset in the report names another source (a provider bug).
 */
export function applyReport(state: RegistryState, report: SourceReport, nowMs: number, config: ResolvedDiscoveryConfig): RegistryState {
  const spec = sourceSpec(config, report.source);
  const stray = report.assets.find((a) => a.source !== report.source);
  if (stray !== undefined) {
    throw new Error(`report from ${report.source} carries asset ${stray.assetId} attributed to ${stray.source}`);
  }
  const assets = new Map(Object.entries(state.assets));
  const fresh = dedupeAssets(report.assets);
  if (spec.mode === 'snapshot') {
    const listed = new Set(fresh.map((a) => a.assetId));
    for (const [id, entry] of assets) {
      if (!listed.has(id) && entry.contributions.some((c) => c.source === spec.name)) {
        assets.set(id, dropSource(entry, spec.name, nowMs, config));
      }
    }
  }
  for (const asset of fresh) {
    const entry = assets.get(asset.assetId) ?? newEntry(asset.assetId);
    const held = entry.contributions.find((c) => c.source === spec.name);
    if (spec.mode === 'telemetry' && held !== undefined && held.observedAtMs > asset.observedAtMs) continue;
    // A telemetry stand-in's rebuild time carries over to the samples that replace it, so replaying
    // the backlog after a restart (samples older than the staleness window) does not flap to stale.
    const restoredAtMs = spec.mode === 'telemetry' ? (held?.restoredAtMs ?? null) : null;
    const contributions = [...entry.contributions.filter((c) => c.source !== spec.name), { ...asset, restoredAtMs }];
    assets.set(
      asset.assetId,
      spec.mode === 'snapshot'
        ? { ...entry, contributions, everListed: true, unlistedAtMs: null }
        : { ...entry, contributions },
    );
  }
  return { version: REGISTRY_STATE_VERSION, assets: Object.fromEntries(assets) };
}

function newEntry(assetId: string): AssetEntry {
  return { assetId, contributions: [], published: null, everListed: false, unlistedAtMs: null };
}

function dropSource(entry: AssetEntry, source: string, nowMs: number, config: ResolvedDiscoveryConfig): AssetEntry {
  const contributions = entry.contributions.filter((c) => c.source !== source);
  const stillListed = contributions.some((c) => isSnapshotSource(config, c.source));
  return { ...entry, contributions, unlistedAtMs: stillListed ? null : nowMs };
}
