/**
 * The published record (`AssetEvent`, the Avro contract) and the one comparison that decides
 * whether a merge is news. `lastSeenMs` and `atMs` are deliberately not compared: every sample moves
 * `lastSeenMs`, and publishing on each would turn a compacted registry topic into a telemetry feed.
 * The latest `lastSeenMs` rides along with the next real change instead.
 */
import type { AssetChange, AssetEvent } from '@maestro/contracts';
import type { MergedAsset } from './merge';

/** Builds the wire record from a merge. Arrays and labels are copied so the state never aliases it. */
export function toAssetEvent(
  assetId: string,
  change: AssetChange,
  merged: MergedAsset,
  lastSeenMs: number | null,
  atMs: number,
): AssetEvent {
  return {
    assetId,
    change,
    kind: merged.kind,
    name: merged.name,
    provider: merged.provider,
    region: merged.region,
    capabilities: [...merged.capabilities],
    complianceTags: [...merged.complianceTags],
    labels: { ...merged.labels },
    sources: [...merged.sources],
    lastSeenMs,
    atMs,
    tenant: merged.tenant,
  };
}

/**
 * True when publishing `merged` would tell consumers nothing new about `published`. Lists and labels
 * are compared as sets and maps, so a record read back from the topic (whatever its order) matches.
 * `sources` is compared in order: its order is precedence, which is meaningful.
 */
export function sameAttributes(published: AssetEvent, merged: MergedAsset): boolean {
  return (
    published.kind === merged.kind &&
    published.name === merged.name &&
    published.provider === merged.provider &&
    published.region === merged.region &&
    (published.tenant ?? null) === merged.tenant &&
    sameSet(published.capabilities, merged.capabilities) &&
    sameSet(published.complianceTags, merged.complianceTags) &&
    sameLabels(published.labels, merged.labels) &&
    published.sources.length === merged.sources.length &&
    published.sources.every((s, i) => s === merged.sources[i])
  );
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((v) => right.has(v));
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const left = Object.entries(a);
  if (left.length !== Object.keys(b).length) return false;
  return left.every(([key, value]) => Object.hasOwn(b, key) && b[key] === value);
}
