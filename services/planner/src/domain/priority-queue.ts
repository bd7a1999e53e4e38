/**
 * A binary heap of task indices. Ordering is by a primary key, then a secondary key (both larger
 * first), then the lower index, so schedules are deterministic.
 */

/** A heap of task indices. */
export interface TaskHeap {
  push(task: number): void;
  /** Removes and returns the best task; -1 when empty. */
  pop(): number;
  peek(): number;
  readonly size: number;
}

/** A max-heap on (primary, secondary, -index); pass negated keys for a min-heap. */
export function createTaskHeap(primary: Float64Array, secondary?: Float64Array): TaskHeap {
  const items: number[] = [];
  const better = (a: number, b: number): boolean => {
    const pa = primary[a]!;
    const pb = primary[b]!;
    if (pa !== pb) return pa > pb;
    if (secondary) {
      const sa = secondary[a]!;
      const sb = secondary[b]!;
      if (sa !== sb) return sa > sb;
    }
    return a < b;
  };
  return {
    get size() {
      return items.length;
    },
    peek: () => (items.length > 0 ? items[0]! : -1),
    push(task) {
      let i = items.length;
      items.push(task);
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!better(task, items[parent]!)) break;
        items[i] = items[parent]!;
        i = parent;
      }
      items[i] = task;
    },
    pop() {
      if (items.length === 0) return -1;
      const top = items[0]!;
      const last = items.pop()!;
      const n = items.length;
      if (n > 0) {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= n) break;
          const r = l + 1;
          const c = r < n && better(items[r]!, items[l]!) ? r : l;
          if (!better(items[c]!, last)) break;
          items[i] = items[c]!;
          i = c;
        }
        items[i] = last;
      }
      return top;
    },
  };
}
