/**
 * The Standard Task Graph format (Tobita & Kasahara 2002) and the P | prec | Cmax problem it poses:
 * parse a graph, schedule it on identical processors with the planner's own search, and measure
 * the result against the best known makespan.
 */
import type { RawSchedule, TaskOption } from './scheduling-problem';
import { buildProblem } from './scheduling-problem';
import { searchSchedule } from './search';
import { buildCsr } from './topology';

/** A parsed STG graph with its dummy entry and exit tasks removed: real tasks are 1..N. */
export interface StgGraph {
  readonly taskCount: number;
  /** Processing time of task t at index t - 1. */
  readonly times: readonly number[];
  /** Predecessors of task t (real tasks only) at index t - 1. */
  readonly preds: readonly (readonly number[])[];
}

/** Parses an STG file's text; returns an error message instead of throwing. */
export function parseStg(text: string): StgGraph | { readonly error: string } {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith('#'));
  const n = Number(lines[0]);
  if (!Number.isInteger(n) || n < 0) return { error: `first line must be the task count, got '${lines[0] ?? ''}'` };
  if (lines.length < n + 3) return { error: `expected ${n + 2} task lines, got ${lines.length - 1}` };
  const times: number[] = [];
  const preds: number[][] = [];
  for (let id = 0; id <= n + 1; id++) {
    const fields = lines[id + 1]!.split(/\s+/).map(Number);
    const [tid, time, count] = fields;
    if (tid !== id || time === undefined || count === undefined || fields.length !== 3 + count || fields.some((x) => !Number.isInteger(x) || x < 0)) {
      return { error: `line for task ${id} is malformed: '${lines[id + 1]}'` };
    }
    const ps = fields.slice(3);
    if (ps.some((q) => q >= id)) return { error: `task ${id} has a predecessor that is not smaller than its id` };
    if (id >= 1 && id <= n) {
      times.push(time);
      preds.push(ps.filter((q) => q >= 1)); // the dummy entry (0) constrains nothing
    }
  }
  return { taskCount: n, times, preds };
}

/** One task's placement in the benchmark's output format. */
export interface StgPlacement {
  readonly task: number;
  readonly processor: number;
  readonly start: number;
}

/** Schedules an STG graph on `processors` identical unit-speed, zero-cost processors. */
export function scheduleStg(graph: StgGraph, processors: number): { makespan: number; schedule: StgPlacement[]; raw: RawSchedule } {
  const n = graph.taskCount;
  const from: number[] = [];
  const to: number[] = [];
  graph.preds.forEach((ps, i) => ps.forEach((q) => { from.push(q - 1); to.push(i); }));
  const [predOffsets, predIndex] = buildCsr(n, to, from);
  const [succOffsets, succIndex] = buildCsr(n, from, to);
  const options: TaskOption[][] = graph.times.map((durationMs) =>
    Array.from({ length: processors }, (_, executor) => ({ executor, durationMs, cost: 0 })));
  const problem = buildProblem({ predOffsets, predIndex, succOffsets, succIndex }, processors, options);
  const raw = searchSchedule(problem).schedule;
  const schedule = Array.from({ length: n }, (_, i) => ({ task: i + 1, processor: raw.executor[i]!, start: raw.start[i]! }));
  return { makespan: raw.makespan, schedule, raw };
}
