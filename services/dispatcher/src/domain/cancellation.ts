/**
 * Cancelling an execution: when the planner refuses a re-plan (`unrecoverable_failure`), or an
 * operator withdraws the goal. Every unfinished step is cancelled, and the leases in flight are
 * returned so the adapter can tell their executors to stop; their late reports are refused.
 */
import type { Refused, Transitioned } from './completion';
import { conclude, concludeRefused } from './completion';
import type { ExecutionState } from './execution-state';
import { begin, emit, patchStep, patchWorkOrder } from './transition';

/** The cancelled state, and the work orders that were in flight. */
export type CancelResult = ({ readonly ok: true; readonly cancelledWorkOrders: readonly string[] } & Transitioned) | Refused;

const TERMINAL = new Set(['succeeded', 'failed', 'compensated', 'cancelled']);

/** Cancels the execution; refused when it already completed or was cancelled. */
export function cancelExecution(state: ExecutionState, reason: string, nowMs: number): CancelResult {
  const tx = begin(state, nowMs);
  if (state.status === 'completed' || state.status === 'cancelled') {
    return concludeRefused(tx, state.status === 'completed' ? 'plan_complete' : 'plan_cancelled', [`plan '${state.planId}' is already ${state.status}`]);
  }
  const cancelledWorkOrders: string[] = [];
  for (const record of state.steps) {
    if (TERMINAL.has(record.status)) continue;
    const lease = record.lease;
    if (lease) {
      patchWorkOrder(tx, lease.workOrderId, { status: 'cancelled' });
      cancelledWorkOrders.push(lease.workOrderId);
    }
    patchStep(tx, record.stepId, {
      status: 'cancelled', lease: null, notBeforeMs: null,
      history: lease ? [...record.history, {
        atMs: nowMs, kind: 'cancelled', workOrderId: lease.workOrderId, executorId: lease.executorId, actualDurationMs: null, actualCost: null, detail: reason,
      }] : record.history,
    });
  }
  tx.status = 'cancelled';
  emit(tx, { type: 'plan_cancelled', planId: state.planId, reason, cancelledWorkOrders });
  return { ok: true, cancelledWorkOrders, ...conclude(tx) };
}
