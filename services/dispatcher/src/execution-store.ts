/**
 * The dispatcher's state and where it lives, event-sourced on the compacted `executions` topic and
 * mirrored as JSON in Redis, keyed by the charter's scope `<tenant>/<charterId>`
 * (libs/protocol/src/charter-scope.ts):
 * - a charter record (key: the scope): the charter and executors, copied in at each sync with the
 *   planner's state so that a running plan keeps being served while the planner's working copy is
 *   rebuilt, and the list of the charter's goal executions;
 * - one record per goal execution (key: `<scope>/<goalId>`): its steps, leases and work orders.
 * Goals have records of their own because one completed 1,000-step execution is about 1.3 MB of
 * JSON (90 kB compressed): a charter record holding ten of them would not fit the broker's limit.
 * In memory the operations see one `CharterExecutions`, since `dispatch.next` without a goal id
 * draws from every goal and `outcome.report` names only the charter and the work order; a change
 * writes the charter record (whose revision guards the commit) and the goal records it changed.
 */
import { topics, type ExecutionRecord } from '@maestro/contracts';
import type { OutboundRecord, TopicBatch } from '@maestro/bus';
import { charterScope, infra, type Decision, type ReplayEntry, type StateCommit } from '@maestro/protocol';
import type { Keyspace, Redis } from '@maestro/state';
import type { Charter, Executor } from '../../planner/src/domain';
import { summarize, type ExecutionState, type ExecutionStatus } from './domain';

/** The execution of one committed goal. */
export interface GoalExecution {
  readonly goalId: string;
  /** The committed planner version being executed (re-plans applied in place bump it). */
  readonly version: number;
  readonly state: ExecutionState;
  /** Re-plans applied to this execution, by the dispatcher itself or from a committed replan. */
  readonly replans: number;
}

/** What the charter record and the operations' view share. */
interface CharterFields {
  readonly revision: number;
  readonly charterId: string;
  readonly tenant: string;
  readonly updatedAtMs: number;
  readonly charter: Charter;
  readonly executors: readonly Executor[];
}

/** Everything the dispatcher keeps for one charter, as the operations see it. */
export interface CharterExecutions extends CharterFields {
  readonly executions: readonly GoalExecution[];
  /** The executions as read from their own records: a change writes the goals not among them. Not stored. */
  readonly loaded?: ReadonlySet<GoalExecution>;
}

/** The charter record: the charter without its goals' executions, which are records of their own. */
export interface ExecutionHead extends CharterFields {
  /** Written first, `revision` second: the commit script reads it without decoding (libs/protocol/src/state-commit.ts). */
  readonly kind: 'charter_executions';
  /** The charter's goal executions, in order. */
  readonly goals: readonly { readonly goalId: string; readonly version: number; readonly status: ExecutionStatus }[];
}

/** A goal execution's record: written at the revision of the charter change that last changed it. */
export interface GoalExecutionRecord extends GoalExecution {
  readonly kind: 'goal_execution';
  readonly revision: number;
  readonly charterId: string;
  readonly tenant: string;
}

/** Redis key of a charter's record, by scope. */
export function executionKey(keys: Keyspace, scope: string): string {
  return keys.key('dispatcher', 'executions', scope);
}

/** Redis key of a goal execution's record; the planner reads it (read-only) for goal status and progress. */
export function executionGoalKey(keys: Keyspace, scope: string, goalId: string): string {
  return keys.key('dispatcher', 'execution', scope, goalId);
}

/** The scope of a charter's executions. */
export const executionScope = (state: Pick<CharterExecutions, 'tenant' | 'charterId'>): string => charterScope(state.tenant, state.charterId);

/** A charter record as the dispatcher wrote it before goals had records of their own: every execution inline. */
type InlineExecutions = Omit<CharterExecutions, 'loaded'> & { readonly kind?: undefined };

function headOf(state: CharterExecutions): ExecutionHead {
  return {
    kind: 'charter_executions', revision: state.revision, charterId: state.charterId, tenant: state.tenant, updatedAtMs: state.updatedAtMs,
    charter: state.charter, executors: state.executors, goals: state.executions.map((e) => ({ goalId: e.goalId, version: e.version, status: e.state.status })),
  };
}

function goalRecordOf(state: CharterExecutions, e: GoalExecution): GoalExecutionRecord {
  return { kind: 'goal_execution', revision: state.revision, charterId: state.charterId, tenant: state.tenant, goalId: e.goalId, version: e.version, replans: e.replans, state: e.state };
}

function headRecord(head: ExecutionHead): OutboundRecord<ExecutionRecord> {
  const live = head.goals.filter((g) => g.status === 'running' || g.status === 'awaiting_replan').length;
  const completed = head.goals.filter((g) => g.status === 'completed').length;
  return {
    key: executionScope(head),
    value: { charterId: head.charterId, tenant: head.tenant, revision: head.revision, running: live, completed, updatedAtMs: head.updatedAtMs, stateJson: JSON.stringify(head), goalId: null },
  };
}

