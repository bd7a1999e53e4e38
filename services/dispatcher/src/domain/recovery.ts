/**
 * What a failure leads to, following the step's own declarations (the planner's `RetryPolicy` and
 * `CompensationSpec`), the same way the planner's `replan` reads them:
 * - attempts left: retry after the backoff; a `before-retry` compensation runs first and the retry
 *   waits for it (edge compensation -> step, as `replan` wires it);
 * - no attempt left and a `replace` compensation: the compensation takes the step's place in the
 *   graph (its dependents now wait for the compensation) without bothering the planner: the saga
 *   was declared up front and its outcome does not depend on the executor pool;
 * - otherwise (no compensation, a `before-retry` one with no retry left, or a failed compensation):
 *   the step is failed for good, dispatch stops, and a `replan_required` instruction carries the
 *   planner's `replan` input. The dispatcher does not call `replan` itself: that needs the current
 *   executor pool and charter, which the planner service owns, and its answer is the planner's
 *   audited `graph.replan` decision (a refusal there means the plan is lost: `cancelExecution`).
 */
import type { Goal, Step, StepId } from '../../../planner/src/domain';
import type { Resolution } from './execution-state';
import { newStepRecord } from './execution-state';
import { progressOf } from './replanning';
import type { Transition } from './transition';
import { commit, emit, patchStep, stepOf } from './transition';

/** Decides and applies what follows a failed attempt of `stepId` (already counted in `failures`). */
export function recoverFromFailure(tx: Transition, stepId: StepId, detail: string | null): Resolution {
  const record = stepOf(tx, stepId);
  const step = tx.goal.steps.find((s) => s.id === stepId)!;
  if (record.compensates) return failForGood(tx, stepId, `compensation '${stepId}' for '${record.compensates.stepId}' failed${detail ? `: ${detail}` : ''}`);
  const maxAttempts = step.retry?.maxAttempts ?? 1;
  const comp = step.compensation;
  const mode = comp?.mode ?? 'replace';
  if (record.failures < maxAttempts) {
    const notBeforeMs = tx.nowMs + (step.retry?.backoffMs ?? 0);
    emit(tx, { type: 'step_retry_scheduled', stepId, attempt: record.failures + 1, maxAttempts, notBeforeMs });
    if (comp && mode === 'before-retry') {
      patchStep(tx, stepId, { status: 'compensating', notBeforeMs });
      armCompensation(tx, step, 'before-retry');
    } else {
      patchStep(tx, stepId, { status: 'pending', notBeforeMs });
    }
    return 'retry_scheduled';
  }
  if (comp && mode === 'replace') {
    patchStep(tx, stepId, { status: 'compensating' });
    armCompensation(tx, step, 'replace');
    return 'compensation_started';
  }
  const why = comp ? 'its before-retry compensation needs a retry' : 'it declares no compensation';
  return failForGood(tx, stepId, `step '${stepId}' failed on attempt ${record.failures} of ${maxAttempts} and ${why}`);
}

/** The compensation step of `step` as the planner builds it in `replan`. */
export function compensationStep(step: Step): Step | null {
  const comp = step.compensation;
  if (!comp) return null;
  return { id: comp.id ?? `${step.id}:compensate`, name: comp.name, durationMs: comp.durationMs, cost: comp.cost, tokens: comp.tokens ?? 0, requirements: comp.requirements };
}

/**
 * Wires the compensation into the goal (or re-arms it for another retry). `replace` substitutes it
 * for the failed step, edges included; `before-retry` adds it with an edge to the failed step.
 */
function armCompensation(tx: Transition, step: Step, mode: 'replace' | 'before-retry'): void {
  const c = compensationStep(step)!;
  const existing = tx.steps.get(c.id);
  if (existing) {
    // A second retry of a before-retry step: its compensation runs again before it.
    patchStep(tx, c.id, { status: 'pending', notBeforeMs: null, completedAtMs: null, completedBy: null });
  } else {
    // Estimated at the spec's duration (speed 1): the compensation was never planned on an executor.
    tx.steps.set(c.id, newStepRecord(c.id, c.durationMs, null, { stepId: step.id, mode }));
    tx.goal = mode === 'replace' ? substitute(tx.goal, step.id, c) : {
      steps: [...tx.goal.steps, c],
      dependencies: [...tx.goal.dependencies, { from: c.id, to: step.id }],
    };
  }
  emit(tx, { type: 'compensation_started', stepId: step.id, compensationId: c.id, mode });
}

/** Marks the step failed for good and stops dispatch until a re-plan is applied. */
function failForGood(tx: Transition, stepId: StepId, reason: string): Resolution {
  patchStep(tx, stepId, { status: 'failed', notBeforeMs: null });
  tx.status = 'awaiting_replan';
  const state = commit(tx);
  const failedStepIds = state.steps.filter((s) => s.status === 'failed').map((s) => s.stepId);
  emit(tx, { type: 'replan_required', reason, failedStepIds, progress: progressOf(state), now: tx.nowMs - state.startedAtMs });
  return 'replan_required';
}

/** Replaces `stepId` by `replacement`, rewiring its edges (as the planner's `replan` does). */
function substitute(goal: Goal, stepId: StepId, replacement: Step): Goal {
  const swap = (id: StepId): StepId => (id === stepId ? replacement.id : id);
  return {
    steps: goal.steps.map((s) => (s.id === stepId ? replacement : s)),
    dependencies: goal.dependencies.map((d) => ({ from: swap(d.from), to: swap(d.to) })),
  };
}
