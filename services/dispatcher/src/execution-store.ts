/**
 * The dispatcher's state and where it lives: one record per charter with the execution of each of
 * its committed goals, event-sourced on the compacted `executions` topic (key: charter id) and
 * mirrored as JSON in Redis. One record per charter because `dispatch.next` without a goal id draws
 * from every goal and `outcome.report` names only the charter and the work order. The charter and
 * executors are copied in at each sync with the planner's state, so that the dispatcher keeps
 * serving a running plan while the planner's working copy is being rebuilt.
 */
import type { ExecutionRecord } from '@maestro/contracts';
import type { OutboundRecord } from '@maestro/bus';
import type { Keyspace, Redis } from '@maestro/state';
import type { Charter, Executor } from '../../planner/src/domain';
import { infra } from '../../planner/src/protocol-handler';
import type { ExecutionState } from './domain';

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

/** Redis key of a charter's executions; the planner reads it (read-only) for goal status and progress. */
export function executionKey(keys: Keyspace, charterId: string): string {
  return keys.key('dispatcher', 'executions', charterId);
}

export function executionRecord(state: CharterExecutions): OutboundRecord<ExecutionRecord> {
  const running = state.executions.filter((e) => e.state.status === 'running' || e.state.status === 'awaiting_replan').length;
  const completed = state.executions.filter((e) => e.state.status === 'completed').length;
  return {
    key: state.charterId,
    value: {
      charterId: state.charterId, tenant: state.tenant, revision: state.revision, running, completed,
      updatedAtMs: state.updatedAtMs, stateJson: JSON.stringify(state),
    },
  };
}

export function parseExecutions(text: string | null | undefined): CharterExecutions | null {
  return text ? (JSON.parse(text) as CharterExecutions) : null;
}

/** Writes the working copy after the state went to Kafka. */
export async function saveExecutions(redis: Redis, keys: Keyspace, state: CharterExecutions): Promise<void> {
  await infra(redis.set(executionKey(keys, state.charterId), JSON.stringify(state)));
}

/** The Redis key and revision of a replayed `executions` record. */
export function executionReplayEntry(keys: Keyspace) {
  return (value: ExecutionRecord) => ({ key: executionKey(keys, value.charterId), json: value.stateJson, revision: Number(value.revision) });
}
