/**
 * The router's picture of the world, built from three streams: the asset registry (`assets`), the
 * rolling performance of each asset (`telemetry.samples`) and open anomalies (`anomalies`). It hands
 * the decision core a compiled {@link CandidatePool}, rebuilt when the registry changes and patched
 * with {@link withPerformance} when only numbers changed. Pure: no I/O; the clock is an argument.
 *
 * Determinism across replicas: the pool lists assets sorted by id, and every number comes from the
 * records read, so two replicas that have read the same records compile the same pool. The one
 * clock-dependent input is anomaly expiry (`detectedAtMs + ttl` against the decision time).
 */
import type { Anomaly, AssetEvent, TelemetrySample } from '@maestro/contracts';
import type { AssetCandidate, AssetStatus, CandidatePool, PerformanceView } from './domain/index';
import { compileCandidatePool, withPerformance } from './domain/index';
import { createPerformanceViews, type PerformanceWindow } from './performance-view';

/** Label an asset may carry with its list price per unit of work, used until telemetry reports `unit_cost`. */
export const UNIT_COST_LABEL = 'unit_cost';

/** Provider or region an asset event leaves out; such assets still route, under this name. */
export const UNKNOWN = 'unknown';

export interface RoutingViewOptions {
  readonly window: PerformanceWindow;
  /** How long an anomaly keeps its asset flagged after detection. */
  readonly anomalyTtlMs: number;
}

export interface RoutingView {
  applyAssets(events: readonly AssetEvent[]): void;
  applySamples(samples: readonly TelemetrySample[]): void;
  applyAnomalies(anomalies: readonly Anomaly[]): void;
  /** The pool as of `nowMs`; the same object when nothing changed since the last call. */
  poolAt(nowMs: number): CandidatePool;
  /** Assets in the registry (removed ones excluded). */
  readonly assetCount: number;
}

const STATUS_OF: Readonly<Record<AssetEvent['change'], AssetStatus>> = { added: 'active', updated: 'active', stale: 'stale', removed: 'removed' };

/** The static part of a candidate, from its latest registry record. */
export function candidateOf(event: AssetEvent): Omit<AssetCandidate, 'performance'> {
  return {
    assetId: event.assetId, provider: event.provider ?? UNKNOWN, region: event.region ?? UNKNOWN,
    capabilities: [...event.capabilities], complianceTags: [...event.complianceTags], status: STATUS_OF[event.change],
  };
}

function listPrice(event: AssetEvent | undefined): number {
  const raw = event?.labels[UNIT_COST_LABEL];
  return raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
}

export function createRoutingView(options: RoutingViewOptions): RoutingView {
  const registry = new Map<string, AssetEvent>();
  const performance = createPerformanceViews(options.window);
  /** Per asset, the open anomalies by id (a redelivered anomaly has the same id). */
  const anomalies = new Map<string, Map<string, { severity: number; expiresAtMs: number }>>();
  let pool: CandidatePool | null = null;
  let registryChanged = true;
  const changedPerformance = new Set<string>();
  /** Assets whose view in the current pool carries an anomaly; rechecked on every call for expiry. */
  const flaggedInPool = new Set<string>();

  function anomalyAt(assetId: string, nowMs: number): { active: boolean; severity: number } {
    const open = anomalies.get(assetId);
    let severity = -1;
    for (const [id, a] of open ?? []) {
      if (a.expiresAtMs <= nowMs) open!.delete(id);
      else severity = Math.max(severity, a.severity);
    }
    if (open && open.size === 0) anomalies.delete(assetId);
    return { active: severity >= 0, severity: Math.max(0, severity) };
  }

  function viewOf(assetId: string, nowMs: number): PerformanceView {
    const measured = performance.viewOf(assetId);
    const unitCost = Number.isNaN(measured.unitCost) ? listPrice(registry.get(assetId)) : measured.unitCost;
    const anomaly = anomalyAt(assetId, nowMs);
    if (anomaly.active) flaggedInPool.add(assetId);
    else flaggedInPool.delete(assetId);
    return { ...measured, unitCost, anomalyActive: anomaly.active, anomalySeverity: anomaly.severity };
  }

  return {
    applyAssets(events) {
      for (const e of events) {
        // Removed assets leave the pool: a refusal should list the assets that exist, not history.
        if (e.change === 'removed') registry.delete(e.assetId);
        else registry.set(e.assetId, e);
      }
      if (events.length > 0) registryChanged = true;
    },
    applySamples(samples) {
      for (const id of performance.observe(samples)) changedPerformance.add(id);
    },
    applyAnomalies(list) {
      for (const a of list) {
        const open = anomalies.get(a.assetId) ?? new Map<string, { severity: number; expiresAtMs: number }>();
        open.set(a.anomalyId, { severity: Math.min(1, Math.max(0, a.severity)), expiresAtMs: a.detectedAtMs + options.anomalyTtlMs });
        anomalies.set(a.assetId, open);
        changedPerformance.add(a.assetId);
      }
    },
    poolAt(nowMs) {
      if (pool === null || registryChanged) {
        flaggedInPool.clear();
        const ids = [...registry.keys()].sort();
        pool = compileCandidatePool(ids.map((id) => ({ ...candidateOf(registry.get(id)!), performance: viewOf(id, nowMs) })));
        registryChanged = false;
        changedPerformance.clear();
        return pool;
      }
      const current = pool;
      const updates: [string, PerformanceView][] = [];
      for (const id of changedPerformance) if (current.indexById.has(id)) updates.push([id, viewOf(id, nowMs)]);
      // Anomalies may have expired since the last call: patch only assets whose flag actually moved,
      // so an open anomaly does not cost a column copy per batch.
      for (const id of new Set([...flaggedInPool, ...anomalies.keys()])) {
        const i = current.indexById.get(id);
        if (i === undefined || changedPerformance.has(id)) continue;
        const { active, severity } = anomalyAt(id, nowMs);
        if ((active ? severity : -1) !== current.perf.anomalySeverity[i]) updates.push([id, viewOf(id, nowMs)]);
      }
      changedPerformance.clear();
      if (updates.length > 0) pool = withPerformance(current, updates);
      return pool;
    },
    get assetCount() {
      return registry.size;
    },
  };
}
