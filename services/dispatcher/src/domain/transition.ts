/**
 * One state transition: a working copy with maps for lookups, the events it produced, and a commit
 * back to the plain JSON state. Records are replaced, never mutated, so the caller's state (and any
 * snapshot the adapter holds) is left as it was. Maps keep insertion order, which keeps every
 * array in the committed state in a deterministic order.
 */
import type { Goal, Plan, StepId } from '../../../planner/src/domain';
import type { DispatchEvent } from './events';
import type { ExecutionState, ExecutionStatus, StepRecord, WorkOrderRecord } from './execution-state';

/** The working copy of a transition. */
export interface Transition {
  readonly base: ExecutionState;
  readonly nowMs: number;
  status: ExecutionStatus;
  goal: Goal;
  plan: Plan;
  deadlineAtRisk: boolean;
  completedAtMs: number | null;
  readonly steps: Map<StepId, StepRecord>;
  readonly workOrders: Map<string, WorkOrderRecord>;
  readonly events: DispatchEvent[];
}

/** Starts a transition of `state` at `nowMs`. */
export function begin(state: ExecutionState, nowMs: number): Transition {
  return {
    base: state,
    nowMs,
    status: state.status,
    goal: state.goal,
    plan: state.plan,
    deadlineAtRisk: state.deadlineAtRisk,
    completedAtMs: state.completedAtMs,
    steps: new Map(state.steps.map((s) => [s.stepId, s])),
    workOrders: new Map(state.workOrders.map((w) => [w.workOrderId, w])),
    events: [],
  };
}

/** The new state. */
export function commit(tx: Transition): ExecutionState {
  return {
    ...tx.base,
    status: tx.status,
    goal: tx.goal,
    plan: tx.plan,
    deadlineAtRisk: tx.deadlineAtRisk,
    completedAtMs: tx.completedAtMs,
    steps: [...tx.steps.values()],
    workOrders: [...tx.workOrders.values()],
  };
}

/** A step record that must exist: the goal and the records are kept in step by every transition. */
export function stepOf(tx: Transition, stepId: StepId): StepRecord {
  const record = tx.steps.get(stepId);
  if (!record) throw new Error(`dispatcher invariant: step '${stepId}' is in the goal but has no execution record`);
  return record;
}

/** Replaces a step record with a patched copy. */
export function patchStep(tx: Transition, stepId: StepId, patch: Partial<StepRecord>): StepRecord {
  const next = { ...stepOf(tx, stepId), ...patch };
  tx.steps.set(stepId, next);
  return next;
}

/** Replaces a work order record with a patched copy. */
export function patchWorkOrder(tx: Transition, workOrderId: string, patch: Partial<WorkOrderRecord>): void {
  const current = tx.workOrders.get(workOrderId);
  if (!current) throw new Error(`dispatcher invariant: unknown work order '${workOrderId}'`);
  tx.workOrders.set(workOrderId, { ...current, ...patch });
}

/** Appends an event stamped with the transition's time. */
export function emit(tx: Transition, event: DistributiveOmit<DispatchEvent, 'atMs'>): void {
  tx.events.push({ ...event, atMs: tx.nowMs } as DispatchEvent);
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
