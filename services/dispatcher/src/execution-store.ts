/**
 * The dispatcher's state and where it lives: one record per charter with the execution of each of
 * its committed goals, event-sourced on the compacted `executions` topic (key: the charter's scope
 * `<tenant>/<charterId>`, libs/protocol/src/charter-scope.ts) and
 * mirrored as JSON in Redis. One record per charter because `dispatch.next` without a goal id draws
 * from every goal and `outcome.report` names only the charter and the work order. The charter and
 * executors are copied in at each sync with the planner's state, so that the dispatcher keeps
 * serving a running plan while the planner's working copy is being rebuilt.
 */
import { topics, type ExecutionRecord } from '@maestro/contracts';
import type { OutboundRecord, TopicBatch } from '@maestro/bus';
import { charterScope, type ReplayEntry, type StateCommit } from '@maestro/protocol';
import type { Keyspace, Redis } from '@maestro/state';
import type { Charter, Executor } from '../../planner/src/domain';
import { summarize, type ExecutionState } from './domain';

/** The execution of one committed goal. */
export interface GoalExecution {
  readonly goalId: string;
  /** The committed planner version being executed (re-plans applied in place bump it). */
  readonly version: number;
  readonly state: ExecutionState;
  /** Re-plans applied to this execution, by the dispatcher itself or from a committed replan. */
  readonly replans: number;
}

/** Everything the dispatcher keeps for one charter. */
export interface CharterExecutions {
  readonly revision: number;
  readonly charterId: string;
  readonly tenant: string;
  readonly updatedAtMs: number;
  readonly charter: Charter;
  readonly executors: readonly Executor[];
  readonly executions: readonly GoalExecution[];
}

/** Redis key of a charter's executions, by scope; the planner reads it (read-only) for goal status and progress. */
export function executionKey(keys: Keyspace, scope: string): string {
  return keys.key('dispatcher', 'executions', scope);
}

/** The scope of a charter's executions. */
export const executionScope = (state: Pick<CharterExecutions, 'tenant' | 'charterId'>): string => charterScope(state.tenant, state.charterId);

export function executionRecord(state: CharterExecutions): OutboundRecord<ExecutionRecord> {
  const running = state.executions.filter(isLive).length;
  const completed = state.executions.filter((e) => e.state.status === 'completed').length;
  return {
    key: executionScope(state),
    value: {
      charterId: state.charterId, tenant: state.tenant, revision: state.revision, running, completed,
      updatedAtMs: state.updatedAtMs, stateJson: JSON.stringify(state),
    },
  };
}

export function parseExecutions(text: string | null | undefined): CharterExecutions | null {
  return text ? (JSON.parse(text) as CharterExecutions) : null;
}

/** The `executions` records of the given working-copy keys as they are now (a redelivered request's state). */
export async function executionStateRecords(redis: Redis, keys: readonly string[]): Promise<TopicBatch[]> {
  if (keys.length === 0) return [];
  const states = (await redis.mget([...keys])).map(parseExecutions).filter((s): s is CharterExecutions => s !== null);
  return [{ spec: topics.executions, records: states.map(executionRecord) }];
}

/** The sorted set of charters (their scopes) by their next lease expiry, which the lease timer reads. */
export function leaseIndexKey(keys: Keyspace): string {
  return keys.global('dispatcher', 'lease-due');
}

/**
 * KEYS[1]: the lease index. ARGV: now, the score a claimed charter gets meanwhile, the most to claim.
 * Returns the charters due by now and moves them to the later score, so that replicas' timers do
 * not ask for the same expiry at once; the expiry's own commit then files each where it belongs.
 */
const CLAIM_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[2], member) end
return due
`;

/** Claims up to `limit` charter scopes whose next lease expiry has passed; unclaimed again after `reclaimAfterMs` if nobody filed them. */
export async function claimDueCharters(redis: Redis, keys: Keyspace, nowMs: number, reclaimAfterMs: number, limit: number): Promise<string[]> {
  return (await redis.eval(CLAIM_DUE, 1, leaseIndexKey(keys), String(nowMs), String(nowMs + reclaimAfterMs), String(limit))) as string[];
}

/** An execution that still has work to hand out or wait for. */
export const isLive = (e: GoalExecution): boolean => e.state.status === 'running' || e.state.status === 'awaiting_replan';

/** When the charter's next lease expires (null: no lease out). */
export function nextLeaseExpiry(state: CharterExecutions, nowMs: number): number | null {
  let next: number | null = null;
  for (const e of state.executions) {
    if (!isLive(e)) continue;
    const due = summarize(e.state, nowMs).nextLeaseExpiryAtMs;
    if (due !== null && (next === null || due < next)) next = due;
  }
  return next;
}

/**
 * The change of a charter's working copy from `previousRevision` (0: none) to `next` (null: only
 * the lease index is brought in line with the state at `previousRevision`).
 */
export function executionChange(keys: Keyspace, scope: string, previousRevision: number, next: CharterExecutions | null, leaseDueAtMs: number | null): StateCommit {
  const key = executionKey(keys, scope);
  return {
    guard: { key, expectedRevision: previousRevision },
    writes: next ? [{ key, json: JSON.stringify(next) }] : [],
    index: { key: leaseIndexKey(keys), member: scope, score: leaseDueAtMs },
  };
}

/** The Redis key and revision of a replayed `executions` record (scoped by its tenant, whatever its topic key). */
export function executionReplayEntry(keys: Keyspace) {
  return (value: ExecutionRecord): ReplayEntry => {
    const id = executionScope(value);
    return { key: executionKey(keys, id), json: value.stateJson, revision: Number(value.revision), id };
  };
}
