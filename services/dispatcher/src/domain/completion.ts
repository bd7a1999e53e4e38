/**
 * Closing a transition: promote what became ready, detect completion, re-assess the deadline risk,
 * and commit. Every public operation ends here, so these checks cannot be forgotten by one of them.
 */
import type { DeadlineRisk } from './deadline-risk';
import { trackDeadlineRisk } from './deadline-risk';
import type { DispatchEvent } from './events';
import type { ExecutionState } from './execution-state';
import { promoteReady } from './readiness';
import type { DispatchRefusal, DispatchRefusalCode } from './refusal';
import { refusal } from './refusal';
import type { Transition } from './transition';
import { commit, emit, stepOf } from './transition';

/** What every operation returns besides its own answer. */
export interface Transitioned {
  readonly state: ExecutionState;
  /** What happened, in order: the adapter publishes one audit record per event. */
  readonly events: readonly DispatchEvent[];
  /** The current deadline risk (the `deadline_risk` event is emitted only when it starts). */
  readonly deadlineRisk: DeadlineRisk | null;
}

/** True when every step of the goal has succeeded. */
export function isComplete(state: Pick<ExecutionState, 'goal' | 'steps'>): boolean {
  const succeeded = new Set(state.steps.filter((s) => s.status === 'succeeded').map((s) => s.stepId));
  return state.goal.steps.every((s) => succeeded.has(s.id));
}

/** Promotes, detects completion, tracks the deadline risk and commits. */
export function conclude(tx: Transition): Transitioned {
  promoteReady(tx);
  if (tx.status === 'running' && tx.goal.steps.every((s) => stepOf(tx, s.id).status === 'succeeded')) {
    tx.status = 'completed';
    tx.completedAtMs = tx.nowMs;
    let actualCost = 0;
    for (const record of tx.steps.values()) actualCost += record.actualCost;
    emit(tx, { type: 'plan_completed', planId: tx.base.planId, elapsedMs: tx.nowMs - tx.base.startedAtMs, actualCost, deadlineAtMs: tx.base.deadlineAtMs });
  }
  const deadlineRisk = trackDeadlineRisk(tx);
  return { state: commit(tx), events: tx.events, deadlineRisk };
}

/** A refused request: audited as an event, and the transition still closes (time may have moved). */
export type Refused = { readonly ok: false; readonly refusal: DispatchRefusal } & Transitioned;

/** Emits the refusal and concludes the transition. */
export function concludeRefused(tx: Transition, code: DispatchRefusalCode, reasons: readonly string[], details: DispatchRefusal['details'] = {}): Refused {
  const r = refusal(code, reasons, details);
  emit(tx, { type: 'request_refused', refusal: r });
  return { ok: false, refusal: r, ...conclude(tx) };
}
