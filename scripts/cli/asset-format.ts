/**
 * Assets as `assets` lists them: one line each with lifecycle, region, provider, kind and labels,
 * whether they came from the read API (its `asset` events) or straight from the compacted topic. Pure.
 */
import type { AssetEvent } from '@maestro/contracts';

/** The latest event per asset, in id order; an asset whose last word is a tombstone is gone. */
export function latestAssets(events: readonly (AssetEvent | null)[], keys: readonly (string | null)[]): AssetEvent[] {
  const latest = new Map<string, AssetEvent | null>();
  events.forEach((event, i) => {
    const key = event?.assetId ?? keys[i];
    if (key) latest.set(key, event);
  });
  return [...latest.values()].filter((e): e is AssetEvent => e !== null).sort((a, b) => a.assetId.localeCompare(b.assetId));
}

export function formatAsset(a: AssetEvent): string {
  const labels = Object.entries(a.labels).map(([k, v]) => `${k}=${v}`).join(',');
  return [a.assetId, a.change, a.region ?? '-', a.provider ?? '-', a.kind, a.tenant ?? 'default', labels || '-',
    a.lastSeenMs === null ? 'never seen' : `seen ${new Date(a.lastSeenMs).toISOString()}`].join('  ');
}
