/**
 * A goal's plan from the planner's event-sourced `plans` topic: each refined or re-planned version is
 * a record keyed `<charterId>/<goalId>/v<version>` whose state holds the goal's steps and the
 * schedule (every step's executor, start and finish, and the critical path). Pure.
 */
import type { PlanState } from '@maestro/contracts';
import type { GanttStep } from './gantt';

/** The parts of a goal version's state the chart needs (services/planner/src/plan-state.ts). */
interface GoalVersionJson {
  goal: { steps: { id: string; name: string }[] };
  plan: { assignments: { stepId: string; executorId: string; startMs: number; finishMs: number; cost: number }[]; makespanMs: number; totalCost: number; analysis: { criticalPath: string[] } };
}

export interface GoalPlan {
  charterId: string;
  goalId: string;
  version: number;
  status: string;
  makespanMs: number;
  totalCost: number;
  steps: GanttStep[];
}

/** The latest version of the goal (or the one asked for) among the topic's records; null when there is none. */
export function goalPlan(records: readonly PlanState[], charterId: string, goalId: string, version: number | null): GoalPlan | null {
  const versions = records.filter((r) => r.kind === 'goal_version' && r.charterId === charterId && r.goalId === goalId && r.version !== null
    && (version === null || r.version === version));
  const latest = versions.reduce<PlanState | null>((best, r) => (best === null || r.version! > best.version! ? r : best), null);
  if (!latest) return null;
  const state = JSON.parse(latest.stateJson) as GoalVersionJson;
  const names = new Map(state.goal.steps.map((s) => [s.id, s.name]));
  const critical = new Set(state.plan.analysis.criticalPath);
  return {
    charterId, goalId, version: latest.version!, status: latest.status, makespanMs: state.plan.makespanMs, totalCost: state.plan.totalCost,
    steps: state.plan.assignments.map((a) => ({ id: a.stepId, name: names.get(a.stepId) ?? a.stepId, executorId: a.executorId, startMs: a.startMs, finishMs: a.finishMs, critical: critical.has(a.stepId) })),
  };
}
