/**
 * MAESTRO `outcome.report`: an executor reports how a work order ended. Reports arrive at least
 * once (Kafka redelivery, executor retries), so a repeat of an accepted report returns the same
 * resolution and changes nothing. A report for a lease that expired is judged by what happened
 * since: if the step was handed out again (or finished), the report is stale and refused; if not,
 * a late success is still accepted (the work is done, redoing it helps nobody), while a late
 * failure is refused because the expiry already returned the step to ready without counting it.
 */
import type { Refused, Transitioned } from './completion';
import { conclude, concludeRefused } from './completion';
import { assessDeadlineRisk } from './deadline-risk';
import type { ExecutionState, Resolution } from './execution-state';
import { findStep, findWorkOrder } from './execution-state';
import { recoverFromFailure } from './recovery';
import type { Transition } from './transition';
import { begin, emit, patchStep, patchWorkOrder, stepOf } from './transition';

/** An executor's report on a work order. */
export interface OutcomeReport {
  readonly workOrderId: string;
  readonly status: 'succeeded' | 'failed';
  readonly actualDurationMs: number;
  readonly actualCost: number;
  /** Free text for the audit (an error message, an artefact reference). @default null */
  readonly detail?: string | null;
}

/** What the report led to, or why it was refused. */
export type OutcomeResult =
  | ({ readonly ok: true; readonly stepId: string; readonly resolution: Resolution; readonly duplicate: boolean } & Transitioned)
  | Refused;

/** Records an outcome: unblocks dependents on success; retries, compensates or asks for a re-plan on failure. */
export function reportOutcome(state: ExecutionState, report: OutcomeReport, nowMs: number): OutcomeResult {
  const tx = begin(state, nowMs);
  const bad = [['actualDurationMs', report.actualDurationMs], ['actualCost', report.actualCost]].filter(([, v]) => !(Number.isFinite(v) && (v as number) >= 0));
  if (bad.length > 0) return concludeRefused(tx, 'invalid_request', bad.map(([k, v]) => `${k} must be a finite number >= 0, got ${v}`), { workOrderId: report.workOrderId });
  const order = findWorkOrder(state, report.workOrderId);
  if (!order) return concludeRefused(tx, 'unknown_work_order', [`work order '${report.workOrderId}' was never issued for plan '${state.planId}'`], { workOrderId: report.workOrderId });
  if (order.status === 'succeeded' || order.status === 'failed') {
    if (order.status !== report.status) {
      return concludeRefused(tx, 'conflicting_outcome', [`work order '${order.workOrderId}' was already reported ${order.status}; a ${report.status} report cannot replace it`], { workOrderId: order.workOrderId, recorded: order.status });
    }
    // Nothing is re-applied and the state is returned as it was: the duplicate's only trace is its audit event.
    return {
      ok: true, stepId: order.stepId, resolution: order.resolution ?? 'succeeded', duplicate: true, state,
      events: [{ type: 'outcome_duplicate', atMs: nowMs, workOrderId: order.workOrderId, stepId: order.stepId }],
      deadlineRisk: assessDeadlineRisk(state, nowMs),
    };
  }
  if (order.status === 'cancelled' || state.status === 'cancelled') {
    return concludeRefused(tx, 'plan_cancelled', [`work order '${order.workOrderId}' was cancelled with plan '${state.planId}'`], { workOrderId: order.workOrderId });
  }
  const step = findStep(state, order.stepId)!;
  let late = false;
  if (order.status === 'expired') {
    const stale = step.lease
      ? `its lease expired at ${order.leaseExpiresAtMs} and step '${step.stepId}' was re-issued as '${step.lease.workOrderId}' to '${step.lease.executorId}'`
      : report.status === 'failed' ? `its lease expired at ${order.leaseExpiresAtMs}; step '${step.stepId}' went back to ready and this failure is not counted`
        : step.status !== 'ready' && step.status !== 'pending' ? `its lease expired at ${order.leaseExpiresAtMs} and step '${step.stepId}' is ${step.status} since` : null;
    if (stale !== null) return concludeRefused(tx, 'stale_work_order', [`work order '${order.workOrderId}' is stale: ${stale}`], { workOrderId: order.workOrderId, stepId: step.stepId, stepStatus: step.status });
    late = true;
  }

  const detail = report.detail ?? null;
  patchStep(tx, step.stepId, {
    lease: null,
    attempts: step.attempts + 1,
    actualDurationMs: step.actualDurationMs + report.actualDurationMs,
    actualCost: step.actualCost + report.actualCost,
    history: [...step.history, {
      atMs: nowMs, kind: report.status, workOrderId: order.workOrderId, executorId: order.executorId,
      actualDurationMs: report.actualDurationMs, actualCost: report.actualCost, detail,
    }],
  });
  let resolution: Resolution;
  if (report.status === 'succeeded') {
    emit(tx, { type: 'step_succeeded', stepId: step.stepId, workOrderId: order.workOrderId, executorId: order.executorId, actualDurationMs: report.actualDurationMs, actualCost: report.actualCost, late });
    succeed(tx, step.stepId, order.executorId);
    resolution = late ? 'late_success_accepted' : 'succeeded';
  } else {
    patchStep(tx, step.stepId, { failures: step.failures + 1 });
    emit(tx, { type: 'step_failed', stepId: step.stepId, workOrderId: order.workOrderId, executorId: order.executorId, attempt: step.attempts + 1, detail });
    resolution = recoverFromFailure(tx, step.stepId, detail);
  }
  patchWorkOrder(tx, order.workOrderId, { status: report.status, resolution });
  return { ok: true, stepId: step.stepId, resolution, duplicate: false, ...conclude(tx) };
}

/** Marks the step done; a finished compensation releases the step it served. */
function succeed(tx: Transition, stepId: string, executorId: string): void {
  const record = patchStep(tx, stepId, { status: 'succeeded', completedAtMs: tx.nowMs, completedBy: executorId, notBeforeMs: null });
  const comp = record.compensates;
  if (!comp || stepOf(tx, comp.stepId).status !== 'compensating') return;
  // replace: the compensation took the step's place for good. before-retry: the step may now be
  // retried, once its backoff (kept in notBeforeMs) has passed.
  patchStep(tx, comp.stepId, { status: comp.mode === 'replace' ? 'compensated' : 'pending' });
  emit(tx, { type: 'compensation_completed', stepId: comp.stepId, compensationId: stepId, mode: comp.mode });
}
