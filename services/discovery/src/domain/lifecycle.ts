/**
 * Lifecycle: from the registry and `nowMs` to the `AssetEvent`s to publish. The rules:
 *
 * - `added`: the first time an asset is published.
 * - `updated`: a published attribute (kind, name, provider, region, capabilities, compliance tags,
 *   labels, sources) changed, or telemetry resumed after `stale`. Nothing else: no churn.
 * - `stale`: the asset has telemetry and its latest sample is older than `staleAfterMs`. The latest
 *   record's `change` is also the asset's status, so while stale, attribute changes are published
 *   as `stale` too (an `updated` would tell the router it is healthy again).
 * - `removed`: nothing has vouched for the asset for `removalGraceMs`. A snapshot source vouches
 *   while it lists the asset; telemetry vouches while fresh, or, for an asset no snapshot source
 *   has ever listed, for `telemetryRetentionMs` after its last sample. So a telemetry-only asset
 *   goes stale after minutes but is removed only after a day, while an asset an operator dropped
 *   from the file is removed after the grace once its telemetry has stopped too.
 * - While no source reports an asset at all it is not republished (its sources shrinking to none is
 *   the removal itself), and an asset dropped before it was ever published is forgotten silently.
 */
import type { AssetEvent } from '@maestro/contracts';
import type { SourceReport } from './asset';
import { findSource, isSnapshotSource, isTelemetrySource } from './catalog';
import type { ResolvedDiscoveryConfig } from './config';
import { mergeContributions } from './merge';
import { sameAttributes, toAssetEvent } from './published';
import type { AssetEntry, RegistryState } from './registry';
import { applyReport, REGISTRY_STATE_VERSION } from './registry';

/** The registry after an evaluation and the records to publish, ordered by asset id. */
export interface Evaluation {
  readonly state: RegistryState;
  readonly events: readonly AssetEvent[];
}

/** Where one asset stands at `nowMs`. */
export interface AssetVitals {
  /** Latest telemetry observation, `null` when the asset has none. */
  readonly lastSeenMs: number | null;
  readonly stale: boolean;
  /** Some snapshot source lists it now. */
  readonly listed: boolean;
  /** When it will be removed unless a source reports it again (`Infinity` while listed). */
  readonly removeAtMs: number;
}

/** Applies the reports in order, then evaluates: one call per poll round or telemetry batch. */
export function reconcile(
  state: RegistryState,
  reports: readonly SourceReport[],
  nowMs: number,
  config: ResolvedDiscoveryConfig,
): Evaluation {
  const applied = reports.reduce((acc, report) => applyReport(acc, report, nowMs, config), state);
  return evaluate(applied, nowMs, config);
}

/** Decides every asset's lifecycle at `nowMs` (see the rules above). */
export function evaluate(state: RegistryState, nowMs: number, config: ResolvedDiscoveryConfig): Evaluation {
  const kept: [string, AssetEntry][] = [];
  const events: AssetEvent[] = [];
  const ids = Object.keys(state.assets).sort();
  for (const id of ids) {
    const entry = state.assets[id];
    if (entry === undefined) continue;
    const outcome = assess(withoutUnknownSources(entry, nowMs, config), nowMs, config);
    events.push(...outcome.events);
    if (outcome.entry !== null) kept.push([id, outcome.entry]);
  }
  return { state: { version: REGISTRY_STATE_VERSION, assets: Object.fromEntries(kept) }, events };
}

/** Computes an asset's telemetry freshness and removal deadline. */
export function assetVitals(entry: AssetEntry, nowMs: number, config: ResolvedDiscoveryConfig): AssetVitals {
  let lastSeenMs: number | null = null;
  let clockMs: number | null = null;
  for (const c of entry.contributions) {
    if (!isTelemetrySource(config, c.source)) continue;
    lastSeenMs = Math.max(lastSeenMs ?? c.observedAtMs, c.observedAtMs);
    const since = Math.max(c.observedAtMs, c.restoredAtMs ?? c.observedAtMs);
    clockMs = Math.max(clockMs ?? since, since);
  }
  const listed = entry.contributions.some((c) => isSnapshotSource(config, c.source));
  const telemetryWindowMs = entry.everListed ? config.staleAfterMs : config.telemetryRetentionMs;
  const telemetryVouchesUntil = clockMs === null ? Number.NEGATIVE_INFINITY : clockMs + telemetryWindowMs;
  const listingVouchesUntil = listed ? Number.POSITIVE_INFINITY : (entry.unlistedAtMs ?? Number.NEGATIVE_INFINITY);
  return {
    lastSeenMs,
    stale: clockMs !== null && nowMs - clockMs > config.staleAfterMs,
    listed,
    removeAtMs: Math.max(telemetryVouchesUntil, listingVouchesUntil) + config.removalGraceMs,
  };
}

function assess(entry: AssetEntry, nowMs: number, config: ResolvedDiscoveryConfig): { entry: AssetEntry | null; events: AssetEvent[] } {
  const vitals = assetVitals(entry, nowMs, config);
  const { published } = entry;
  if (nowMs >= vitals.removeAtMs || (published === null && entry.contributions.length === 0)) {
    if (published === null) return { entry: null, events: [] };
    const lastSeenMs = vitals.lastSeenMs ?? published.lastSeenMs;
    return { entry: null, events: [{ ...published, change: 'removed', sources: [], lastSeenMs, atMs: nowMs }] };
  }
  if (entry.contributions.length === 0) return { entry, events: [] };
  const merged = mergeContributions(entry.contributions, config);
  if (published === null) {
    const added = toAssetEvent(entry.assetId, 'added', merged, vitals.lastSeenMs, nowMs);
    // Seen for the first time already stale (a buffered agent): say both, so the compacted record
    // ends on the truth while consumers that track additions still see one.
    const events: AssetEvent[] = vitals.stale ? [added, { ...added, change: 'stale' }] : [added];
    return { entry: { ...entry, published: events[events.length - 1] ?? added }, events };
  }
  const wasStale = published.change === 'stale';
  if (vitals.stale === wasStale && sameAttributes(published, merged)) return { entry, events: [] };
  const event = toAssetEvent(entry.assetId, vitals.stale ? 'stale' : 'updated', merged, vitals.lastSeenMs, nowMs);
  return { entry: { ...entry, published: event }, events: [event] };
}

// A source taken out of the configuration (or renamed) stops vouching: its contributions go, and an
// asset it alone listed starts its removal grace now rather than vanishing at once.
function withoutUnknownSources(entry: AssetEntry, nowMs: number, config: ResolvedDiscoveryConfig): AssetEntry {
  const contributions = entry.contributions.filter((c) => findSource(config, c.source) !== undefined);
  if (contributions.length === entry.contributions.length) return entry;
  const listed = contributions.some((c) => isSnapshotSource(config, c.source));
  return { ...entry, contributions, unlistedAtMs: listed ? null : (entry.unlistedAtMs ?? nowMs) };
}
