/**
 * Dependency gating: a pending step becomes ready when every predecessor in the goal has succeeded
 * and its retry backoff has passed. Readiness is re-evaluated at the start and end of every
 * transition, so a step's status is true as of the last call; time alone (a backoff running out)
 * is noticed at the next call, which is why `nextReleaseAtMs` tells the adapter when to call.
 */
import type { Goal, StepId } from '../../../planner/src/domain';
import type { ExecutionState } from './execution-state';
import type { Transition } from './transition';
import { emit, patchStep, stepOf } from './transition';

/** The predecessors of every step of the goal. */
export function predecessorsOf(goal: Goal): Map<StepId, StepId[]> {
  const preds = new Map<StepId, StepId[]>(goal.steps.map((s) => [s.id, []]));
  for (const d of goal.dependencies) preds.get(d.to)?.push(d.from);
  return preds;
}

/** Moves every pending step whose predecessors succeeded and whose backoff passed to ready. */
export function promoteReady(tx: Transition): void {
  if (tx.status === 'cancelled' || tx.status === 'completed') return;
  const preds = predecessorsOf(tx.goal);
  for (const step of tx.goal.steps) {
    const record = stepOf(tx, step.id);
    if (record.status !== 'pending') continue;
    if (record.notBeforeMs !== null && record.notBeforeMs > tx.nowMs) continue;
    const blocked = (preds.get(step.id) ?? []).some((p) => stepOf(tx, p).status !== 'succeeded');
    if (blocked) continue;
    patchStep(tx, step.id, { status: 'ready', notBeforeMs: null });
    emit(tx, { type: 'step_ready', stepId: step.id });
  }
}

/** Why nothing is ready: counts, and the earliest time a backoff or a lease ends. */
export interface Waiting {
  readonly leased: number;
  readonly blockedOnDependencies: number;
  readonly inBackoff: number;
  readonly compensating: number;
  /** Earliest backoff end of a step whose dependencies are met; null when none. */
  readonly nextReleaseAtMs: number | null;
  readonly nextLeaseExpiryAtMs: number | null;
}

/** Summarises what the goal's unfinished steps are waiting for. */
export function waitingOf(state: Pick<ExecutionState, 'goal' | 'steps'>, nowMs: number): Waiting {
  const byId = new Map(state.steps.map((s) => [s.stepId, s]));
  const preds = predecessorsOf(state.goal);
  let leased = 0;
  let blockedOnDependencies = 0;
  let inBackoff = 0;
  let compensating = 0;
  let nextReleaseAtMs: number | null = null;
  let nextLeaseExpiryAtMs: number | null = null;
  const earliest = (a: number | null, b: number): number => (a === null ? b : Math.min(a, b));
  for (const step of state.goal.steps) {
    const record = byId.get(step.id);
    if (!record) continue;
    if (record.status === 'leased' && record.lease) {
      leased++;
      nextLeaseExpiryAtMs = earliest(nextLeaseExpiryAtMs, record.lease.leaseExpiresAtMs);
    } else if (record.status === 'compensating') {
      compensating++;
    } else if (record.status === 'pending') {
      const met = (preds.get(step.id) ?? []).every((p) => byId.get(p)?.status === 'succeeded');
      if (!met) blockedOnDependencies++;
      else if (record.notBeforeMs !== null && record.notBeforeMs > nowMs) {
        inBackoff++;
        nextReleaseAtMs = earliest(nextReleaseAtMs, record.notBeforeMs);
      }
    }
  }
  return { leased, blockedOnDependencies, inBackoff, compensating, nextReleaseAtMs, nextLeaseExpiryAtMs };
}
