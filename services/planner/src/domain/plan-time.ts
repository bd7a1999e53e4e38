/**
 * Moving a plan computed from time zero to an absolute time origin, as a re-plan at `now` does.
 */
import type { Plan } from './refine';

/**
 * Shifts every start and finish by `originMs`. The makespan becomes the absolute end of the work,
 * which is at least `endAtLeastMs` (steps still running elsewhere may end after the remainder).
 * The critical path length is a duration and is not shifted.
 */
export function shiftPlan(plan: Plan, originMs: number, endAtLeastMs = 0): Plan {
  return {
    ...plan,
    analysis: {
      ...plan.analysis,
      timings: plan.analysis.timings.map((t) => ({
        ...t,
        earliestStartMs: t.earliestStartMs + originMs,
        earliestFinishMs: t.earliestFinishMs + originMs,
        latestStartMs: t.latestStartMs + originMs,
        latestFinishMs: t.latestFinishMs + originMs,
      })),
    },
    assignments: plan.assignments.map((a) => ({ ...a, startMs: a.startMs + originMs, finishMs: a.finishMs + originMs })),
    makespanMs: Math.max(plan.makespanMs + originMs, endAtLeastMs),
  };
}
