/**
 * The bridge to the planner's `replan` (MAESTRO `graph.replan`). The dispatcher prepares its input
 * (`replanArguments`) and takes its answer back (`applyReplan`); the adapter makes the call, with
 * the executor pool and charter of the moment. It is needed after a `replan_required` instruction,
 * and is worth doing on a `deadline_risk` signal too (the planner may find faster executors).
 */
import type { Dependency, Goal, Plan, Progress, Replan, StepId } from '../../../planner/src/domain';
import { edgeKey } from '../../../planner/src/domain';
import type { Transitioned } from './completion';
import { conclude } from './completion';
import type { ExecutionState, PlannedSlot, StepRecord } from './execution-state';
import { newStepRecord } from './execution-state';
import type { DispatchRefusal } from './refusal';
import { refusal } from './refusal';
import { begin, emit, patchStep, stepOf } from './transition';

/**
 * The planner's `Progress` from the execution so far. Times are relative to the plan start, as the
 * planner's are. A `replace` compensation is reported with the spend of the step it replaced, so
 * that the re-plan's remaining budget counts the failed attempts too.
 */
export function progressOf(state: ExecutionState): Progress {
  const byId = new Map(state.steps.map((s) => [s.stepId, s]));
  const records = state.goal.steps.map((s) => byId.get(s.id)!);
  const replacedSpend = (r: StepRecord): number => (r.compensates?.mode === 'replace' ? byId.get(r.compensates.stepId)?.actualCost ?? 0 : 0);
  return {
    completed: records.filter((r) => r.status === 'succeeded').map((r) => ({
      stepId: r.stepId, executorId: r.completedBy ?? '', actualDurationMs: r.actualDurationMs, actualCost: r.actualCost + replacedSpend(r),
    })),
    failed: records.filter((r) => r.status === 'failed').map((r) => ({ stepId: r.stepId, attempts: r.failures, spentCost: r.actualCost })),
    running: records.filter((r) => r.status === 'leased' && r.lease).map((r) => ({
      stepId: r.stepId, executorId: r.lease!.executorId, startedAtMs: r.lease!.leasedAtMs - state.startedAtMs,
    })),
  };
}

/** Everything but the executors and charter for `replan(goal, executors, charter, previous, progress, now)`. */
export interface ReplanArguments {
  readonly goal: Goal;
  readonly previous: Plan;
  readonly progress: Progress;
  /** Ms since the plan started. */
  readonly now: number;
}

/** The planner's `replan` arguments at `nowMs`. */
export function replanArguments(state: ExecutionState, nowMs: number): ReplanArguments {
  return { goal: state.goal, previous: state.plan, progress: progressOf(state), now: nowMs - state.startedAtMs };
}

/** The state with the re-plan applied, or why it cannot be. */
export type ApplyReplanResult = ({ readonly ok: true } & Transitioned) | { readonly ok: false; readonly refusal: DispatchRefusal };

/**
 * Applies an accepted re-plan: kept steps (done, running, or changed since the arguments were
 * taken) stay as they are; remainder steps are reset to pending with the new estimates and slots,
 * keeping their attempt counts and history; compensations the planner wired in are adopted.
 */
export function applyReplan(state: ExecutionState, replan: Replan, nowMs: number): ApplyReplanResult {
  if (state.status === 'completed' || state.status === 'cancelled') {
    return { ok: false, refusal: refusal(state.status === 'completed' ? 'plan_complete' : 'plan_cancelled', [`plan '${state.planId}' is ${state.status}; a re-plan cannot apply`]) };
  }
  const tx = begin(state, nowMs);
  const remainderIds = new Set(replan.remainder.steps.map((s) => s.id));
  const replaced = new Set(replan.compensations.filter((c) => c.mode === 'replace').map((c) => c.failed));
  const kept = tx.goal.steps.filter((s) => !remainderIds.has(s.id) && !replaced.has(s.id));
  const keptIds = new Set(kept.map((s) => s.id));
  const compensationOf = new Map(replan.compensations.map((c) => [c.compensation, c]));
  const estimates = new Map(replan.plan.analysis.timings.map((t) => [t.stepId, t.durationMs]));
  const slots = new Map(replan.plan.assignments.map((a): [StepId, PlannedSlot] => [a.stepId, { executorId: a.executorId, startMs: a.startMs, finishMs: a.finishMs, cost: a.cost }]));
  for (const step of replan.remainder.steps) {
    const estimateMs = estimates.get(step.id) ?? step.durationMs;
    const planned = slots.get(step.id) ?? null;
    const comp = compensationOf.get(step.id);
    const compensates = comp ? { stepId: comp.failed, mode: comp.mode } : null;
    const existing = tx.steps.get(step.id);
    if (!existing) {
      tx.steps.set(step.id, newStepRecord(step.id, estimateMs, planned, compensates));
      continue;
    }
    // Work that started or finished after the arguments were taken is not undone.
    const inFlight = existing.status === 'leased' || existing.status === 'succeeded';
    const retried = replan.retried.includes(step.id);
    patchStep(tx, step.id, {
      estimateMs, planned, compensates: compensates ?? existing.compensates,
      status: inFlight ? existing.status : 'pending',
      notBeforeMs: inFlight ? existing.notBeforeMs : retried ? nowMs + (step.retry?.backoffMs ?? 0) : existing.notBeforeMs,
    });
  }
  for (const c of replan.compensations) patchStep(tx, c.failed, { status: 'compensating' });
  const keptEdges = tx.goal.dependencies.filter((d) => keptIds.has(d.from) && (keptIds.has(d.to) || remainderIds.has(d.to)));
  tx.goal = { steps: [...kept, ...replan.remainder.steps], dependencies: dedupe([...keptEdges, ...replan.remainder.dependencies]) };
  tx.plan = { ...replan.plan, assignments: [...state.plan.assignments.filter((a) => keptIds.has(a.stepId)), ...replan.plan.assignments] };
  tx.status = tx.goal.steps.some((s) => stepOf(tx, s.id).status === 'failed') ? 'awaiting_replan' : 'running';
  emit(tx, {
    type: 'replan_applied', remainderStepIds: [...remainderIds], compensations: replan.compensations.map((c) => c.compensation), retried: replan.retried,
  });
  return { ok: true, ...conclude(tx) };
}

function dedupe(edges: readonly Dependency[]): Dependency[] {
  const seen = new Set<string>();
  return edges.filter((e) => !seen.has(edgeKey(e)) && seen.add(edgeKey(e)) !== undefined);
}
