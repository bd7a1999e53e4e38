/**
 * The remaining critical path at `now`: the planner's timing (`timeGoal`) run over the goal with
 * what is known so far. A succeeded step is a zero-length step released at its completion time;
 * a leased step has the rest of its estimate left (zero once it overruns, so it counts from now);
 * everything else starts no earlier than now or its retry backoff and takes its estimate.
 *
 * Executors are not modelled (as if each step had one of its own), so the projected finish is a
 * lower bound: when even it misses the deadline, the plan cannot make it on these estimates. The
 * same timing gives the dispatch priorities: a step's bottom level is the work still to do from
 * its start to the end of the plan, its slack how long it may wait without moving the end.
 */
import type { StepId } from '../../../planner/src/domain';
import { compileGoal, timeGoal } from '../../../planner/src/domain';
import type { ExecutionState, StepRecord, StepStatus } from './execution-state';

/** The projection of one step, in absolute epoch ms. */
export interface StepProjection {
  readonly stepId: StepId;
  readonly status: StepStatus;
  readonly projectedStartAtMs: number;
  readonly projectedFinishAtMs: number;
  /** Work left on this step (0 once succeeded). */
  readonly remainingMs: number;
  /** Work left from this step's start to the end of the plan, its own included. */
  readonly bottomLevelMs: number;
  readonly slackMs: number;
}

/** The projection of the whole remaining plan. */
export interface Projection {
  readonly projectedFinishAtMs: number;
  /** The steps of one longest remaining path, not-yet-succeeded ones only, in order. */
  readonly criticalRemaining: readonly StepProjection[];
  readonly byStep: ReadonlyMap<StepId, StepProjection>;
}

/** Projects when the goal can finish at the earliest, from `nowMs`. */
export function projectExecution(state: Pick<ExecutionState, 'goal' | 'steps' | 'startedAtMs'>, nowMs: number): Projection {
  const compiled = compileGoal(state.goal);
  // The goal was compiled when the execution started and every change since rewires it the way
  // the planner does, so a failure here is a bug, not an input to refuse.
  if (!compiled.ok) throw new Error(`dispatcher invariant: the goal no longer compiles: ${compiled.refusal.reasons.join('; ')}`);
  const byId = new Map(state.steps.map((s) => [s.stepId, s]));
  const now = nowMs - state.startedAtMs;
  const records = state.goal.steps.map((s) => {
    const record = byId.get(s.id);
    if (!record) throw new Error(`dispatcher invariant: step '${s.id}' has no execution record`);
    return record;
  });
  const release = Float64Array.from(records, (r) => releaseOf(r, now, state.startedAtMs));
  const durations = Float64Array.from(records, (r) => remainingOf(r, now, state.startedAtMs));
  const { analysis } = timeGoal(state.goal.steps, compiled.plan, durations, release);
  const byStep = new Map<StepId, StepProjection>();
  for (const t of analysis.timings) {
    byStep.set(t.stepId, {
      stepId: t.stepId,
      status: byId.get(t.stepId)!.status,
      projectedStartAtMs: state.startedAtMs + t.earliestStartMs,
      projectedFinishAtMs: state.startedAtMs + t.earliestFinishMs,
      remainingMs: t.durationMs,
      bottomLevelMs: t.bottomLevelMs,
      slackMs: t.slackMs,
    });
  }
  const criticalRemaining = analysis.criticalPath.map((id) => byStep.get(id)!).filter((p) => p.status !== 'succeeded');
  return { projectedFinishAtMs: state.startedAtMs + analysis.criticalPathMs, criticalRemaining, byStep };
}

/** Earliest start relative to the plan start. */
function releaseOf(record: StepRecord, now: number, startedAtMs: number): number {
  if (record.status === 'succeeded') return (record.completedAtMs ?? startedAtMs) - startedAtMs;
  if (record.notBeforeMs !== null) return Math.max(now, record.notBeforeMs - startedAtMs);
  return now;
}

/** Work left relative to `now`. */
function remainingOf(record: StepRecord, now: number, startedAtMs: number): number {
  if (record.status === 'succeeded') return 0;
  if (record.status === 'leased' && record.lease) return Math.max(0, record.lease.leasedAtMs - startedAtMs + record.estimateMs - now);
  return record.estimateMs;
}
