/**
 * Forward and backward passes over a DAG with fixed durations: earliest/latest start and finish,
 * slack, bottom levels and one critical path. Latest times are measured against the critical path
 * length (not the deadline), so critical steps have zero slack whatever the charter says.
 */
import type { IndexedGraph } from './topology';

/** Per-step timing arrays, indexed like the graph. */
export interface Timing {
  readonly earliestStart: Float64Array;
  readonly earliestFinish: Float64Array;
  readonly latestStart: Float64Array;
  readonly latestFinish: Float64Array;
  readonly slack: Float64Array;
  /** Longest path from the step's start to the end of the graph, its own duration included. */
  readonly bottomLevel: Float64Array;
  readonly criticalPathMs: number;
  /** Step indices of one longest path, in order. */
  readonly criticalPath: readonly number[];
}

type Adjacency = Pick<IndexedGraph, 'predOffsets' | 'predIndex' | 'succOffsets' | 'succIndex'>;

/**
 * Computes the timing of every step given a topological order and per-step durations, and
 * optionally per-step release times (earliest starts, e.g. a retry's backoff).
 */
export function computeTiming(g: Adjacency, order: Int32Array, durations: Float64Array, release?: Float64Array): Timing {
  const n = order.length;
  const earliestStart = new Float64Array(n);
  const earliestFinish = new Float64Array(n);
  let length = 0;
  for (const u of order) {
    let est = release ? release[u]! : 0;
    for (let k = g.predOffsets[u]!; k < g.predOffsets[u + 1]!; k++) est = Math.max(est, earliestFinish[g.predIndex[k]!]!);
    earliestStart[u] = est;
    earliestFinish[u] = est + durations[u]!;
    length = Math.max(length, earliestFinish[u]!);
  }
  const bottomLevel = new Float64Array(n);
  for (let j = n - 1; j >= 0; j--) {
    const u = order[j]!;
    let tail = 0;
    for (let k = g.succOffsets[u]!; k < g.succOffsets[u + 1]!; k++) tail = Math.max(tail, bottomLevel[g.succIndex[k]!]!);
    bottomLevel[u] = durations[u]! + tail;
  }
  const latestStart = new Float64Array(n);
  const latestFinish = new Float64Array(n);
  const slack = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    latestStart[u] = length - bottomLevel[u]!;
    latestFinish[u] = latestStart[u]! + durations[u]!;
    slack[u] = latestStart[u]! - earliestStart[u]!;
  }
  return {
    earliestStart, earliestFinish, latestStart, latestFinish, slack, bottomLevel,
    criticalPathMs: length,
    criticalPath: tracePath(g, order, earliestStart, earliestFinish, length),
  };
}

/**
 * Walks back from a step finishing at the length through binding predecessors (those whose finish
 * equals the step's start) until a step's start is set by time 0 or its release. Ties go to the
 * lower index so the answer is deterministic.
 */
function tracePath(g: Adjacency, order: Int32Array, earliestStart: Float64Array, earliestFinish: Float64Array, length: number): number[] {
  const eps = 1e-9 * Math.max(1, length);
  let current = -1;
  for (const u of order) if (Math.abs(earliestFinish[u]! - length) <= eps && (current < 0 || u < current)) current = u;
  const path: number[] = [];
  while (current >= 0) {
    path.push(current);
    let previous = -1;
    for (let k = g.predOffsets[current]!; k < g.predOffsets[current + 1]!; k++) {
      const q = g.predIndex[k]!;
      if (Math.abs(earliestFinish[q]! - earliestStart[current]!) <= eps && (previous < 0 || q < previous)) previous = q;
    }
    current = previous;
  }
  return path.reverse();
}
