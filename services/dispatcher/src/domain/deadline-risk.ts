/**
 * Deadline risk: flagged as soon as the remaining critical path, projected from `now` with actuals
 * for finished steps and estimates for the rest, ends after the charter deadline. The projection
 * is a lower bound (see `projection.ts`), so a flag means "cannot make it on these estimates",
 * never "might be tight". It is published once per episode: when it starts and when it clears.
 */
import type { StepId } from '../../../planner/src/domain';
import type { ExecutionState, StepStatus } from './execution-state';
import type { Projection } from './projection';
import { projectExecution } from './projection';
import type { Transition } from './transition';
import { commit, emit } from './transition';

/** The numbers behind a deadline risk. */
export interface DeadlineRisk {
  readonly projectedFinishAtMs: number;
  readonly deadlineAtMs: number;
  /** How far past the deadline the projected finish is. */
  readonly overrunMs: number;
  /** The not-yet-succeeded steps of the longest remaining path: what a re-plan must speed up. */
  readonly criticalRemaining: readonly {
    readonly stepId: StepId;
    readonly status: StepStatus;
    readonly remainingMs: number;
    readonly projectedStartAtMs: number;
    readonly projectedFinishAtMs: number;
  }[];
  readonly reasons: readonly string[];
}

/** The deadline risk at `nowMs`, or null when the plan can still make its deadline (or has none). */
export function assessDeadlineRisk(state: ExecutionState, nowMs: number, projection?: Projection): DeadlineRisk | null {
  if (state.deadlineAtMs === null || state.status === 'completed' || state.status === 'cancelled') return null;
  const p = projection ?? projectExecution(state, nowMs);
  if (p.projectedFinishAtMs <= state.deadlineAtMs) return null;
  const overrunMs = p.projectedFinishAtMs - state.deadlineAtMs;
  const criticalRemaining = p.criticalRemaining.map(({ stepId, status, remainingMs, projectedStartAtMs, projectedFinishAtMs }) => ({
    stepId, status, remainingMs, projectedStartAtMs, projectedFinishAtMs,
  }));
  const path = criticalRemaining.map((c) => `${c.stepId} (${c.status}, ${c.remainingMs} ms left)`).join(' -> ');
  return {
    projectedFinishAtMs: p.projectedFinishAtMs,
    deadlineAtMs: state.deadlineAtMs,
    overrunMs,
    criticalRemaining,
    reasons: [`at ${nowMs} the remaining critical path ${path} ends at ${p.projectedFinishAtMs}, ${overrunMs} ms after the deadline ${state.deadlineAtMs}`],
  };
}

/**
 * Re-assesses the risk at the end of a transition; emits `deadline_risk` when it starts and
 * `deadline_risk_cleared` when a re-plan or fast progress ends it. Returns the current signal.
 */
export function trackDeadlineRisk(tx: Transition): DeadlineRisk | null {
  const state = commit(tx);
  if (state.deadlineAtMs === null || tx.status === 'completed' || tx.status === 'cancelled') {
    tx.deadlineAtRisk = false;
    return null;
  }
  const projection = projectExecution(state, tx.nowMs);
  const risk = assessDeadlineRisk(state, tx.nowMs, projection);
  if (risk && !tx.deadlineAtRisk) emit(tx, { type: 'deadline_risk', ...risk });
  if (!risk && tx.deadlineAtRisk) {
    emit(tx, { type: 'deadline_risk_cleared', projectedFinishAtMs: projection.projectedFinishAtMs, deadlineAtMs: state.deadlineAtMs });
  }
  tx.deadlineAtRisk = risk !== null;
  return risk;
}
