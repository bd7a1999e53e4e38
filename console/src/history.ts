/**
 * What the console loads when it opens, per list route, before the live stream adds to it: enough for
 * the views (a fleet of 10,000 assets, the recent incidents), little enough to open in a second or two.
 * Each route names the event kinds it serves (the read API's LIST_ROUTES), so that a failed route
 * tells the store which kinds it does not have (EventStore.setUnloaded), and one that stopped at its
 * bound from when it has them all (EventStore.setHistoryStart). The audit is the healer's alone
 * (`service=healer`): the store keeps no other (event-store.ts), and the rest is most of the audit.
 */
import type { EventKind } from './event';

export const HISTORY: readonly (readonly [path: string, max: number, kinds: readonly EventKind[], params?: Readonly<Record<string, string>>])[] = [
  ['/v1/assets', 10_000, ['asset']],
  ['/v1/anomalies', 2_000, ['anomaly']],
  ['/v1/actions', 2_000, ['action', 'result']],
  ['/v1/recommendations', 1_000, ['recommendation']],
  ['/v1/routing-decisions', 500, ['routing']],
  ['/v1/plans', 500, ['plan', 'execution']],
  // A decision, a result and a recovery check per incident: three records for each anomaly loaded.
  ['/v1/audit', 6_000, ['audit'], { service: 'healer' }],
];

/** The kinds served by the routes given (those whose history failed). */
export function kindsOf(paths: Iterable<string>): Set<EventKind> {
  const failed = new Set(paths);
  return new Set(HISTORY.filter(([path]) => failed.has(path)).flatMap(([, , kinds]) => kinds));
}

/** The route that serves a kind, to name in what a view says of it. */
export function routeOf(kind: EventKind): string {
  return HISTORY.find(([, , kinds]) => kinds.includes(kind))?.[0] ?? `the ${kind} list`;
}

/**
 * How a view's history load went. A view whose route failed holds only what arrived live since: it
 * must not say it has nothing (the banner above says what failed), so it says it is not loaded.
 */
export interface ListHistory {
  readonly state: 'loading' | 'loaded' | 'failed';
  /** Asks for the history again (every route, as the banner's retry does). */
  retry(): void;
}
