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
 * Compiles ids and edges. Edges naming unknown ids are skipped and counted (`skippedEdges`: the
 * caller refuses them with validation's reasons); duplicate edges are collapsed so that
 * in-degrees count distinct predecessors.
 */
export function indexGraph(ids: readonly StepId[], edges: readonly Dependency[]): IndexedGraph & { readonly skippedEdges: number } {
  const n = ids.length;
  const indexOf = new Map<StepId, number>();
  ids.forEach((id, i) => indexOf.set(id, i));
  let from = new Int32Array(edges.length);
  let to = new Int32Array(edges.length);
  let m = 0;
  for (const e of edges) {
    const a = indexOf.get(e.from);
    const b = indexOf.get(e.to);
    if (a === undefined || b === undefined) continue;
    from[m] = a;
    to[m] = b;
    m++;
  }
  // Duplicates without a set of pair keys (a shuffle stage of tens of thousands of edges made
  // that set most of the compile): edges grouped by source in input order, the first to each
  // target kept.
  const edgeNumbers = new Int32Array(m);
  for (let j = 0; j < m; j++) edgeNumbers[j] = j;
  const [bySource, edgeOf] = buildCsr(n, from.subarray(0, m), edgeNumbers);
  const lastSource = new Int32Array(n).fill(-1);
  const keep = new Uint8Array(m);
  for (let a = 0; a < n; a++) {
    for (let k = bySource[a]!; k < bySource[a + 1]!; k++) {
      const j = edgeOf[k]!;
      if (lastSource[to[j]!] === a) continue;
      lastSource[to[j]!] = a;
      keep[j] = 1;
    }
  }
  let kept = 0;
  for (let j = 0; j < m; j++) {
    if (!keep[j]) continue;
    from[kept] = from[j]!;
    to[kept] = to[j]!;
    kept++;
  }
  from = from.subarray(0, kept);
  to = to.subarray(0, kept);
  const [predOffsets, predIndex] = buildCsr(n, to, from);
  const [succOffsets, succIndex] = buildCsr(n, from, to);
  return { ids, indexOf, predOffsets, predIndex, succOffsets, succIndex, skippedEdges: edges.length - m };
}

/** Builds CSR lists keyed by `keys[k]` holding `values[k]`, preserving edge order. */
export function buildCsr(n: number, keys: ArrayLike<number>, values: ArrayLike<number>): [Int32Array, Int32Array] {
  const offsets = new Int32Array(n + 1);
  for (let k = 0; k < keys.length; k++) offsets[keys[k]! + 1]! += 1;
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
