/**
 * The planner's state and where it lives. Two kinds of record, both event-sourced on the compacted
 * `plans` topic and mirrored as JSON in Redis (the working copy):
 * - a charter (key: its scope `<tenant>/<charterId>`): the charter, its executors, and a summary of each goal;
 * - a goal version (key: `<tenant>/<charterId>/<goalId>/v<n>`): immutable once written, the graph and plan.
 * Keys are scoped by tenant (libs/protocol/src/charter-scope.ts): a charter id names a charter
 * within its tenant only.
 * Versions are separate records so that a charter record stays small and a 1,000-step goal refined
 * many times never exceeds the broker's message limit. The dispatcher reads these from Redis too.
 */
import { topics, type PlanState } from '@maestro/contracts';
import type { OutboundRecord, TopicBatch } from '@maestro/bus';
import { charterScope, infra, type ReplayEntry, type StateCommit } from '@maestro/protocol';
import type { Keyspace, Redis } from '@maestro/state';
import type { Charter, Executor, Goal, Plan, Replan } from './domain';

/** Charter-level limits the planner enforces (charter.declare `policies`). */
export interface CharterPolicies {
  readonly maxStepsPerGoal?: number;
  readonly maxOpenGoals?: number;
  readonly autoReplan?: boolean;
}

/** A goal as the charter record summarises it. */
export interface GoalSummary {
  readonly goalId: string;
  readonly intent: string | null;
  readonly latestVersion: number;
  readonly committedVersion: number | null;
  readonly committedAtMs: number | null;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  readonly versions: readonly { readonly version: number; readonly origin: 'refine' | 'replan'; readonly atMs: number; readonly stepCount: number; readonly makespanMs: number; readonly totalCost: number }[];
}

/** A charter and its goals. */
export interface CharterState {
  readonly kind: 'charter';
  readonly revision: number;
  readonly charterId: string;
  readonly tenant: string;
  readonly declaredBy: string;
  readonly declaredAtMs: number;
  readonly updatedAtMs: number;
  /** The planner's Charter: deadline, budget, allowed executors, trust floor. */
  readonly charter: Charter;
  readonly executors: readonly Executor[];
  readonly policies: CharterPolicies;
  /** Newest first. */
  readonly goals: readonly GoalSummary[];
}

/** One refined version of a goal. */
export interface GoalVersionState {
  readonly kind: 'goal_version';
  /** Versions are immutable: always 1. */
  readonly revision: 1;
  readonly charterId: string;
  readonly tenant: string;
  readonly goalId: string;
  readonly version: number;
  readonly origin: 'refine' | 'replan';
  readonly atMs: number;
  readonly goal: Goal;
  /** Times from the plan start; for a re-plan, absolute from the original start. */
  readonly plan: Plan;
  /** For a re-plan: the version it re-planned and the planner's answer, which the dispatcher applies. */
  readonly replan: { readonly basedOnVersion: number; readonly reason: string | null; readonly result: Replan } | null;
}

/** Redis keys of the planner's working copy (built on the runtime's keyspace), by charter scope. */
export function planKeys(keys: Keyspace) {
  return {
    charter: (scope: string) => keys.key('planner', 'charter', scope),
    version: (scope: string, goalId: string, version: number) => keys.key('planner', 'version', scope, goalId, String(version)),
  };
}

/** The scope of a charter's or version's state. */
export const scopeOf = (state: { readonly tenant: string; readonly charterId: string }): string => charterScope(state.tenant, state.charterId);

/** The topic key of a goal version record. */
export function versionRecordKey(scope: string, goalId: string, version: number): string {
  return `${scope}/${goalId}/v${version}`;
}

export function charterRecord(state: CharterState): OutboundRecord<PlanState> {
  const key = scopeOf(state);
  return {
    key,
    value: {
      key, kind: 'charter', charterId: state.charterId, goalId: null, version: null, tenant: state.tenant,
      revision: state.revision, status: 'declared', updatedAtMs: state.updatedAtMs, stateJson: JSON.stringify(state),
    },
  };
}

