/**
 * The execution state of one committed plan. It is event-sourced to a compacted Kafka topic keyed
 * by plan id, so it is plain JSON: arrays rather than maps, `null` rather than `undefined` or
 * `Infinity`, absolute epoch milliseconds for everything that happened. Functions never mutate it.
 */
import type { Goal, Plan, StepId } from '../../../planner/src/domain';
import type { DispatcherConfig } from './config';

/** Bumped whenever the shape or meaning of the state changes. */
export const EXECUTION_STATE_VERSION = 1;

/**
 * - `pending`: waiting for dependencies, or for a retry backoff (`notBeforeMs`);
 * - `ready`: every dependency succeeded and any backoff has passed: may be dispatched;
 * - `leased`: handed to an executor as a work order, until it reports or the lease expires;
 * - `succeeded`: done (terminal);
 * - `failed`: failed with no retry left and no `replace` compensation: needs the planner (terminal);
 * - `compensating`: failed, and its compensation step must succeed first (then the step is retried
 *   for `before-retry`, or is `compensated` for `replace`);
 * - `compensated`: its `replace` compensation succeeded and took its place in the graph (terminal);
 * - `cancelled`: the plan was cancelled (terminal).
 */
export type StepStatus = 'pending' | 'ready' | 'leased' | 'succeeded' | 'failed' | 'compensating' | 'compensated' | 'cancelled';

/** The lease of a step's current work order. */
export interface Lease {
  readonly workOrderId: string;
  readonly executorId: string;
  readonly leasedAtMs: number;
  readonly leaseExpiresAtMs: number;
}

/** One thing that happened to a step; the step's history is the audit trail of its attempts. */
export interface HistoryEntry {
  readonly atMs: number;
  readonly kind: 'succeeded' | 'failed' | 'lease_expired' | 'cancelled';
  readonly workOrderId: string;
  readonly executorId: string;
  readonly actualDurationMs: number | null;
  readonly actualCost: number | null;
  readonly detail: string | null;
}

/** Where and when the plan put a step, relative to the plan start (as the planner's assignments). */
export interface PlannedSlot {
  readonly executorId: string;
  readonly startMs: number;
  readonly finishMs: number;
  readonly cost: number;
}

/** The execution record of one step (planned, or a compensation armed at run time). */
export interface StepRecord {
  readonly stepId: StepId;
  /** For a compensation: the step it compensates and how; null for a planned step. */
  readonly compensates: { readonly stepId: StepId; readonly mode: 'replace' | 'before-retry' } | null;
  readonly status: StepStatus;
  /** Attempts that reported an outcome; an expired lease is not an attempt. */
  readonly attempts: number;
  readonly failures: number;
  /** Work orders issued for this step (reported, expired or current): numbers the next one. */
  readonly leases: number;
  /** A retry may not be dispatched before this time. */
  readonly notBeforeMs: number | null;
  readonly lease: Lease | null;
  /** Duration estimate used for priorities, deadlines and projections (fastest eligible executor). */
  readonly estimateMs: number;
  readonly planned: PlannedSlot | null;
  /** Sums over every reported attempt, failed ones included: what the step really took. */
  readonly actualDurationMs: number;
  readonly actualCost: number;
  readonly completedAtMs: number | null;
  /** Executor of the successful attempt. */
  readonly completedBy: string | null;
  readonly history: readonly HistoryEntry[];
}

/** What became of an outcome report: returned again, unchanged, for a duplicate report. */
export type Resolution = 'succeeded' | 'retry_scheduled' | 'compensation_started' | 'replan_required' | 'late_success_accepted';

/** The ledger entry of one work order. */
export interface WorkOrderRecord {
  readonly workOrderId: string;
  readonly stepId: StepId;
  readonly executorId: string;
  readonly leasedAtMs: number;
  readonly leaseExpiresAtMs: number;
  readonly stepDeadlineAtMs: number | null;
  readonly status: 'leased' | 'succeeded' | 'failed' | 'expired' | 'cancelled';
  /** Set once an outcome is accepted, so that a duplicate gets the same answer. */
  readonly resolution: Resolution | null;
}

/** - `awaiting_replan`: a step failed for good; running work may finish but nothing new starts. */
export type ExecutionStatus = 'running' | 'awaiting_replan' | 'completed' | 'cancelled';

/** Everything the dispatcher knows about one plan's execution. */
export interface ExecutionState {
  readonly version: typeof EXECUTION_STATE_VERSION;
  readonly planId: string;
  readonly status: ExecutionStatus;
  /** Epoch ms the plan's time zero maps to. */
  readonly startedAtMs: number;
  /** The charter deadline as epoch ms, fixed at commit; null for no deadline. */
  readonly deadlineAtMs: number | null;
  readonly config: DispatcherConfig;
  /** The graph being executed: compensations armed at run time are wired in as the planner would. */
  readonly goal: Goal;
  /** The current schedule (times relative to `startedAtMs`); after a re-plan, kept and new slots. */
  readonly plan: Plan;
  /** Every step ever part of the execution, in first-seen order (compensated steps stay here). */
  readonly steps: readonly StepRecord[];
  readonly workOrders: readonly WorkOrderRecord[];
  /** Whether a deadline risk is currently flagged (so the signal is published once per episode). */
  readonly deadlineAtRisk: boolean;
  readonly completedAtMs: number | null;
}

/** A step record in its initial state. */
export function newStepRecord(stepId: StepId, estimateMs: number, planned: PlannedSlot | null, compensates: StepRecord['compensates'] = null): StepRecord {
  return {
    stepId, compensates, status: 'pending', attempts: 0, failures: 0, leases: 0, notBeforeMs: null, lease: null,
    estimateMs, planned, actualDurationMs: 0, actualCost: 0, completedAtMs: null, completedBy: null, history: [],
  };
}

/** Finds a step record by id. */
export function findStep(state: Pick<ExecutionState, 'steps'>, stepId: StepId): StepRecord | undefined {
  return state.steps.find((s) => s.stepId === stepId);
}

/** Finds a work order by id. */
export function findWorkOrder(state: Pick<ExecutionState, 'workOrders'>, workOrderId: string): WorkOrderRecord | undefined {
  return state.workOrders.find((w) => w.workOrderId === workOrderId);
}
