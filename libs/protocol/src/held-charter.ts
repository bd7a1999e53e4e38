/**
 * A held charter (./compacted-replay.ts): one whose newest stored record could not be read when the
 * service rebuilt its working copy. What is kept about it, where, and the `state_unreadable`
 * refusal both the service holding it and the planner (for the dispatcher's holds) answer with.
 */
import type { Keyspace } from '@maestro/state';

/** Why a charter is held, as kept in Redis and quoted in its refusals. */
export interface HeldCharter {
  readonly reason: string;
  readonly records: readonly { readonly topic: string; readonly partition: number; readonly offset: string; readonly key: string; readonly code: string }[];
  readonly heldAtMs: number;
}

/** Where a service keeps a held charter's reason, by the charter's scope: the planner reads the dispatcher's. */
export function heldStateKey(keys: Keyspace, service: string, scope: string): string {
  return keys.key(service, 'held', scope);
}

/** The set of a service's held scopes: what the next replay lifts if it does not hold them again, and the gauge counts. */
export function heldIndexKey(keys: Keyspace, service: string): string {
  return keys.global(service, 'held');
}

/**
 * The reason and details of a `state_unreadable` refusal, from the held charter's kept text: `lead`
 * names who holds what, `consequence` says what was not done and what to do, given the hold.
 */
export function heldRefusal(text: string, lead: string, consequence: (held: HeldCharter) => string): { reasons: string[]; details: { records: HeldCharter['records']; heldAtMs: number } } {
  const held = JSON.parse(text) as HeldCharter;
  return { reasons: [`${lead}: ${held.reason}. ${consequence(held)}`], details: { records: held.records, heldAtMs: held.heldAtMs } };
}
