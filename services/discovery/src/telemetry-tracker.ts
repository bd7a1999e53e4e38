/**
 * What every replica remembers of telemetry: the latest observation of each asset, nothing more.
 * The leader feeds the ones that changed since its last round to the registry; a standby keeps them
 * so that, on taking over, it can vouch at once for every asset that is alive, however long ago the
 * former leader last saved.
 */
import type { DiscoveredAsset } from './domain/index';

export interface TelemetryTracker {
  /** Records observations; an older one than already held for an asset is ignored. */
  observe(assets: readonly DiscoveredAsset[]): void;
  /** The observations recorded since the last call, and forgets that they were new. */
  takeChanged(): DiscoveredAsset[];
  /** Every observation newer than `sinceMs`. */
  seenSince(sinceMs: number): DiscoveredAsset[];
  /** Forgets assets last seen before `beforeMs`, bounding memory by the live fleet. */
  prune(beforeMs: number): void;
}

export function createTelemetryTracker(): TelemetryTracker {
  const latest = new Map<string, DiscoveredAsset>();
  const changed = new Set<string>();
  return {
    observe(assets) {
      for (const asset of assets) {
        const held = latest.get(asset.assetId);
        if (held !== undefined && held.observedAtMs > asset.observedAtMs) continue;
        latest.set(asset.assetId, asset);
        changed.add(asset.assetId);
      }
    },
    takeChanged() {
      const out = [...changed].flatMap((id) => latest.get(id) ?? []);
      changed.clear();
      return out;
    },
    seenSince(sinceMs) {
      return [...latest.values()].filter((a) => a.observedAtMs > sinceMs);
    },
    prune(beforeMs) {
      for (const [id, asset] of latest) {
        if (asset.observedAtMs < beforeMs) {
          latest.delete(id);
          changed.delete(id);
        }
      }
    },
  };
}
