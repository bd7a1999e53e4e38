/**
 * Names a dependency cycle, so that a refusal can say which steps wait on each other rather than
 * only that some do.
 */
import type { IndexedGraph } from './topology';

const WHITE = 0;
const GREY = 1;
const BLACK = 2;

/**
 * Finds one cycle with an iterative depth-first search (no recursion: a 10,000-step chain would
 * overflow the stack). Returns the step indices in dependency order — each depends on the one
 * before, and the first on the last — or null when the graph is acyclic.
 */
export function findCycle(g: Pick<IndexedGraph, 'succOffsets' | 'succIndex'>): number[] | null {
  const n = g.succOffsets.length - 1;
  const colour = new Uint8Array(n);
  const stack: number[] = [];
  const cursor = new Int32Array(n);
  for (let root = 0; root < n; root++) {
    if (colour[root] !== WHITE) continue;
    stack.push(root);
    colour[root] = GREY;
    cursor[root] = g.succOffsets[root]!;
    while (stack.length > 0) {
      const u = stack[stack.length - 1]!;
      if (cursor[u]! < g.succOffsets[u + 1]!) {
        const v = g.succIndex[cursor[u]!]!;
        cursor[u]! += 1;
        if (colour[v] === GREY) return stack.slice(stack.lastIndexOf(v));
        if (colour[v] === WHITE) {
          colour[v] = GREY;
          cursor[v] = g.succOffsets[v]!;
          stack.push(v);
        }
      } else {
        colour[u] = BLACK;
        stack.pop();
      }
    }
  }
  return null;
}
