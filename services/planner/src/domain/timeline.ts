/**
 * One executor's busy intervals, sorted and disjoint, with insertion: a task may go into an idle
 * gap before later work if it fits there entirely. Lookup is a binary search to the first interval
 * that ends after the ready time, then a forward scan over the (usually few) gaps after it.
 */

/** Sorted, disjoint busy intervals [starts[k], finishes[k]). */
export interface Timeline {
  readonly starts: number[];
  readonly finishes: number[];
}

/** An empty timeline, or one busy until `freeMs` (a step already running). */
export function createTimeline(freeMs = 0): Timeline {
  return freeMs > 0 ? { starts: [-Infinity], finishes: [freeMs] } : { starts: [], finishes: [] };
}

/** Where a task of `duration` ready at `ready` would start, and the slot it would occupy. */
export interface Fit {
  readonly start: number;
  readonly slot: number;
}

/** The earliest start >= ready at which [start, start + duration) overlaps no busy interval. */
export function earliestFit(t: Timeline, ready: number, duration: number, insertion: boolean): Fit {
  const n = t.starts.length;
  if (!insertion || n === 0 || ready >= t.finishes[n - 1]!) {
    return { start: Math.max(ready, n > 0 ? t.finishes[n - 1]! : ready), slot: n };
  }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.finishes[mid]! <= ready) lo = mid + 1;
    else hi = mid;
  }
  let start = ready;
  for (let k = lo; k < n; k++) {
    if (start + duration <= t.starts[k]!) return { start, slot: k };
    start = Math.max(start, t.finishes[k]!);
  }
  return { start, slot: n };
}

/** Records [start, finish) at the slot `earliestFit` returned. */
export function occupy(t: Timeline, fit: Fit, finish: number): void {
  if (fit.slot === t.starts.length) {
    t.starts.push(fit.start);
    t.finishes.push(finish);
  } else {
    t.starts.splice(fit.slot, 0, fit.start);
    t.finishes.splice(fit.slot, 0, finish);
  }
}
