/**
 * The planner's `credit.trace` leg from what actually happened. Credit is per planned slot: a
 * slot's actuals are everything spent to get it done, so a flaky step carries its failed attempts,
 * a `before-retry` compensation is folded into the step it served, and a `replace` compensation
 * stands in the slot of the step it replaced (with that step's spend). Durations are the reported
 * work times; time spent waiting in backoff or for an executor is nobody's work and is not charged.
 */
import type { Leg, LegStep, StepId } from '../../../planner/src/domain';
import type { ExecutionState, PlannedSlot, StepRecord } from './execution-state';

/** The leg of every succeeded step of the goal (the whole plan once it completed). */
export function creditInput(state: ExecutionState): Leg {
  const byId = new Map(state.steps.map((s) => [s.stepId, s]));
  const done = state.goal.steps.map((s) => byId.get(s.id)!).filter((r) => r.status === 'succeeded');
  // Unplanned before-retry compensations are folded into the step they served.
  const folded = new Map<StepId, { durationMs: number; cost: number }>();
  const slotOf = (r: StepRecord): PlannedSlot | null => r.planned ?? (r.compensates?.mode === 'replace' ? byId.get(r.compensates.stepId)?.planned ?? null : null);
  for (const r of done) {
    if (slotOf(r) !== null || !r.compensates) continue;
    const f = folded.get(r.compensates.stepId) ?? { durationMs: 0, cost: 0 };
    folded.set(r.compensates.stepId, { durationMs: f.durationMs + r.actualDurationMs, cost: f.cost + r.actualCost });
  }
  const steps: LegStep[] = [];
  for (const r of done) {
    const slot = slotOf(r);
    if (slot === null) continue;
    const replaced = r.compensates?.mode === 'replace' ? byId.get(r.compensates.stepId) : undefined;
    const extra = folded.get(r.stepId) ?? { durationMs: 0, cost: 0 };
    steps.push({
      stepId: r.stepId,
      executorId: r.completedBy ?? slot.executorId,
      plannedStartMs: slot.startMs,
      plannedDurationMs: slot.finishMs - slot.startMs,
      actualDurationMs: r.actualDurationMs + extra.durationMs,
      plannedCost: slot.cost,
      actualCost: r.actualCost + extra.cost + (replaced?.actualCost ?? 0),
    });
  }
  const inLeg = new Set(steps.map((s) => s.stepId));
  return { steps, dependencies: state.goal.dependencies.filter((d) => inLeg.has(d.from) && inLeg.has(d.to)) };
}
