/**
 * Everything the console has seen, indexed for its views: events per kind in time order, the latest
 * event of each asset, and the links of an incident (anomaly → actions → results). Adding an event
 * is O(log n) and views read the indexes, so 10,000 events never cost a scan per event. Bounded:
 * past `maxPerKind` the oldest of a kind are dropped (the read API still has them).
 *
 * Of the audit records it keeps the healer's (`healing.*`) alone: they are what the views read (an
 * incident's decisions), and the other services write far more of them (the optimizer one per
 * recommendation), which would push the healer's out of the bound within minutes. The Audit page
 * asks the read API itself.
 */
import { list, text, type EventKind, type ProjectedEvent } from './event';

/** How long an anomaly without a succeeded result counts as open. */
export const OPEN_WINDOW_MS = 30 * 60_000;

/**
 * 'unknown' when the history it is told from did not load: no open anomaly is known but the anomalies
 * did not load (not 'healthy'), or one is known but the actions that may have resolved it did not, or
 * do not reach back to it (not 'degraded').
 */
export type Health = 'healthy' | 'degraded' | 'removed' | 'unknown';

/** Said on hover of an unknown health. */
export const UNKNOWN_HEALTH = 'health unknown: the anomalies or the actions it is told from did not load (see above), or the actions held do not reach back to its open anomaly';

export interface EventStore {
  /** Bumped on every change; views re-render on it. */
  readonly version: number;
  add(events: readonly ProjectedEvent[]): void;
  /** The kind's events, oldest first. */
  ofKind(kind: EventKind): readonly ProjectedEvent[];
  /** The latest asset event of each asset, by id. */
  assets(): ReadonlyMap<string, ProjectedEvent>;
  anomaliesOf(assetId: string): readonly ProjectedEvent[];
  actionsOf(anomalyId: string): readonly ProjectedEvent[];
  resultsOf(actionId: string): readonly ProjectedEvent[];
  /** The healer's audit records about an anomaly or an action (by the anomalyId or actionId in their details), oldest first. */
  auditAbout(id: string): readonly ProjectedEvent[];
  /** Anomalies of the asset still open at `nowMs`: none of their actions succeeded, detected within OPEN_WINDOW_MS. */
  openAnomalies(assetId: string, nowMs: number): ProjectedEvent[];
  health(assetId: string, nowMs: number): Health;
  /**
   * The kinds whose history request failed (./history.ts maps routes to kinds), replacing the last
   * such word: what is told from them (health, an incident's decision, a count) is then unknown,
   * not empty. A change is a change of the store (views render again).
   */
  setUnloaded(kinds: ReadonlySet<EventKind>): void;
  /** False while the kind's history request has failed: the store holds only what arrived live since. */
  loaded(kind: EventKind): boolean;
  /**
   * Records that the kind's history stopped at its bound with an event at `atMs`: older events of the
   * kind, and others at that instant, may exist that the store never had.
   */
  setHistoryStart(kind: EventKind, atMs: number): void;
  /**
   * The store holds every event of the kind later than this, as far as the read API kept them: the
   * start of a history that stopped at its bound, or the newest event trimmed away; -Infinity while
   * neither happened. What is told of an older event from the kind (an incident's actions and
   * decisions) is unknown, not absent.
   */
  completeAfter(kind: EventKind): number;
  subscribe(listener: () => void): () => void;
}

const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
  const found = map.get(key);
  if (found) found.push(value);
  else map.set(key, [value]);
};

/** Inserts keeping `atMs` ascending; live events are nearly always the newest, so this is a push. */
function insertByTime(events: ProjectedEvent[], event: ProjectedEvent): void {
  if (events.length === 0 || events[events.length - 1]!.atMs <= event.atMs) {
    events.push(event);
    return;
  }
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.atMs <= event.atMs) lo = mid + 1;
    else hi = mid;
  }
  events.splice(lo, 0, event);
}

/** The anomaly and action ids a healer audit record's details name. */
function idsInDetails(json: string): string[] {
  try {
    const details = JSON.parse(json || '{}') as { anomalyId?: unknown; actionId?: unknown };
    return [details.anomalyId, details.actionId].filter((id): id is string => typeof id === 'string' && id !== '');
  } catch {
    return [];
  }
}

/** Events of a kind the browser keeps (the newest; trimmed back to this when it passes a quarter more). */
export const MAX_PER_KIND = 10_000;

