/**
 * Lease expiry. An executor that neither succeeds nor fails within its lease is presumed gone: the
 * step goes back to ready for another executor. The lapse is recorded in the step's history but is
 * not an attempt, so it does not use up the retry policy (the step itself did not fail; and a
 * report that arrives late for it is judged in `outcomes.ts`).
 */
import type { Transitioned } from './completion';
import { conclude } from './completion';
import type { ExecutionState } from './execution-state';
import type { Transition } from './transition';
import { begin, emit, patchStep, patchWorkOrder } from './transition';

/** The state after expiry, and the work orders that expired. */
export interface ExpiryResult extends Transitioned {
  readonly expiredWorkOrderIds: readonly string[];
}

/**
 * Expires every lease whose deadline is at or before `nowMs`. Call it on a timer (the summary's
 * `nextLeaseExpiryAtMs` says when): it also re-assesses the deadline risk as time passes.
 * `dispatchNext` runs it first, so an expired step is handed out again without waiting.
 */
export function expireLeases(state: ExecutionState, nowMs: number): ExpiryResult {
  const tx = begin(state, nowMs);
  const expiredWorkOrderIds = expireInto(tx);
  return { ...conclude(tx), expiredWorkOrderIds };
}

/** Expires due leases within a transition; returns their work order ids. */
export function expireInto(tx: Transition): string[] {
  if (tx.status === 'completed' || tx.status === 'cancelled') return [];
  const expired: string[] = [];
  for (const record of [...tx.steps.values()]) {
    const lease = record.lease;
    if (record.status !== 'leased' || !lease || lease.leaseExpiresAtMs > tx.nowMs) continue;
    patchWorkOrder(tx, lease.workOrderId, { status: 'expired' });
    patchStep(tx, record.stepId, {
      status: 'ready',
      lease: null,
      history: [...record.history, {
        atMs: tx.nowMs, kind: 'lease_expired', workOrderId: lease.workOrderId, executorId: lease.executorId,
        actualDurationMs: null, actualCost: null, detail: `lease expired at ${lease.leaseExpiresAtMs}`,
      }],
    });
    emit(tx, { type: 'lease_expired', stepId: record.stepId, ...lease });
    expired.push(lease.workOrderId);
  }
  return expired;
}
