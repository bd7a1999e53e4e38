/**
 * Builders shared by the domain tests: a short-window configuration (so time arithmetic in a test
 * reads as minutes), assets, reports and a driver that runs a timeline and collects what is published.
 */
import type { AssetEvent } from '@maestro/contracts';
import avro from 'avsc';
import { avroSchemas } from '@maestro/contracts';
import { emptyRegistry, reconcile, resolveDiscoveryConfig } from '../../src/domain/index';
import type { DiscoveredAsset, RegistryState, SourceReport } from '../../src/domain/index';

export const MINUTE = 60_000;

/** static (300) > http (200) > telemetry (100); stale after 2 min, removal grace 10 min, retention 1 h. */
export const config = resolveDiscoveryConfig({
  staleAfterMs: 2 * MINUTE,
  removalGraceMs: 10 * MINUTE,
  telemetryRetentionMs: 60 * MINUTE,
});

/** An asset as `source` reports it, with nothing known but its id unless overridden. */
export function asset(source: string, assetId: string, overrides: Partial<DiscoveredAsset> = {}, observedAtMs = 0): DiscoveredAsset {
  return {
    assetId,
    kind: null,
    name: null,
    provider: null,
    region: null,
    capabilities: [],
    complianceTags: [],
    labels: {},
    source,
    observedAtMs,
    ...overrides,
  };
}

export function report(source: string, ...assets: DiscoveredAsset[]): SourceReport {
  return { source, assets };
}

/** A telemetry report of `ids` seen at `atMs`. */
export function seen(atMs: number, ...ids: string[]): SourceReport {
  return report('telemetry', ...ids.map((id) => asset('telemetry', id, {}, atMs)));
}

/** One step of a timeline: at `atMs`, these reports arrive and the registry is evaluated. */
export interface Step {
  readonly atMs: number;
  readonly reports?: readonly SourceReport[];
}

/** Runs the steps in order from `state`; returns the final state and every event, with its step time. */
export function run(steps: readonly Step[], state: RegistryState = emptyRegistry()): { state: RegistryState; events: AssetEvent[] } {
  const events: AssetEvent[] = [];
  let current = state;
  for (const step of steps) {
    const outcome = reconcile(current, step.reports ?? [], step.atMs, config);
    current = outcome.state;
    events.push(...outcome.events);
  }
  return { state: current, events };
}

/** `change@minute` for each event of `assetId`: a compact, readable expectation of a lifecycle. */
export function timeline(events: readonly AssetEvent[], assetId: string): string[] {
  return events.filter((e) => e.assetId === assetId).map((e) => `${e.change}@${e.atMs / MINUTE}`);
}

const assetEventType = avro.Type.forSchema(avroSchemas['maestro.discovery.AssetEvent'] as avro.Schema);
const AVRO_FIELDS = (avroSchemas['maestro.discovery.AssetEvent'] as { fields: { name: string }[] }).fields.map((f) => f.name).sort();

/** True when `event` has exactly the Avro record's fields and encodes and decodes back to itself. */
export function isWireRecord(event: AssetEvent): boolean {
  if (JSON.stringify(Object.keys(event).sort()) !== JSON.stringify(AVRO_FIELDS)) return false;
  if (!assetEventType.isValid(event)) return false;
  return JSON.stringify(assetEventType.fromBuffer(assetEventType.toBuffer(event))) === JSON.stringify(event);
}
