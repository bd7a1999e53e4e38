/**
 * What happened, as events: every function returns them beside the new state, and the adapter
 * publishes one audit record per event. They carry the numbers an auditor needs, not the state.
 */
import type { Progress, StepId } from '../../../planner/src/domain';
import type { DeadlineRisk } from './deadline-risk';
import type { DispatchRefusal } from './refusal';

interface At {
  readonly atMs: number;
}

/** A step failed for good and the planner must decide: the adapter turns this into `graph.replan`. */
export interface ReplanInstruction {
  readonly reason: string;
  readonly failedStepIds: readonly StepId[];
  /** The planner's `replan` progress input; times relative to the plan start. */
  readonly progress: Progress;
  /** `now` for the planner's `replan`: ms since the plan started. */
  readonly now: number;
}

/** Every event the dispatcher emits. */
export type DispatchEvent = At & (
  | { readonly type: 'execution_started'; readonly planId: string; readonly stepCount: number; readonly deadlineAtMs: number | null }
  | { readonly type: 'step_ready'; readonly stepId: StepId }
  | {
    readonly type: 'step_leased'; readonly stepId: StepId; readonly workOrderId: string; readonly executorId: string;
    readonly attempt: number; readonly leaseExpiresAtMs: number; readonly stepDeadlineAtMs: number | null; readonly priorityMs: number;
  }
  | { readonly type: 'step_succeeded'; readonly stepId: StepId; readonly workOrderId: string; readonly executorId: string; readonly actualDurationMs: number; readonly actualCost: number; readonly late: boolean }
  | { readonly type: 'step_failed'; readonly stepId: StepId; readonly workOrderId: string; readonly executorId: string; readonly attempt: number; readonly detail: string | null }
  | { readonly type: 'step_retry_scheduled'; readonly stepId: StepId; readonly attempt: number; readonly maxAttempts: number; readonly notBeforeMs: number }
  | { readonly type: 'compensation_started'; readonly stepId: StepId; readonly compensationId: StepId; readonly mode: 'replace' | 'before-retry' }
  | { readonly type: 'compensation_completed'; readonly stepId: StepId; readonly compensationId: StepId; readonly mode: 'replace' | 'before-retry' }
  | ({ readonly type: 'replan_required' } & ReplanInstruction)
  | { readonly type: 'replan_applied'; readonly remainderStepIds: readonly StepId[]; readonly compensations: readonly StepId[]; readonly retried: readonly StepId[] }
  | { readonly type: 'lease_expired'; readonly stepId: StepId; readonly workOrderId: string; readonly executorId: string; readonly leasedAtMs: number; readonly leaseExpiresAtMs: number }
  | { readonly type: 'outcome_duplicate'; readonly workOrderId: string; readonly stepId: StepId }
  | { readonly type: 'request_refused'; readonly refusal: DispatchRefusal }
  | ({ readonly type: 'deadline_risk' } & DeadlineRisk)
  | { readonly type: 'deadline_risk_cleared'; readonly projectedFinishAtMs: number; readonly deadlineAtMs: number }
  | { readonly type: 'plan_completed'; readonly planId: string; readonly elapsedMs: number; readonly actualCost: number; readonly deadlineAtMs: number | null }
  | { readonly type: 'plan_cancelled'; readonly planId: string; readonly reason: string; readonly cancelledWorkOrders: readonly string[] }
);

/** An event's type. */
export type DispatchEventType = DispatchEvent['type'];
