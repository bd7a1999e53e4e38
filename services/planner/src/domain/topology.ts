/**
 * A goal compiled to integer indices with compressed adjacency (CSR), so that analysis and
 * scheduling run over typed arrays in O(V + E) rather than over maps of strings.
 */
import type { Dependency, StepId } from './graph';

/** Steps as indices 0..n-1 with predecessor and successor lists in CSR form. */
export interface IndexedGraph {
  readonly ids: readonly StepId[];
  readonly indexOf: ReadonlyMap<StepId, number>;
  /** Predecessors of i are predIndex[predOffsets[i] .. predOffsets[i+1]). */
  readonly predOffsets: Int32Array;
  readonly predIndex: Int32Array;
  readonly succOffsets: Int32Array;
  readonly succIndex: Int32Array;
}

/**
 * Compiles ids and edges. Edges naming unknown ids are skipped (validation reports them first);
 * duplicate edges are collapsed so that in-degrees count distinct predecessors.
 */
export function indexGraph(ids: readonly StepId[], edges: readonly Dependency[]): IndexedGraph {
  const n = ids.length;
  const indexOf = new Map<StepId, number>();
  ids.forEach((id, i) => indexOf.set(id, i));
  const from: number[] = [];
  const to: number[] = [];
  const seen = new Set<number>();
  for (const e of edges) {
    const a = indexOf.get(e.from);
    const b = indexOf.get(e.to);
    if (a === undefined || b === undefined) continue;
    const key = a * n + b; // exact up to n ~ 9e7, far beyond any goal
    if (seen.has(key)) continue;
    seen.add(key);
    from.push(a);
    to.push(b);
  }
  const [predOffsets, predIndex] = buildCsr(n, to, from);
  const [succOffsets, succIndex] = buildCsr(n, from, to);
  return { ids, indexOf, predOffsets, predIndex, succOffsets, succIndex };
}

/** Builds CSR lists keyed by `keys[k]` holding `values[k]`, preserving edge order. */
export function buildCsr(n: number, keys: readonly number[], values: readonly number[]): [Int32Array, Int32Array] {
  const offsets = new Int32Array(n + 1);
  for (const k of keys) offsets[k + 1]! += 1;
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const cursor = offsets.slice(0, n);
  const index = new Int32Array(keys.length);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    index[cursor[key]!] = values[k]!;
    cursor[key]! += 1;
  }
  return [offsets, index];
}

/**
 * Kahn's algorithm, FIFO so the order is stable with respect to declaration order.
 * Returns null when the graph has a cycle (use `findCycle` to name it).
 */
export function topologicalOrder(g: Pick<IndexedGraph, 'predOffsets' | 'succOffsets' | 'succIndex'>): Int32Array | null {
  const n = g.predOffsets.length - 1;
  const indegree = new Int32Array(n);
  for (let i = 0; i < n; i++) indegree[i] = g.predOffsets[i + 1]! - g.predOffsets[i]!;
  const order = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) if (indegree[i] === 0) order[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const u = order[head]!;
    for (let k = g.succOffsets[u]!; k < g.succOffsets[u + 1]!; k++) {
      const v = g.succIndex[k]!;
      indegree[v]! -= 1;
      if (indegree[v] === 0) order[tail++] = v;
    }
  }
  return tail === n ? order : null;
}
