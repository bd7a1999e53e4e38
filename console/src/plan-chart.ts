/**
 * A goal's plan as charts, pure: the dependency graph in layers (each step one layer below its
 * latest prerequisite) and the Gantt bars of its schedule, each with its live dispatch status.
 * Inputs are the `stateJson` of the projector's plan and execution events: the planner's
 * GoalVersionState (goal, plan.assignments) and the dispatcher's GoalExecutionRecord (state.steps);
 * both may be absent or cut (the projector omits states over its bound), which yields no chart.
 */
import type { ProjectedEvent } from './event';

export interface GanttBar {
  readonly stepId: string;
  readonly executorId: string;
  /** Relative to the plan's start. */
  readonly startMs: number;
  readonly finishMs: number;
  /** The dispatcher's step status ('pending', 'ready', 'leased', 'succeeded', 'failed', …), or 'planned' before execution. */
  readonly status: string;
}

export interface PlanChart {
  readonly goalId: string;
  readonly version: number;
  /** Step ids by layer, the first layer depending on nothing. */
  readonly layers: readonly (readonly string[])[];
  readonly edges: readonly { readonly from: string; readonly to: string }[];
  readonly bars: readonly GanttBar[];
  readonly makespanMs: number;
}

interface GoalVersionState {
  goalId: string;
  version: number;
  goal: { steps: { id: string }[]; dependencies: { from: string; to: string }[] };
  plan: { assignments: { stepId: string; executorId: string; startMs: number; finishMs: number }[]; makespanMs: number };
}

interface GoalExecutionRecord {
  goalId: string;
  state: { plan?: GoalVersionState['plan']; steps: { stepId: string; status: string }[] };
}

function parse<T>(event: ProjectedEvent | undefined): T | null {
  const json = event?.record.stateJson;
  if (typeof json !== 'string') return null;
  try {
    return JSON.parse(json) as T;
  } catch {
    return null;
  }
}

/** Layers by longest path from a source (Kahn's order): O(steps + dependencies). A cycle's steps are left out. */
export function layersOf(stepIds: readonly string[], edges: readonly { from: string; to: string }[]): string[][] {
  const depth = new Map<string, number>(stepIds.map((id) => [id, 0]));
  const incoming = new Map<string, number>(stepIds.map((id) => [id, 0]));
  const out = new Map<string, string[]>();
  for (const { from, to } of edges) {
    if (!depth.has(from) || !depth.has(to)) continue;
    incoming.set(to, incoming.get(to)! + 1);
    out.set(from, [...(out.get(from) ?? []), to]);
  }
  const queue = stepIds.filter((id) => incoming.get(id) === 0);
  const layers: string[][] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    const d = depth.get(id)!;
    (layers[d] ??= []).push(id);
    for (const next of out.get(id) ?? []) {
      depth.set(next, Math.max(depth.get(next)!, d + 1));
      incoming.set(next, incoming.get(next)! - 1);
      if (incoming.get(next) === 0) queue.push(next);
    }
  }
  return layers;
}

/** The chart of a goal version, with the statuses of its latest execution record if any. */
export function planChart(version: ProjectedEvent, execution: ProjectedEvent | undefined): PlanChart | null {
  const state = parse<GoalVersionState>(version);
  if (!state?.goal || !state.plan) return null;
  const run = parse<GoalExecutionRecord>(execution);
  const status = new Map((run?.state.steps ?? []).map((s) => [s.stepId, s.status]));
  // The dispatcher's schedule is the current one (a re-plan moves it); the planner's is the committed intent.
  const plan = run?.state.plan ?? state.plan;
  const ids = state.goal.steps.map((s) => s.id);
  return {
    goalId: state.goalId, version: state.version,
    layers: layersOf(ids, state.goal.dependencies), edges: state.goal.dependencies,
    bars: plan.assignments.map((a) => ({ stepId: a.stepId, executorId: a.executorId, startMs: a.startMs, finishMs: a.finishMs, status: status.get(a.stepId) ?? (run ? 'pending' : 'planned') })),
    makespanMs: plan.makespanMs,
  };
}

/**
 * The goal's committed version as its charter's latest record says, or null (not committed, or the
 * record's state was cut). A commit writes the charter, not the version again, so this is where it shows.
 */
export function committedVersion(charter: ProjectedEvent | undefined, goalId: string): number | null {
  const state = parse<{ goals?: { goalId: string; committedVersion: number | null }[] }>(charter);
  return state?.goals?.find((g) => g.goalId === goalId)?.committedVersion ?? null;
}