export function versionRecord(state: GoalVersionState, committed: boolean): OutboundRecord<PlanState> {
  const key = versionRecordKey(scopeOf(state), state.goalId, state.version);
  return {
    key,
    value: {
      key, kind: 'goal_version', charterId: state.charterId, goalId: state.goalId, version: state.version, tenant: state.tenant,
      revision: 1, status: committed ? 'committed' : 'refined', updatedAtMs: state.atMs, stateJson: JSON.stringify(state),
    },
  };
}

/** Reads the working copy (one MGET per request) and describes a change of it. */
export interface PlanStore {
  /** The charter of a scope (`charterScope(tenant, charterId)`), the versions asked for, and any extra keys. */
  load(scope: string, versions?: readonly { goalId: string; version: number }[], extraKeys?: readonly string[]): Promise<{
    charter: CharterState | null;
    versions: (GoalVersionState | null)[];
    extra: (string | null)[];
  }>;
  /** The charter's new state and new versions, checked against the revision the change was decided on. */
  change(previousRevision: number, charter: CharterState, versions: readonly GoalVersionState[]): StateCommit;
}

export function createPlanStore(redis: Redis, keys: Keyspace): PlanStore {
  const k = planKeys(keys);
  return {
    async load(scope, versions = [], extraKeys = []) {
      const raw = await infra(redis.mget([k.charter(scope), ...versions.map((v) => k.version(scope, v.goalId, v.version)), ...extraKeys]));
      const parse = <T>(text: string | null | undefined): T | null => (text ? (JSON.parse(text) as T) : null);
      return {
        charter: parse<CharterState>(raw[0]),
        versions: versions.map((_, i) => parse<GoalVersionState>(raw[1 + i])),
        extra: raw.slice(1 + versions.length),
      };
    },
    change(previousRevision, charter, versions) {
      return {
        guard: { key: k.charter(scopeOf(charter)), expectedRevision: previousRevision },
        writes: [
          ...versions.map((v) => ({ key: k.version(scopeOf(v), v.goalId, v.version), json: JSON.stringify(v) })),
          { key: k.charter(scopeOf(charter)), json: JSON.stringify(charter) },
        ],
      };
    },
  };
}

/** The `plans` records of the given working-copy keys as they are now (a redelivered request's state). */
export async function planStateRecords(redis: Redis, keys: readonly string[]): Promise<TopicBatch[]> {
  if (keys.length === 0) return [];
  const states = (await redis.mget([...keys])).filter((text): text is string => text !== null).map((text) => JSON.parse(text) as CharterState | GoalVersionState);
  const charters = states.filter((s): s is CharterState => s.kind === 'charter');
  const committed = (v: GoalVersionState) => charters.some((c) => c.charterId === v.charterId && c.tenant === v.tenant && c.goals.some((g) => g.goalId === v.goalId && g.committedVersion === v.version));
  return [{
    spec: topics.plans,
    records: states.map((s) => (s.kind === 'charter' ? charterRecord(s) : versionRecord(s, committed(s)))),
  }];
}

/**
 * The Redis key and revision of a replayed `plans` record. The key comes from the record's tenant and
 * charter id, not its topic key, so records written before keys were scoped by tenant replay to
 * the scoped keys too.
 */
export function planReplayEntry(keys: Keyspace) {
  const k = planKeys(keys);
  return (value: PlanState): ReplayEntry | null => {
    const id = scopeOf(value);
    if (value.kind === 'charter') return { key: k.charter(id), json: value.stateJson, revision: Number(value.revision), id };
    if (value.goalId === null || value.version === null) return null;
    return { key: k.version(id, value.goalId, value.version), json: value.stateJson, revision: Number(value.revision), id };
  };
}

export const planStateTopic = topics.plans;
