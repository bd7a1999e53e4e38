/**
 * The audit records discovery writes: one per published lifecycle change (`discovery.change`), and
 * one per provider whose poll went wrong in a new way (`discovery.provider`, outcome `refused`).
 * Pure: built from the records and reports the round already has.
 */
import type { AssetEvent } from '@maestro/contracts';
import type { AuditEntry } from '@maestro/runtime';
import type { AssetEntry, PollReport, ResolvedDiscoveryConfig } from './domain/index';

/** Why `event` was published, given the record published before it (`null` for a first one). */
export function changeAudit(event: AssetEvent, previous: AssetEvent | null, entry: AssetEntry | undefined, config: ResolvedDiscoveryConfig): AuditEntry {
  return {
    kind: 'discovery.change',
    outcome: event.change,
    subjectId: event.assetId,
    reasons: changeReasons(event, previous, entry, config),
    details: { previous: previous?.change ?? null, sources: event.sources, lastSeenMs: event.lastSeenMs, atMs: event.atMs },
  };
}

function changeReasons(event: AssetEvent, previous: AssetEvent | null, entry: AssetEntry | undefined, config: ResolvedDiscoveryConfig): string[] {
  const since = event.lastSeenMs === null ? 'never' : new Date(event.lastSeenMs).toISOString();
  switch (event.change) {
    case 'added':
      return [`first reported by ${event.sources.join(', ')}`];
    case 'stale':
      return [`no telemetry since ${since} (stale after ${config.staleAfterMs} ms)`, ...changedFields(event, previous)];
    case 'removed':
      return entry?.everListed === false
        ? [`telemetry-only asset silent since ${since} (retention ${config.telemetryRetentionMs} ms, grace ${config.removalGraceMs} ms)`]
        : [`listed by no snapshot source and without fresh telemetry for the removal grace (${config.removalGraceMs} ms)`];
    case 'updated': {
      const resumed = previous?.change === 'stale' ? [`telemetry resumed at ${since}`] : [];
      return [...resumed, ...changedFields(event, previous)];
    }
  }
}

const FIELDS = ['kind', 'name', 'provider', 'region', 'capabilities', 'complianceTags', 'labels', 'sources'] as const;

function changedFields(event: AssetEvent, previous: AssetEvent | null): string[] {
  if (previous === null) return [];
  const changed = FIELDS.filter((field) => canonical(event[field]) !== canonical(previous[field]));
  return changed.length > 0 ? [`changed: ${changed.join(', ')}`] : [];
}

// Labels compare as maps: a record rebuilt from the topic may list them in another order.
function canonical(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify(value);
}

/** A provider's poll problems as an audit record; reasons are `code: message`. */
export function providerAudit(report: PollReport, reasons: readonly string[]): AuditEntry {
  return {
    kind: 'discovery.provider',
    outcome: 'refused',
    subjectId: report.source,
    reasons: [...reasons],
    details: { pollOutcome: report.outcome, assetCount: report.assetCount, lastGoodAtMs: report.lastGoodAtMs, atMs: report.atMs },
  };
}
