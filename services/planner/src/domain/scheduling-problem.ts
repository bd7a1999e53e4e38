/**
 * The scheduler's view of a plan: tasks as indices, precedence in CSR form, and per task the
 * executors it may run on with the duration and cost each would take. The same structure serves
 * heterogeneous agents and the identical processors of the STG benchmark.
 */
import type { IndexedGraph } from './topology';

/** One way to run a task: on an executor, taking a duration, at a cost. */
export interface TaskOption {
  readonly executor: number;
  readonly durationMs: number;
  readonly cost: number;
}

/** Everything a list scheduler needs, in flat typed arrays. */
export interface SchedulingProblem {
  readonly taskCount: number;
  readonly executorCount: number;
  readonly predOffsets: Int32Array;
  readonly predIndex: Int32Array;
  readonly succOffsets: Int32Array;
  readonly succIndex: Int32Array;
  /** Options of task i are optionOffsets[i] .. optionOffsets[i+1]. */
  readonly optionOffsets: Int32Array;
  readonly optionExecutor: Int32Array;
  readonly optionDuration: Float64Array;
  readonly optionCost: Float64Array;
  /** Earliest start per task (a retry backoff, a running predecessor). */
  readonly releaseMs: Float64Array;
  /** Per executor, when it becomes free (it may still be running a step). */
  readonly executorFreeMs: Float64Array;
}

/** A schedule in index form: the chosen option, executor, start and finish of every task. */
export interface RawSchedule {
  readonly option: Int32Array;
  readonly executor: Int32Array;
  readonly start: Float64Array;
  readonly finish: Float64Array;
  readonly makespan: number;
  readonly cost: number;
}

/** Builds a problem; every task must have at least one option (check eligibility first). */
export function buildProblem(
  graph: Pick<IndexedGraph, 'predOffsets' | 'predIndex' | 'succOffsets' | 'succIndex'>,
  executorCount: number,
  options: readonly (readonly TaskOption[])[],
  releaseMs?: Float64Array,
  executorFreeMs?: Float64Array,
): SchedulingProblem {
  return buildProblemFrom(graph, executorCount, options.map((list) => list.length), (u, k, slot) => Object.assign(slot, options[u]![k]!), releaseMs, executorFreeMs);
}

/**
 * Builds a problem from each task's option count and a writer of its k-th option into `slot` (one
 * object, reused), copied into the flat arrays: a caller that computes options (refine, from its
 * eligible executors) allocates nothing per option (twelve thousand objects at 1,000 steps).
 */
export function buildProblemFrom(
  graph: Pick<IndexedGraph, 'predOffsets' | 'predIndex' | 'succOffsets' | 'succIndex'>,
  executorCount: number,
  optionCounts: readonly number[],
  write: (task: number, k: number, slot: { executor: number; durationMs: number; cost: number }) => void,
  releaseMs?: Float64Array,
  executorFreeMs?: Float64Array,
): SchedulingProblem {
  const n = optionCounts.length;
  const optionOffsets = new Int32Array(n + 1);
  for (let u = 0; u < n; u++) optionOffsets[u + 1] = optionOffsets[u]! + optionCounts[u]!;
  const total = optionOffsets[n]!;
  const optionExecutor = new Int32Array(total);
  const optionDuration = new Float64Array(total);
  const optionCost = new Float64Array(total);
  const slot = { executor: 0, durationMs: 0, cost: 0 };
  for (let u = 0; u < n; u++) {
    for (let k = 0, at = optionOffsets[u]!; at < optionOffsets[u + 1]!; k++, at++) {
      write(u, k, slot);
      optionExecutor[at] = slot.executor;
      optionDuration[at] = slot.durationMs;
      optionCost[at] = slot.cost;
    }
  }
  return {
    taskCount: n,
    executorCount,
    predOffsets: graph.predOffsets,
    predIndex: graph.predIndex,
    succOffsets: graph.succOffsets,
    succIndex: graph.succIndex,
    optionOffsets,
    optionExecutor,
    optionDuration,
    optionCost,
    releaseMs: releaseMs ?? new Float64Array(n),
    executorFreeMs: executorFreeMs ?? new Float64Array(executorCount),
  };
}

/**
 * The same problem with every edge turned round, for backward passes. Release times and busy
 * executors have no meaning backwards; the backward pass only produces a priority order.
 */
export function reverseProblem(p: SchedulingProblem): SchedulingProblem {
  return {
    ...p,
    predOffsets: p.succOffsets,
    predIndex: p.succIndex,
    succOffsets: p.predOffsets,
    succIndex: p.predIndex,
    releaseMs: new Float64Array(p.taskCount),
    executorFreeMs: new Float64Array(p.executorCount),
  };
}

/** Whether some task may take no time (STG's entry and exit tasks): timelines keep touching intervals apart then. */
export function hasZeroDuration(p: SchedulingProblem): boolean {
  for (let o = 0; o < p.optionDuration.length; o++) if (p.optionDuration[o] === 0) return true;
  return false;
}

/** Per task, a representative duration: the minimum or the mean over its options. */
export function representativeDurations(p: SchedulingProblem, how: 'min' | 'mean', fixed?: Int32Array): Float64Array {
  const out = new Float64Array(p.taskCount);
  for (let i = 0; i < p.taskCount; i++) {
    if (fixed) {
      out[i] = p.optionDuration[fixed[i]!]!;
      continue;
    }
    let min = Infinity;
    let sum = 0;
    const lo = p.optionOffsets[i]!;
    const hi = p.optionOffsets[i + 1]!;
    for (let o = lo; o < hi; o++) {
      min = Math.min(min, p.optionDuration[o]!);
      sum += p.optionDuration[o]!;
    }
    out[i] = how === 'min' ? min : sum / (hi - lo);
  }
  return out;
}
