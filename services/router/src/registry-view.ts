/**
 * The router's picture of the world, built from three streams: the asset registry (`assets`), the
 * rolling performance of each asset (`telemetry.samples`) and open anomalies (`anomalies`). It hands
 * the decision core a compiled {@link CandidatePool}, rebuilt when the registry changes and patched
 * with {@link withPerformance} when only numbers changed. Pure: no I/O; the clock is an argument.
 *
 * Tenancy: one pool per tenant (`domain/tenancy.ts`). A job is decided against its own tenant's
 * pool only, so no decision can place it on, rank, or list another tenant's asset, and the counts it
 * reports are of its tenant's assets. Per-tenant pools also keep a decision's cost proportional to
 * the tenant's fleet rather than everyone's.
 *
 * Determinism across replicas: a pool lists its assets sorted by id, and every number comes from the
 * records read, so two replicas that have read the same records compile the same pools. The one
 * clock-dependent input is anomaly expiry (`detectedAtMs + ttl` against the decision time).
 */
import type { Anomaly, AssetEvent, TelemetrySample } from '@maestro/contracts';
import type { AssetCandidate, AssetStatus, CandidatePool, PerformanceView } from './domain/index';
import { compileCandidatePool, tenantOf, withPerformance } from './domain/index';
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
  /**
   * The pool of `tenant`'s assets as of `nowMs` (null or blank: the default tenant's); the same
   * object when nothing of that tenant changed since the last call.
   */
  poolAt(nowMs: number, tenant: string | null): CandidatePool;
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

const EMPTY_POOL = compileCandidatePool([]);

/** One tenant's compiled pool and what changed for it since. */
interface TenantPool {
  pool: CandidatePool | null;
  registryChanged: boolean;
  /** Its assets whose performance or anomalies changed since the pool was last compiled or patched. */
  readonly changedPerformance: Set<string>;
  /** Its assets whose view in the pool carries an anomaly; rechecked on every call for expiry. */
  readonly flaggedInPool: Set<string>;
}

export function createRoutingView(options: RoutingViewOptions): RoutingView {
  const registry = new Map<string, AssetEvent>();
  const performance = createPerformanceViews(options.window);
  /** Per asset, the open anomalies by id (a redelivered anomaly has the same id). */
  const anomalies = new Map<string, Map<string, { severity: number; expiresAtMs: number }>>();
  const tenants = new Map<string, TenantPool>();

  const tenantPool = (tenant: string): TenantPool => {
    let t = tenants.get(tenant);
    if (!t) tenants.set(tenant, t = { pool: null, registryChanged: true, changedPerformance: new Set(), flaggedInPool: new Set() });
    return t;
  };
  /** The pool state of the tenant that owns a registered asset; undefined for an asset not (yet) registered. */
  const ownerPool = (assetId: string): TenantPool | undefined => {
    const event = registry.get(assetId);
    return event ? tenantPool(tenantOf(event.tenant)) : undefined;
  };

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

  function viewOf(t: TenantPool, assetId: string, nowMs: number): PerformanceView {
    const measured = performance.viewOf(assetId);
    const unitCost = Number.isNaN(measured.unitCost) ? listPrice(registry.get(assetId)) : measured.unitCost;
    const anomaly = anomalyAt(assetId, nowMs);
    if (anomaly.active) t.flaggedInPool.add(assetId);
    else t.flaggedInPool.delete(assetId);
    return { ...measured, unitCost, anomalyActive: anomaly.active, anomalySeverity: anomaly.severity };
  }

  return {
    applyAssets(events) {
      for (const e of events) {
        // An asset that changes tenant leaves the old tenant's pool as it joins the new one.
        const before = ownerPool(e.assetId);
        if (before) before.registryChanged = true;
        // Removed assets leave the pool: a refusal should list the assets that exist, not history.
        if (e.change === 'removed') registry.delete(e.assetId);
        else registry.set(e.assetId, e);
        tenantPool(tenantOf(e.tenant)).registryChanged = true;
      }
    },
    applySamples(samples) {
      for (const id of performance.observe(samples)) ownerPool(id)?.changedPerformance.add(id);
    },
    applyAnomalies(list) {
      for (const a of list) {
        const open = anomalies.get(a.assetId) ?? new Map<string, { severity: number; expiresAtMs: number }>();
        open.set(a.anomalyId, { severity: Math.min(1, Math.max(0, a.severity)), expiresAtMs: a.detectedAtMs + options.anomalyTtlMs });
        anomalies.set(a.assetId, open);
        ownerPool(a.assetId)?.changedPerformance.add(a.assetId);
      }
    },
    poolAt(nowMs, tenant) {
      const owner = tenantOf(tenant);
      // A tenant that never had an asset gets nothing, and no entry: job records name any tenant they like.
      const t = tenants.get(owner);
      if (!t) return EMPTY_POOL;
      if (t.pool === null || t.registryChanged) {
        t.flaggedInPool.clear();
        const ids = [...registry.keys()].filter((id) => tenantOf(registry.get(id)!.tenant) === owner).sort();
        t.pool = compileCandidatePool(ids.map((id) => ({ ...candidateOf(registry.get(id)!), performance: viewOf(t, id, nowMs) })));
        t.registryChanged = false;
        t.changedPerformance.clear();
        return t.pool;
      }
      const current = t.pool;
      const updates: [string, PerformanceView][] = [];
      for (const id of t.changedPerformance) if (current.indexById.has(id)) updates.push([id, viewOf(t, id, nowMs)]);
      // Anomalies may have expired since the last call: patch only assets whose flag actually moved,
      // so an open anomaly does not cost a column copy per batch.
      for (const id of new Set([...t.flaggedInPool, ...anomalies.keys()])) {
        const i = current.indexById.get(id);
        if (i === undefined || t.changedPerformance.has(id)) continue;
        const { active, severity } = anomalyAt(id, nowMs);
        if ((active ? severity : -1) !== current.perf.anomalySeverity[i]) updates.push([id, viewOf(t, id, nowMs)]);
      }
      t.changedPerformance.clear();
      if (updates.length > 0) t.pool = withPerformance(current, updates);
      return t.pool;
    },
    get assetCount() {
      return registry.size;
    },
  };
}