export function createEventStore(maxPerKind = MAX_PER_KIND): EventStore {
  const seen = new Set<string>();
  const byKind = new Map<EventKind, ProjectedEvent[]>();
  const assets = new Map<string, ProjectedEvent>();
  const anomaliesByAsset = new Map<string, ProjectedEvent[]>();
  const actionsByAnomaly = new Map<string, ProjectedEvent[]>();
  const resultsByAction = new Map<string, ProjectedEvent[]>();
  const auditById = new Map<string, ProjectedEvent[]>();
  const listeners = new Set<() => void>();
  let unloaded: ReadonlySet<EventKind> = new Set();
  const horizons = new Map<EventKind, number>();
  const raiseHorizon = (kind: EventKind, atMs: number): boolean => {
    if (atMs <= (horizons.get(kind) ?? -Infinity)) return false;
    horizons.set(kind, atMs);
    return true;
  };
  let version = 0;
  const changed = (): void => {
    version++;
    for (const listener of listeners) listener();
  };

  /** The side indexes an event is in, each as (map, key): where it is added, and where it is removed from when trimmed. */
  const linksOf = (event: ProjectedEvent): [Map<string, ProjectedEvent[]>, string][] => {
    switch (event.kind) {
      case 'anomaly':
        return event.assetId ? [[anomaliesByAsset, event.assetId]] : [];
      case 'action':
        return [[actionsByAnomaly, text(event, 'anomalyId')]];
      case 'result':
        return [[resultsByAction, text(event, 'actionId')]];
      case 'audit':
        // Parsed once here, so that an incident finds its decisions without a scan per render.
        return text(event, 'kind').startsWith('healing.') ? idsInDetails(text(event, 'detailsJson')).map((id) => [auditById, id]) : [];
      default:
        return [];
    }
  };

  /**
   * Forgets events trimmed from their kind: out of the side indexes too, or those would keep every
   * event of a long session alive. An asset's latest event stays: the fleet is bounded by its size.
   */
  const forget = (dropped: readonly ProjectedEvent[]): void => {
    const gone = new Set<ProjectedEvent>(dropped);
    const touched = new Map<Map<string, ProjectedEvent[]>, Set<string>>();
    for (const event of dropped) {
      seen.delete(event.id);
      for (const [map, key] of linksOf(event)) {
        const keys = touched.get(map) ?? new Set<string>();
        touched.set(map, keys.add(key));
      }
    }
    for (const [map, keys] of touched) {
      for (const key of keys) {
        const kept = (map.get(key) ?? []).filter((e) => !gone.has(e));
        if (kept.length > 0) map.set(key, kept);
        else map.delete(key);
      }
    }
  };

  const index = (event: ProjectedEvent): void => {
    let events = byKind.get(event.kind);
    if (!events) byKind.set(event.kind, (events = []));
    insertByTime(events, event);
    // Trim in steps of a quarter so that trimming stays amortised O(1) per event.
    if (events.length > maxPerKind * 1.25) {
      const dropped = events.slice(0, events.length - maxPerKind);
      byKind.set(event.kind, events.slice(events.length - maxPerKind));
      forget(dropped);
      raiseHorizon(event.kind, dropped[dropped.length - 1]!.atMs);
      // The event just added may be among the oldest (a late history page): then it is gone already.
      if (!seen.has(event.id)) return;
    }
    if (event.kind === 'asset') {
      const id = event.assetId ?? text(event, 'assetId');
      const current = assets.get(id);
      if (!current || current.atMs <= event.atMs) assets.set(id, event);
      return;
    }
    for (const [map, key] of linksOf(event)) push(map, key, event);
  };

  const store: EventStore = {
    get version() {
      return version;
    },
    add(events) {
      let added = false;
      for (const event of events) {
        if (seen.has(event.id) || (event.kind === 'audit' && !text(event, 'kind').startsWith('healing.'))) continue;
        seen.add(event.id);
        index(event);
        added = true;
      }
      if (added) changed();
    },
    ofKind: (kind) => byKind.get(kind) ?? [],
    assets: () => assets,
    anomaliesOf: (assetId) => anomaliesByAsset.get(assetId) ?? [],
    actionsOf: (anomalyId) => actionsByAnomaly.get(anomalyId) ?? [],
    resultsOf: (actionId) => resultsByAction.get(actionId) ?? [],
    auditAbout: (id) => auditById.get(id) ?? [],
    openAnomalies(assetId, nowMs) {
      return store.anomaliesOf(assetId).filter((anomaly) => {
        if (nowMs - anomaly.atMs > OPEN_WINDOW_MS) return false;
        const actions = store.actionsOf(text(anomaly, 'anomalyId'));
        return !actions.some((action) => store.resultsOf(text(action, 'actionId')).some((r) => text(r, 'status') === 'succeeded'));
      });
    },
    health(assetId, nowMs) {
      const asset = assets.get(assetId);
      if (asset && text(asset, 'change') === 'removed') return 'removed';
      // An anomaly is open until a result says otherwise: results come with the actions. One older than
      // the actions held may have been resolved by an action the console never had.
      const open = store.openAnomalies(assetId, nowMs);
      if (open.length > 0) return unloaded.has('action') || !open.some((a) => a.atMs > store.completeAfter('action')) ? 'unknown' : 'degraded';
      return unloaded.has('anomaly') ? 'unknown' : 'healthy';
    },
    setUnloaded(kinds) {
      if (kinds.size === unloaded.size && [...kinds].every((k) => unloaded.has(k))) return;
      unloaded = new Set(kinds);
      changed();
    },
    loaded: (kind) => !unloaded.has(kind),
    setHistoryStart(kind, atMs) {
      if (raiseHorizon(kind, atMs)) changed();
    },
    completeAfter: (kind) => horizons.get(kind) ?? -Infinity,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return store;
}

/** The reasons a healing action gives for itself. */
export const reasonsOf = (action: ProjectedEvent): string[] => list(action, 'reasons');