function goalRecord(record: GoalExecutionRecord, updatedAtMs: number): OutboundRecord<ExecutionRecord> {
  return {
    key: `${executionScope(record)}/${record.goalId}`,
    value: {
      charterId: record.charterId, tenant: record.tenant, revision: record.revision, running: isLive(record) ? 1 : 0, completed: record.state.status === 'completed' ? 1 : 0,
      updatedAtMs, stateJson: JSON.stringify(record), goalId: record.goalId,
    },
  };
}

/** The goals' executions a charter record lists (version and status), from its text in Redis. */
export function executionGoals(text: string | null | undefined): ExecutionHead['goals'] {
  if (!text) return [];
  const head = JSON.parse(text) as ExecutionHead | InlineExecutions;
  return head.kind === 'charter_executions' ? head.goals : headOf(head).goals;
}

/** A goal execution record from Redis (null when absent). */
export function parseGoalExecution(text: string | null | undefined): GoalExecutionRecord | null {
  return text ? (JSON.parse(text) as GoalExecutionRecord) : null;
}

/**
 * The charter's executions from its record's text: its goals read in one more MGET (none for a
 * record from before the split, which holds them inline).
 */
export async function readExecutions(redis: Redis, keys: Keyspace, text: string | null | undefined): Promise<CharterExecutions | null> {
  if (!text) return null;
  const head = JSON.parse(text) as ExecutionHead | InlineExecutions;
  if (head.kind !== 'charter_executions') return head;
  const scope = executionScope(head);
  const texts = head.goals.length === 0 ? [] : await infra(redis.mget(head.goals.map((g) => executionGoalKey(keys, scope, g.goalId))));
  const executions = texts.map(parseGoalExecution).filter((r): r is GoalExecutionRecord => r !== null)
    .map(({ goalId, version, state, replans }): GoalExecution => ({ goalId, version, state, replans }));
  const { kind: _kind, goals: _goals, ...rest } = head;
  return { ...rest, executions, loaded: new Set(executions) };
}

/**
 * The charter's next revision: the commit (its record, the goal records that changed since they
 * were loaded, and the lease index) and the records to produce.
 */
export function executionWrite(keys: Keyspace, previousRevision: number, next: CharterExecutions, leaseDueAtMs: number | null): Pick<Decision, 'batches' | 'commit'> {
  const scope = executionScope(next);
  const head = headOf(next);
  const changed = next.executions.filter((e) => !next.loaded?.has(e)).map((e) => goalRecordOf(next, e));
  return {
    commit: {
      guard: { key: executionKey(keys, scope), expectedRevision: previousRevision },
      writes: [...changed.map((r) => ({ key: executionGoalKey(keys, scope, r.goalId), json: JSON.stringify(r) })), { key: executionKey(keys, scope), json: JSON.stringify(head) }],
      index: { key: leaseIndexKey(keys), member: scope, score: leaseDueAtMs },
    },
    batches: [{ spec: topics.executions, records: [...changed.map((r) => goalRecord(r, next.updatedAtMs)), headRecord(head)] }],
  };
}

/** The `executions` records of the given working-copy keys as they are now (a redelivered request's state). */
export async function executionStateRecords(redis: Redis, keys: readonly string[]): Promise<TopicBatch[]> {
  if (keys.length === 0) return [];
  const states = (await redis.mget([...keys])).filter((t): t is string => t !== null).map((t) => JSON.parse(t) as ExecutionHead | GoalExecutionRecord | InlineExecutions);
  const heads = states.filter((s): s is ExecutionHead => s.kind === 'charter_executions');
  const updatedAt = (r: GoalExecutionRecord) => heads.find((h) => h.charterId === r.charterId && h.tenant === r.tenant)?.updatedAtMs ?? 0;
  return [{
    spec: topics.executions,
    records: states.map((s) => (s.kind === 'goal_execution' ? goalRecord(s, updatedAt(s)) : headRecord(s.kind === 'charter_executions' ? s : headOf(s)))),
  }];
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

/** A commit that only files the charter in the lease index, checked against its revision (0: no record). */
export function leaseIndexChange(keys: Keyspace, scope: string, revision: number, leaseDueAtMs: number | null): StateCommit {
  return { guard: { key: executionKey(keys, scope), expectedRevision: revision }, writes: [], index: { key: leaseIndexKey(keys), member: scope, score: leaseDueAtMs } };
}

/** The Redis key and revision of a replayed `executions` record (scoped by its tenant, whatever its topic key). */
export function executionReplayEntry(keys: Keyspace) {
  return (value: ExecutionRecord): ReplayEntry => {
    const id = executionScope(value);
    const key = value.goalId === null ? executionKey(keys, id) : executionGoalKey(keys, id, value.goalId);
    return { key, json: value.stateJson, revision: Number(value.revision), id };
  };
}
