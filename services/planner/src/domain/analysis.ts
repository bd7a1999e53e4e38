/**
 * Structural analysis of a goal: compile it (duplicate ids, unknown dependencies and cycles are
 * refused by name), order it, and time it: earliest/latest start and finish, slack, bottom levels
 * and the critical path, in step ids rather than indices.
 */
import type { Timing } from './critical-path';
import { computeTiming } from './critical-path';
import { findCycle } from './cycles';
import type { Goal, Step, StepId } from './graph';
import type { Outcome } from './refusal';
import { accept, fmt, refuse } from './refusal';
import type { IndexedGraph } from './topology';
import { indexGraph, topologicalOrder } from './topology';
import { duplicateSteps, unknownDependencies } from './validation';

/** A goal as indices, with a topological order. */
export interface CompiledGoal {
  readonly graph: IndexedGraph;
  readonly order: Int32Array;
}

/** The timing of one step. */
export interface StepTiming {
  readonly stepId: StepId;
  readonly durationMs: number;
  readonly earliestStartMs: number;
  readonly earliestFinishMs: number;
  readonly latestStartMs: number;
  readonly latestFinishMs: number;
  readonly slackMs: number;
  readonly bottomLevelMs: number;
  readonly critical: boolean;
}

/** The timing of a whole goal under given durations. */
export interface Analysis {
  /** Step ids in a topological order (declaration order among independent steps). */
  readonly order: readonly StepId[];
  /** Per step, in topological order. */
  readonly timings: readonly StepTiming[];
  readonly criticalPath: readonly StepId[];
  /** The length of the critical path: no schedule can be shorter with these durations. */
  readonly criticalPathMs: number;
}

/** Refuses duplicate ids, unknown dependencies and cycles (naming the cycle); else compiles. */
export function compileGoal(goal: Goal): Outcome<CompiledGoal> {
  const duplicate = duplicateSteps(goal);
  if (duplicate) return refuse(duplicate);
  const ids = goal.steps.map((s) => s.id);
  const graph = indexGraph(ids, goal.dependencies);
  // Validation looks every edge's ids up again to name the unknown ones: only when there are some
  // (on a shuffle stage of 55,000 edges the second lookup was a quarter of the compile).
  const unknown = graph.skippedEdges > 0 ? unknownDependencies(goal) : null;
  if (unknown) return refuse(unknown);
  const order = topologicalOrder(graph);
  if (order) return accept({ graph, order });
  const cycle = (findCycle(graph) ?? []).map((i) => ids[i]!);
  const loop = [...cycle, cycle[0]].join(' -> ');
  return refuse({ code: 'cycle', reasons: [`steps depend on each other in a cycle of ${cycle.length}: ${loop}`], details: { cycle } });
}

/** Times a compiled goal with the given per-step durations (default: each step's estimate). */
export function timeGoal(steps: readonly Step[], compiled: CompiledGoal, durations?: Float64Array, release?: Float64Array): { analysis: Analysis; timing: Timing } {
  const d = durations ?? Float64Array.from(steps, (s) => s.durationMs);
  const timing = computeTiming(compiled.graph, compiled.order, d, release);
  const eps = 1e-9 * Math.max(1, timing.criticalPathMs);
  const ids = compiled.graph.ids;
  const timings = Array.from(compiled.order, (u) => ({
    stepId: ids[u]!,
    durationMs: d[u]!,
    earliestStartMs: timing.earliestStart[u]!,
    earliestFinishMs: timing.earliestFinish[u]!,
    latestStartMs: timing.latestStart[u]!,
    latestFinishMs: timing.latestFinish[u]!,
    slackMs: timing.slack[u]!,
    bottomLevelMs: timing.bottomLevel[u]!,
    critical: timing.slack[u]! <= eps,
  }));
  const analysis = {
    order: Array.from(compiled.order, (u) => ids[u]!),
    timings,
    criticalPath: timing.criticalPath.map((u) => ids[u]!),
    criticalPathMs: timing.criticalPathMs,
  };
  return { analysis, timing };
}

/** Compiles and times a goal with each step's own estimate: the structural view, no executors. */
export function analyseGoal(goal: Goal): Outcome<Analysis> {
  const compiled = compileGoal(goal);
  if (!compiled.ok) return compiled;
  return accept(timeGoal(goal.steps, compiled.plan).analysis);
}

/** A short human summary of a critical path for reasons: `a -> b -> c (42 ms)`. */
export function describePath(path: readonly StepId[], lengthMs: number): string {
  return `${path.join(' -> ')} (${fmt(lengthMs)} ms)`;
}
