/**
 * What the console can tell of an incident from what it holds (pure, for the Incidents view): the
 * healer's decisions about it, where the healer got with it, and why that cannot be told when the
 * lists it comes from did not load or do not reach back to it.
 */
import type { EventStore } from './event-store';
import { text, type ProjectedEvent } from './event';
import { routeOf } from './history';

/** The healer's decisions about an anomaly and its actions, oldest first. */
export function decisionsOf(store: EventStore, anomalyId: string, actions: readonly ProjectedEvent[]): ProjectedEvent[] {
  return [...new Set([...store.auditAbout(anomalyId), ...actions.flatMap((x) => store.auditAbout(text(x, 'actionId')))])].sort((a, b) => a.atMs - b.atMs);
}

/**
 * Why nothing the healer did about an anomaly can be told, when that is so: no action is known and
 * the actions did not load (it may have acted), or no action and no decision is known and either
 * list did not load; or the same lists hold nothing as old as the anomaly (their history stopped at
 * its bound, or the oldest were trimmed: EventStore.completeAfter). Null when what the console holds
 * is the whole story.
 */
export function decisionUnknown(store: EventStore, anomaly: ProjectedEvent, actions: readonly ProjectedEvent[], decisions: readonly ProjectedEvent[]): string | null {
  if (actions.length > 0) return null;
  const asked = (['action', 'audit'] as const).filter((kind) => kind === 'action' || decisions.length === 0);
  const unloaded = asked.filter((kind) => !store.loaded(kind));
  if (unloaded.length > 0) return `GET ${unloaded.map(routeOf).join(' and GET ')} did not load (see above)`;
  const older = asked.filter((kind) => anomaly.atMs <= store.completeAfter(kind));
  return older.length === 0 ? null : `it is older than the newest of GET ${older.map(routeOf).join(' and GET ')} the console holds; the asset's page reads its whole story`;
}

/**
 * Where the healer got with an anomaly, from its last step: resolved (an action succeeded), the last
 * result's status, acting (an action without a result yet), the outcome of a decision not to act
 * (suppressed_cooldown, denied_policy, ...), undecided, or unknown (see decisionUnknown).
 */
export function stateOf(actions: readonly ProjectedEvent[], results: readonly ProjectedEvent[], decisions: readonly ProjectedEvent[], unknown: boolean): string {
  if (results.some((r) => text(r, 'status') === 'succeeded')) return 'resolved';
  if (results.length > 0) return `action ${text(results[results.length - 1]!, 'status')}`;
  if (actions.length > 0) return 'acting';
  if (unknown) return 'unknown';
  return decisions.length > 0 ? text(decisions[decisions.length - 1]!, 'outcome') : 'undecided';
}
